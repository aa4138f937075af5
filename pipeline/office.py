"""The office: one application object under every front end (the CLI, the desk, the benches).

Built once from the config folder, the records folder and the processing date (or a clock
the caller controls), it owns the only `Config`, the only `deadlines.Clock` (with the
election periods) and the only `Register`, and offers what the front ends need:

- `assess(file, inbox)`: check, recognise, match and plan one file (pipeline.assess);
  the same answer `validate` and `run` give, without numbering anything;
- `validate(files)`, `run(inbox, out)` / `process(files, inbox, out)` (lock held) /
  `batch(out)` (the desk's, with its warm converters);
- `due(within)`, `due_of(register_no)`, `explain(register_no)`, `explain_from(date, days)`;
- `purge(before)`, `verify(pdf)`, `survey(file)`, `check_templates(folder)`;
- `stats(...)`, `report(...)`, `export(...)`, `book()`, `write_book()`;
- `refresh()`: the register as the log says now (new lines folded in by the one reader).

Front ends parse, call one method, and print; they never build a Config, Clock or
Register themselves (STYLE rule 14).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import multiprocessing
import os
import pickle
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from pipeline import files, rules
from pipeline.assess import Assessor, Verdict
from pipeline.batch import Batch, find_request_files
from pipeline.config import Config, load_config
from pipeline.deadlines import DueItem, Explanation, due_list
from pipeline.errors import UsageError
from pipeline.files import private_mkdir
from pipeline.loading import WITA, Inbox
from pipeline.outcome import Outcome, Output
from pipeline.register import Register

PARALLEL_FROM = 400  # files: from here `validate` shares them out among the CPUs
_SHARED: dict[str, Any] = {}  # what forked validate workers inherit: the office and its inboxes


def today_wita() -> dt.date:
    """Today's date in Asia/Makassar (spec section 6: every date is a WITA date)."""
    return dt.datetime.now(WITA).date()


@dataclass
class RunReport:
    """What `Office.run` did: every file's outcome and the book it wrote."""

    outcomes: list[Outcome] = field(default_factory=list)
    csv: Path | None = None
    parquet: Path | None = None
    new_register: bool = False  # the records folder held no register before this run (a --records typo?)

    delivery: Any = None  # pipeline.delivery.outbox's report of what was sent at the end

    @property
    def failed(self) -> bool:
        return any(o.failed for o in self.outcomes) or bool(self.delivery and self.delivery.failed)


@dataclass
class DueReport:
    """`ppid due`: open requests by deadline, and letters owed (numbered, PDF failed)."""

    items: list[DueItem]
    owed: list[dict[str, Any]]

    @property
    def failed(self) -> bool:
        return bool(self.owed) or any(d.overdue for d in self.items)


@dataclass
class PurgeReport:
    """`ppid purge`: the date before which closed requests were purged, and what was erased."""

    limit: dt.date
    purged: list[dict[str, Any]]
    held: dict[str, str] = field(default_factory=dict)  # kept back, and why (an objection window, objection or dispute open)
    skipped: list[str] = field(default_factory=list)  # files left because they lie outside the folders given


class Office:
    """The config, the clock and the register of one office, on one processing date."""

    def __init__(self, config: Path, records: Path, *, date: dt.date | None = None,
                 clock: Callable[[], dt.date] | None = None, cfg: Config | None = None):
        """`date` fixes the processing date; else `clock()` (default: today in WITA) is
        asked each time, so that a long-lived desk follows the calendar day."""
        self.config_dir, self.records_dir = Path(config), Path(records)
        self.cfg: Config = cfg if cfg is not None else load_config(self.config_dir)
        self.clock = self.cfg.clock  # the one deadlines.Clock
        self.register = Register(self.records_dir, numbering=self.cfg.numbering)
        self._date, self._now = date, clock or today_wita
        self._assessor: Assessor | None = None

    def today(self) -> dt.date:
        """The processing date."""
        return self._date or self._now()

    # --- the register ---------------------------------------------------------------------

    def refresh(self) -> Register:
        """The register as the log says now: new lines folded in, a rewritten log read again."""
        return self.register.refresh()

    @contextmanager
    def locked(self, *, timeout: float = 600.0, wait_message: bool = True) -> Iterator[Register]:
        """Hold the records lock (one writer at a time), the register re-read under it."""
        with self.register.locked(timeout=timeout, wait_message=wait_message) as reg:
            yield reg

    def write_book(self) -> tuple[Path, Path]:
        """register.csv and register.parquet rebuilt from the log (as it is now) with the one clock."""
        source = self._book_source()  # before reading: a line appended meanwhile makes the book stale, never falsely fresh
        return self.refresh().write_book(self.clock, source)

    def _book_source(self) -> str:
        """What a book built now would be built from: the log, and the config that sets the clock."""
        clock_config = pickle.dumps(((self.cfg.raw or {}).get("calendar"), (self.cfg.raw or {}).get("deadlines")))
        return f"log {self.register.log_stamp()}; clock {hashlib.sha256(clock_config).hexdigest()[:16]}"

    def book(self, columns: Iterable[str] | None = None):
        """The register book (pandas), typed (pipeline.book.read_book), once the log it was
        written from reads clean: `Register.load` decides for every command, so `stats`,
        `register export` and `report` refuse a damaged events.jsonl as `run` and `due` do
        (RegisterError, the same line and exit code) instead of reading a book it may belie.

        A book on disk that no longer follows the log (a run stopped before its book, a log
        edited or restored, the calendar or deadlines changed) is not read: the book is
        built from the log in memory, the same way `write_book` would (issue 18). A folder
        with a book and no log (an analyst's copy: the log holds personal data) is read as
        it is."""
        from pipeline import book as B

        wanted = list(columns) if columns else None
        source = self._book_source()
        reg = self.refresh()
        if not self.register.has_log() or B.source_of(self.records_dir) == source:
            return B.read_book(self.records_dir, columns=wanted)
        return B.coerce_book(B.frame(B.build_rows(reg.records.values(), self.clock)), wanted)

    # --- one file --------------------------------------------------------------------------

    def assessor(self) -> Assessor:
        """The judge of files on the processing date, kept while the date stays (its index of
        registered files is rebuilt only when the register changed)."""
        today = self.today()
        if self._assessor is None or self._assessor.today != today:
            self._assessor = Assessor(self.cfg, self.register, today)
        return self._assessor

    def assess(self, path: Path, inbox: Path | Inbox | None = None) -> Outcome:
        """What `run` would do with one file now, nothing numbered or written: its status,
        due date, missing requirements and the letters it is owed (validate's answer, and
        the desk's file status)."""
        self.refresh()
        a = self.assessor()
        if not isinstance(inbox, Inbox):
            inbox = Inbox.of(inbox if inbox is not None else Path(path).parent)
        return a.outcome(a.judge(Path(path), inbox))

    def validate(self, files: Iterable[Path]) -> Iterator[Outcome]:
        """`ppid validate`: each file (folders searched) judged as `run` would, nothing written.

        A large set is shared out among the CPUs (forked workers inherit this office and
        the register it read); the outcomes come back in order."""
        jobs = []
        for f in map(Path, files):
            paths, folder = (find_request_files(f), f) if f.is_dir() else ([f], f.parent)
            jobs.extend((path, folder) for path in paths)
        self.refresh()
        _SHARED.update(assessor=self.assessor(), inboxes={}, twins=True)
        rules.prepare(self.cfg.rules, self.cfg.screen)  # compiled once here, not once in each forked worker
        workers = min(os.cpu_count() or 1, 4)
        if len(jobs) < PARALLEL_FROM or workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
            for path, folder in jobs:
                yield _validate_one(path, folder)[0]
            return
        size = max(50, len(jobs) // (workers * 8))
        chunks = [jobs[i:i + size] for i in range(0, len(jobs), size)]
        _SHARED["twins"] = False  # the workers leave the check against a folder's earlier new files to this process
        a, inboxes, judged = self.assessor(), {}, []
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            for done in pool.imap(_validate_chunk, chunks):
                judged.extend(done)
                for (path, folder), (outcome, ask, new) in zip(jobs[len(judged) - len(done):len(judged)], done):
                    inbox = inboxes.get(folder) or inboxes.setdefault(folder, Inbox.of(folder))
                    a.remember(path, inbox, ask)  # what it asks, so that no file is loaded here again
                    yield a.twin_of_earlier(path, inbox, outcome, ask) if new else outcome

    # --- the batch ---------------------------------------------------------------------------

    def batch(self, out: Path, *, templates: Path, output: Output = Output.PDF, workers: int = 2,
              converters=None) -> Batch:
        """A batch on this office's register (hold `locked()` while it runs)."""
        return Batch(self.cfg, self.register, today=self.today(), out=out, templates=templates, output=output,
                     workers=workers, converters=converters)

    def process(self, files: list[Path], inbox: Path, out: Path, *, templates: Path,
                output: Output = Output.PDF, workers: int = 2, converters=None,
                progress: Callable[[int], None] | None = None,
                on_outcome: Callable[[Outcome], None] | None = None) -> list[Outcome]:
        """The batch over `files` of one inbox; the caller holds `locked()`. The book is not written."""
        from pipeline.durable import LETTERS_TEMP, remove_stale_temp

        private_mkdir(out)
        remove_stale_temp(out, LETTERS_TEMP, 2)  # half-written by a killed run: ppid's own names only
        batch = self.batch(out, templates=templates, output=output, workers=workers, converters=converters)
        outcomes = []
        for o in batch.run(files, inbox, progress=progress):
            outcomes.append(o)
            if on_outcome:
                on_outcome(o)
        return outcomes

    def run(self, inbox: Path, out: Path, *, templates: Path, output: Output = Output.PDF, workers: int = 2,
            progress: Callable[[int], None] | None = None,
            on_outcome: Callable[[Outcome], None] | None = None) -> RunReport:
        """`ppid run`: every request file of the inbox, under the lock; then the book."""
        if not Path(templates).is_dir():  # before anything is read or written
            raise UsageError(f"{templates}: no such templates folder (relative to the current folder {Path.cwd()}); "
                             "give --templates DIR, or run ppid from the project folder")
        files = find_request_files(inbox)
        report = RunReport()
        with self.locked() as reg:
            report.new_register = not self.register.has_log()
            self._refuse_backdating(reg)
            self._refuse_planted_folders(out)
            report.outcomes = self.process(files, inbox, out, templates=templates, output=output, workers=workers,
                                           progress=progress, on_outcome=on_outcome)
            report.delivery = self._deliver_locked()  # spec section 7: run sends what is owed at its end
            report.csv, report.parquet = self.write_book()
        return report

    def _refuse_backdating(self, reg: Register) -> None:
        """A run dated before a letter the register already issued would date its own letters
        earlier than those, with later numbers: a backdated letter is never made on a guess."""
        latest = max((str(letter.get("date") or "") for rec in reg.records.values() for letter in rec.letters),
                     default="")
        if latest and self.today().isoformat() < latest:
            raise UsageError(f"the register in {self.records_dir} has letters dated up to {latest}; a run dated "
                             f"{self.today()} would date its letters before them (with later numbers): run with "
                             f"--date {latest} or later")

    def _refuse_planted_folders(self, out: Path) -> None:
        """Stop before the first write when a link stands at a folder the run writes into: a
        request's letters folder, the status index's, the outbox; or at the book's files,
        which are written last (a link there, refused only then, left the log ahead of the
        book: hostile round 3) (pipeline.files)."""
        from pipeline.book import CSV_NAME, PARQUET_NAME
        from pipeline.delivery.index import PUBLIC
        from pipeline.delivery.outbox import OUTBOX

        out = Path(out)
        letters = [out / n for n in os.listdir(out)] if out.is_dir() and not out.is_symlink() else []
        files.refuse_links(out, self.records_dir / PUBLIC, self.records_dir / OUTBOX,
                           self.records_dir / CSV_NAME, self.records_dir / PARQUET_NAME, *letters)

    def _deliver_locked(self):
        """Send the letters owed by e-mail and publish the status index (the caller holds the lock)."""
        from pipeline.delivery.service import after_run

        return after_run(self.records_dir, self.cfg, self.register, self.today())

    def deliver(self, dsn_dir: Path | None = None, now: dt.datetime | None = None):
        """`ppid deliver`: receipts the DSNs in `dsn_dir` show recorded, the e-mails owed sent
        (each message under its own lock), then the status index and the book rewritten.
        `now`: the moment the e-mails go out [default: the machine's clock] (outbox.deliver).
        Returns (outbox.Report, the `delivered` events recorded from DSNs)."""
        from pipeline.delivery import dsn, index
        from pipeline.delivery.outbox import deliver as send_owed

        received = dsn.record_folder(self.records_dir, dsn_dir, self.cfg, self.today()) if dsn_dir else []
        report = send_owed(self.records_dir, self.cfg, reg=self.refresh(), now=now)
        with self.locked(wait_message=False) as reg:
            index.publish(reg, self.cfg, self.records_dir, self.today())
            self.write_book()
        return report, received

    def deliveries_due(self, *, as_json: bool) -> tuple[list[str], bool]:
        """`ppid due`'s part on deliveries: lines to print, and whether an e-mail is owed."""
        from pipeline.delivery.service import due_deliveries

        return due_deliveries(self.refresh(), self.cfg, as_json=as_json)

    def count(self, inbox: Path) -> int:
        """How many request files `run` would take from the inbox (for a progress bar)."""
        return len(find_request_files(inbox))

    # --- deadlines ------------------------------------------------------------------------------

    def due(self, within: int | None = None) -> DueReport:
        """Open requests and objections, overdue first, and letters owed."""
        from pipeline.retry import owed_in

        reg = self.refresh()
        return DueReport(due_list(reg, self.cfg, self.today(), within=within), owed_in(reg))

    def due_of(self, register_no: str) -> tuple[dt.date | None, int | None]:
        """One request's due date and working days left (None while no clock runs), as `due` counts."""
        rec = self.refresh().records.get(register_no)
        if rec is None:
            return None, None
        due = self.clock.due(rec)
        return due, (self.clock.days_left(self.today(), due) if due else None)

    def explain(self, register_no: str) -> Explanation:
        """`ppid deadline REGISTER_NO`: the clock of one request day by day."""
        reg = self.refresh()
        rec = reg.records.get(register_no)
        if rec is None:
            raise UsageError(f"{register_no} is not in the register {reg.folder}; check the number "
                             "(ppid due lists open ones)")
        return self.clock.explain(rec)

    def explain_from(self, start: dt.date, days: int | None = None) -> Explanation:
        """`ppid deadline --from DATE [--days N]`."""
        return self.clock.explain_from(start, days)

    # --- personal data ----------------------------------------------------------------------------

    def purge(self, before: dt.date | None = None, *, folders: "list[Path] | None" = None) -> PurgeReport:
        """`ppid purge`: erase the personal data of closed requests received before `before`
        (default: the processing date less the retention period; UU 27/2022). Files are
        deleted only inside the records folder and `folders` (the inboxes and output folders
        given: Register.purge)."""
        limit = before if before is not None else self._retention_limit()
        with self.locked() as reg:
            purged = reg.purge(limit, today=self.today(), clock=self.clock, roots=list(folders or []))
            self.write_book()
        return PurgeReport(limit, purged, dict(reg.purge_held), list(reg.purge_skipped))

    def _retention_limit(self) -> dt.date:
        date, years = self.today(), self.cfg.retention_years
        if date.year - years < 2000:  # no request is older than that (loading.MIN_YEAR)
            raise UsageError(f"--date {date} less the retention of {years} years is before 2000; "
                             "give the processing date (today) or --before DATE")
        return date.replace(year=date.year - years, day=min(date.day, 28) if date.month == 2 else date.day)

    # --- reading the book -------------------------------------------------------------------------

    def stats(self, *, year: int | None = None, start: dt.date | None = None, end: dt.date | None = None,
              book=None) -> dict:
        """The compliance statistics of a year (default: the processing date's) or a date range,
        of the book on disk or of `book` (a reader that keeps one in memory, the desk)."""
        from pipeline import stats as S

        book = self.book(columns=S.STATS_COLUMNS) if book is None else book
        kw = dict(calendar=self.cfg.calendar.working_days, deadlines=self.cfg.deadlines)
        if start or end:
            if not (start and end) or year:
                raise UsageError("give --from and --to together, or --year, not both")
            return S.compute_with_previous(book, start=start, end=end, as_of=self.today(), **kw)
        return S.compute_year(book, year or self.today().year, self.today(), **kw)

    def report(self, year: int, out: Path, *, output: Output = Output.PDF) -> tuple[Path, Path | None]:
        """The annual report (Laporan Layanan Informasi Publik) as DOCX and, unless DOCX only, PDF."""
        from pipeline import report as R
        from pipeline import survey as V

        cfg = self.cfg
        office = dict(cfg.office, logo=str(cfg.folder / cfg.office["logo"]) if cfg.office.get("logo") else "")
        return R.build_report(
            self.book(), year, out, office=office, survey=V.load(self.records_dir, year), as_of=self.today(),
            narrative={"signatory": cfg.signatory("ppid"), **cfg.report,
                       # the election stages, so that the report names the regime (spec section 6)
                       "election": {"periods": [{"name": p.name, "from": p.start, "to": p.end}
                                                for p in cfg.clock.periods],
                                    "notice": cfg.clock.election["notice"],
                                    "extension": cfg.clock.election["extension"]}},
            requirement_titles={c: v["title"] for c, v in cfg.requirements.items()},
            calendar=cfg.calendar.working_days, deadlines=cfg.deadlines, pdf=output is Output.PDF)

    def export(self, fmt: str, dest: Path) -> Path:
        """The register book for analysts: no personal data, names pseudonymised."""
        from pipeline import export as E

        settings = E.load_settings(self.config_dir)
        files.make_dir(dest.parent, None)
        return E.export_book(self.book(), dest, fmt, key=settings["pseudonym_key"],
                             drop=settings["drop_columns"], scrub=settings["scrub_columns"])

    def survey(self, file: Path, year: int | None = None):
        """`ppid survey`: the satisfaction index (IKM) of a survey file, stored for the year's report."""
        from pipeline import survey as V

        result = V.score(file, V.load_config(self.config_dir))
        return result, V.store(result, self.records_dir, year or self.today().year)

    def check_templates(self, folder: Path) -> list[str]:
        """`ppid templates check`: variables the templates use that the letters do not give, and the reverse."""
        from pipeline.templatecheck import check_templates

        return check_templates(folder)

    def verify(self, pdf: Path):
        """`ppid verify`: a letter's signature, code and digests against the register (pdf.Verdict)."""
        from pipeline import pdf as P

        return P.verify_letter(pdf, self.refresh().codes, self.cfg.signing)


def _validate_chunk(jobs: list[tuple[Path, Path]]) -> list[tuple[Outcome, Any, bool]]:
    return [_validate_one(path, folder) for path, folder in jobs]


def _validate_one(path: Path, folder: Path) -> tuple[Outcome, Any, bool]:
    """A file's outcome; what it asks (matching.Ask, None if it is no request); and whether
    it is a new request still to be checked against its folder's earlier new files."""
    assessor: Assessor = _SHARED["assessor"]
    inboxes = _SHARED["inboxes"]
    inbox = inboxes.get(folder)
    if inbox is None:  # resolved once
        inbox = inboxes[folder] = Inbox.of(folder)
        inbox.twins = _SHARED["twins"]
    j = assessor.judge(path, inbox)
    ask = j.ask
    deferred = not inbox.twins and j.verdict is Verdict.PLANNED and j.rec is None
    return assessor.outcome(j), ask, deferred
