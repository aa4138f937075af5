"""`ppid run`: the batch. Load, check, register, decide, fill, convert, stamp, record.

Files are taken in chunks. For each chunk every file is assessed against the register
(numbers reserved in memory), its letters are filled and converted by LibreOffice (one
long-lived instance per worker for the whole run, pdf.ConverterPool, started at the first
letter), each letter stamped as soon as its PDF comes out, and only then are the chunk's
events appended to the log. A run killed half-way therefore leaves no event behind for
the unfinished chunk, and the next run hands out the same numbers again.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import queue
import shutil
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

from pipeline import matching, planner, requirements, retry
from pipeline.config import Config
from pipeline.errors import Problem, ProblemCode, PpidError, RequestFileError
from pipeline.files import private_mkdir, sha256
from pipeline.formatting import date_id, datetime_id
from pipeline.loading import Inbox, load_request
from pipeline.model import Request
from pipeline.register import Record, Register, safe_name

CHUNK = 48


@dataclass
class LetterJob:
    """A letter to fill, convert and stamp."""

    kind: str
    register_no: str
    letter_no: str
    letter_seq: int
    context: dict[str, Any]
    docx: Path
    pdf: Path | None = None
    code: str | None = None
    sha256: str | None = None
    signature_digest: str | None = None  # PAdES signature, when the office signs (signing: in office.yaml)
    error: str | None = None
    retry: bool = False  # a letter logged earlier whose PDF failed: convert its DOCX again


@dataclass
class IncomingJob:
    """The requester's own letter, to be stamped DITERIMA."""

    src: Path
    dst: Path
    register_no: str
    received: str
    due: str
    digest: str = ""  # SHA-256 of the requester's file: stamped once per version
    done: bool = False


@dataclass
class Outcome:
    """What happened to one request file: the JSON line of `ppid run --json`."""

    file: str
    status: str
    register_no: str | None = None
    missing: list[str] = field(default_factory=list)
    outcome: str | None = None
    items: list[dict[str, Any]] = field(default_factory=list)
    due: str | None = None
    letters: list[dict[str, Any]] = field(default_factory=list)
    error: str | None = None
    errors: list[dict[str, Any]] = field(default_factory=list)  # the problems of a rejected file, as data
    unchanged: bool = False
    warnings: list[str] = field(default_factory=list)
    details: dict[str, str] = field(default_factory=dict)  # requirement code -> what exactly was wrong
    events: list[dict[str, Any]] = field(default_factory=list, repr=False)
    jobs: list[LetterJob] = field(default_factory=list, repr=False)
    incoming: IncomingJob | None = field(default=None, repr=False)

    @property
    def failed(self) -> bool:
        return self.status in ("rejected_file", "incomplete") or bool(self.error) or any(
            j.error for j in self.jobs)

    def to_json(self) -> dict[str, Any]:
        if self.status == "rejected_file":
            return {"file": self.file, "status": self.status, "error": self.error, "errors": self.errors}
        out = {"file": self.file, "status": self.status, "register_no": self.register_no,
               "missing": self.missing, "outcome": self.outcome, "items": self.items,
               "due": self.due, "letters": [
                   {"kind": j.kind, "letter_no": j.letter_no, "docx": str(j.docx),
                    "pdf": str(j.pdf) if j.pdf else None, **({"error": j.error} if j.error else {}),
                    **({"retry": True} if j.retry else {})}
                   for j in self.jobs]}
        if self.unchanged:
            out["unchanged"] = True
        if self.warnings:
            out["warnings"] = self.warnings
        if self.error:
            out["error"] = self.error
        return out


def rejected(display: str, exc: RequestFileError) -> Outcome:
    """The Outcome of a file that is not a request: one-line `error`, and `errors` as data."""
    return Outcome(file=display, status="rejected_file", error=str(exc),
                   errors=[p.as_dict(display) for p in exc.problems])


@dataclass
class Checked:
    """A request file loaded and checked: what `ppid validate` reports and `ppid run` plans from."""

    req: Request
    failures: list[requirements.Failure]


def check_file(path: Path, inbox: Inbox, today: dt.date, cfg: Config, *, lookup: planner.Lookup,
               known: Callable[[str], bool], display: str) -> Checked:
    """Load one request file and check its requirements; raise RequestFileError if it is no request.

    The one check behind both `ppid run` and `ppid validate` (`inbox` resolved once by the caller)."""
    req = load_request(path, inbox, today, display=display)
    problems = []
    if req.register_no and not known(req.register_no):
        problems.append(Problem(ProblemCode.REFERENCE, "register_no", req.lines.get("register_no"), (
            f"'{req.register_no}' is not in the register; give the number from the receipt or notice, "
            "or leave the field out for a new request")))
    ext = req.decision.extend if req.decision else None
    if ext and ext.days:
        start = (req.completed or req.received).date()
        most = cfg.clock.regime(start).extension  # UU KIP Pasal 22 ayat 8; Perki 1/2019 in an election stage
        if ext.days > most:
            problems.append(Problem(ProblemCode.RANGE, "decision.extend.days", req.lines.get("decision.extend.days"),
                                    f"is {ext.days}; an extension is 1 to {most} working days "
                                    "(UU KIP Pasal 22 ayat 8; config/office.yaml deadlines)"))
    if problems:
        raise RequestFileError(display, problems)
    return Checked(req, requirements.check(req, cfg, lookup=lookup))


def register_lookup(reg: Register, cfg: Config) -> planner.Lookup:
    """What the register knows of a register number, for objections (planner.Target)."""
    def lookup(register_no: str) -> planner.Target | None:
        rec = reg.records.get(register_no)
        if rec is None:
            return None
        notice = rec.last_letter("decision_notice")
        return planner.Target(register_no, dt.date.fromisoformat(notice["date"]) if notice else None,
                              notice["letter_no"] if notice else "", cfg.clock.due(rec))
    return lookup


def find_request_files(inbox: Path) -> list[Path]:
    """Every *.yaml / *.yml below the inbox, in name order."""
    files = [p for p in inbox.rglob("*") if p.suffix.lower() in (".yaml", ".yml") and not p.name.startswith(".")]
    return sorted(files, key=lambda p: p.parts)  # as Path ordering, without its cost




def _warm_imports() -> None:
    """Import, in the background while LibreOffice converts, what the register book needs
    afterwards (pandas and pyarrow: about 0.4 s), so that it is not paid after the letters."""
    import sys
    import threading

    if "pandas" in sys.modules:
        return

    def load() -> None:
        try:
            import pandas  # noqa: F401
            import pyarrow.parquet  # noqa: F401
        except Exception:  # noqa: BLE001 - an import failing here fails again, loudly, where it is used
            pass

    threading.Thread(target=load, name="warm-imports").start()  # not a daemon: never cut short mid-import


class Batch:
    """One run over an inbox."""

    def __init__(self, cfg: Config, register: Register, *, today: dt.date, out: Path,
                 templates: Path, pdf: bool = True, workers: int = 2, converters=None):
        self.cfg, self.reg, self.today, self.out, self.pdf = cfg, register, today, Path(out), pdf
        from pipeline import letters  # jinja2 and docxtpl: only a batch that writes letters pays for them

        self.letters = letters
        self.workers = workers
        self.renderer = letters.Renderer(templates, cfg)
        self.pending: dict[str, Outcome] = {}
        # pipeline.pdf.ConverterPool, started at the first letter; one given (the desk's,
        # kept warm between requests) is used and left running
        self.converters = converters
        self._own_converters = converters is None
        self.lookup = register_lookup(register, cfg)
        self._files: tuple[int, dict[str, str]] = (-1, {})  # matching.file_index, with the size it was built at
        self.signer = None  # pipeline.pdf.Signer, when the office signs its letters
        if pdf and getattr(cfg, "signing", None) is not None:
            from pipeline.pdf import Signer

            self.signer = Signer.from_config(cfg.signing)  # ConfigError before any file is touched

    # --- per file ----------------------------------------------------------------------

    def assess(self, path: Path, inbox: "Inbox | Path") -> Outcome:
        """Load and judge one file; reserve numbers and plan events and letters."""
        display = str(path)
        try:
            checked = check_file(path, inbox, self.today, self.cfg, lookup=self.lookup,
                                 known=self.reg.records.__contains__, display=display)
        except RequestFileError as exc:
            return rejected(display, exc)
        req = checked.req
        rno = self.reg.digests.get(req.digest)
        if rno and self.reg.records[rno].digest == req.digest:  # unchanged: equal to the latest version
            result = self._unchanged(display, self.reg.records[rno])
            self._retry_owed(self.reg.records[rno], result)
            self._incoming_owed(req, self.reg.records[rno], result)
            return result
        twin = self.pending.get(req.digest) or self.pending.get(req.key)
        if twin:  # the same request twice in one chunk: the first one counts
            return Outcome(file=display, status=twin.status, register_no=twin.register_no, missing=twin.missing,
                           outcome=twin.outcome, items=twin.items, due=twin.due, unchanged=True,
                           warnings=[f"same request as {twin.file}; processed once"])
        early, note, kept = self._match(req, display)  # the register number is checked in check_file
        if early is not None:
            return early
        if req.register_no and kept is not None:  # the registered details filled in: check again
            checked = Checked(req, requirements.check(req, self.cfg, lookup=self.lookup))
        result = self._realise(checked, display)
        if note:
            result.warnings.append(note)
        result.warnings.extend(kept or [])
        self._retry_owed(self.reg.records.get(result.register_no or ""), result)
        self.pending[req.digest] = self.pending[req.key] = result
        return result

    def _realise(self, checked: "Checked", display: str) -> Outcome:
        """Plan (pure), then number the request and its letters and fill the letters' contexts."""
        req = checked.req
        rno = req.register_no or self.reg.by_key.get(req.key)
        rec = self.reg.records.get(rno) if rno else None
        p = planner.plan(req, rec, checked.failures, cfg=self.cfg, today=self.today, lookup=self.lookup,
                         display=display)
        if rec is None:
            counter = p.counter
            rno, seq = self.reg.next_number(counter, req.received.date())
            p.events[0].update(register_no=rno, **{f"{counter}_seq": seq, f"{counter}_year": req.received.year})
        else:
            rno = rec.register_no
        p.events[0]["source"] = matching.file_part(req.key)  # this file is a version of the request
        if req.kuasa and "personal" in p.events[0]:
            p.events[0]["personal"] = matching.with_proxy(req, p.events[0]["personal"])
        if rec is not None and req.register_no and "personal" in p.events[0]:
            p.events[0]["personal"] = matching.merged_attachments(rec, p.events[0]["personal"])
        for ev in p.events:
            ev.setdefault("register_no", rno)
            if "by_objection" in ev and ev["by_objection"] is None:
                ev["by_objection"] = rno
        result = Outcome(file=display, status=p.status, register_no=rno, missing=p.missing, outcome=p.outcome,
                         items=p.items, due=p.due.isoformat() if p.due else None, warnings=p.warnings,
                         details={f.code: f.detail for f in checked.failures if f.code in p.missing})
        numbers = {lp.kind: self.reg.next_number("letter", self.today) for lp in p.letters}
        for lp in p.letters:
            letter_no, seq = numbers[lp.kind]
            data = dict(lp.data, **{key: numbers[kind][0] for key, kind in lp.refs.items() if kind in numbers})
            ctx = self.letters.letter_context(self.cfg, req, kind=lp.kind, data=data, register_no=rno, letter_no=letter_no,
                                   date=self.today, due=lp.due, regime=p.regime)
            n = sum(1 for e in (rec.letters if rec else []) if e["kind"] == lp.kind)
            # the register number in the file name keeps names unique across a batch
            name = f"{safe_name(rno)}_{lp.kind}" + ("" if n == 0 else f"-{n + 1}")
            result.jobs.append(LetterJob(kind=lp.kind, register_no=rno, letter_no=letter_no, letter_seq=seq,
                                         context=ctx, docx=self.out / safe_name(rno) / f"{name}.docx"))
        result.events = p.events
        self._incoming(req, rec, result, p.due)
        return result

    def _incoming(self, req: Request, rec: Record | None, result: Outcome, due: dt.date | None) -> None:
        """Stamp the requester's letter DITERIMA, once per version of that file."""
        src = req.attachment(req.letter)
        if not self.pdf or not src or not src.is_file():
            return
        digest = sha256(src)
        if rec and rec.row.get("incoming_digest") == digest:
            return
        rno = result.register_no
        result.incoming = IncomingJob(src=src, dst=self.out / safe_name(rno) / f"{safe_name(rno)}_surat-masuk-diterima.pdf",
                                      register_no=rno, received=datetime_id(req.received),
                                      due=date_id(due) if due else "-", digest=digest)

    def _match(self, req: Request, display: str) -> tuple[Outcome | None, str | None, list[str] | None]:
        """The registered request this changed file belongs to: refuse what is not the
        requester's to change (matching.refusal), leave a purged request closed, keep the
        number of a corrected `received`. Returns the outcome when the file is not to be
        planned, a note for the run, and what a supplement could not change."""
        rec, how = self._find(req)
        if rec is not None and rec.purged_at:  # UU 27/2022: erased data is not read back in; the request stays closed
            return self._unchanged(display, rec), None, None
        refused = matching.refusal(self.reg, req, rec, how, display)
        if refused is not None:
            return rejected(display, refused), None, None
        if rec is None:
            return None, None, None
        kept = matching.keep_registered(rec, req) if how == "register_no" else None
        if how == "file":
            req.register_no = rec.register_no  # the planner updates that request
            return None, (f"received changed from {rec.row.get('received_at')} to {req.received:%Y-%m-%d %H:%M}: "
                          f"the same file in the same inbox is the same request, so it keeps register number "
                          f"{rec.register_no}"), kept
        return None, None, kept

    def _find(self, req: Request) -> tuple[Record | None, str | None]:
        """The registered request a file changes, and how it was found (matching.refusal)."""
        if self._files[0] != len(self.reg.by_key):  # rebuilt once a chunk, not once a file
            self._files = (len(self.reg.by_key), matching.file_index(self.reg))
        return matching.find(self.reg, req, self._files[1])

    def _incoming_owed(self, req: Request, rec: Record, result: Outcome) -> None:
        """Stamp the requester's letter when no `incoming_stamped` event says this version was
        stamped (a torn last line lost it, or the request came in a run without PDFs)."""
        src = req.attachment(req.letter)
        if not self.pdf or rec.incoming_pdf or rec.purged_at or not src or not src.is_file():
            return
        digest = sha256(src)
        if rec.row.get("incoming_digest") == digest:
            return
        due = self.cfg.clock.due(rec)
        name = safe_name(rec.register_no)
        result.incoming = IncomingJob(src=src, dst=self.out / name / f"{name}_surat-masuk-diterima.pdf",
                                      register_no=rec.register_no, received=datetime_id(req.received),
                                      due=date_id(due) if due else "-", digest=digest)

    def _retry_owed(self, rec: Record | None, result: Outcome) -> None:
        """Add the letters of `rec` whose PDF failed on an earlier run (retry.owed)."""
        if rec is None or not self.pdf:
            return
        for e in retry.owed(rec):
            docx = Path(e["docx"])
            job = LetterJob(kind=e["kind"], register_no=rec.register_no, letter_no=e["letter_no"],
                            letter_seq=e.get("letter_seq") or 0, context={}, docx=docx, retry=True)
            if not docx.is_file():
                job.error = (f"{docx}: the DOCX of letter {e['letter_no']} is gone, so its PDF cannot be made; "
                             "restore the file from backup and run again")
            result.jobs.append(job)

    def _unchanged(self, display: str, rec: Record) -> Outcome:
        due = self.cfg.clock.due(rec)
        decided = rec.decided or {}
        result = Outcome(file=display, status=rec.row.get("status", "registered"), register_no=rec.register_no,
                         missing=list(rec.missing), outcome=rec.row.get("outcome"), items=decided.get("items", []),
                         due=due.isoformat() if due else None, unchanged=True)
        if rec.purged_at:
            result.warnings.append(f"{rec.register_no} was purged on {rec.purged_at}: its personal data is erased "
                                   "and the request is closed; this file is not read again")
        return result

    # --- per chunk ---------------------------------------------------------------------

    def run(self, paths: list[Path], inbox: Path, *, progress: Callable[[int], None] | None = None) -> Iterator[Outcome]:
        try:
            yield from self._run(paths, inbox, progress)
        finally:
            if self.converters is not None and self._own_converters:
                self.converters.close()

    def _run(self, paths: list[Path], inbox: Path, progress: Callable[[int], None] | None) -> Iterator[Outcome]:
        inbox = Inbox.of(inbox)  # resolved once for all its files
        for start in range(0, len(paths), CHUNK):
            chunk = paths[start:start + CHUNK]
            self.pending: dict[str, Outcome] = {}
            outcomes = []
            for path in chunk:
                outcomes.append(self.assess(path, inbox))  # numbers reserved in memory
                if outcomes[-1].jobs and self.pdf and self.converters is None:
                    # the first letter of the run: LibreOffice starts now, in the background,
                    # while the rest is checked and filled (a run with no letter starts none)
                    from pipeline.pdf import ConverterPool

                    self.converters = ConverterPool(self.workers)
                    self.converters.start()
            self._produce(outcomes)
            events = []
            for o in outcomes:
                events.extend(o.events)
                for j in o.jobs:
                    if j.retry:
                        if j.pdf:
                            events.append(retry.pdf_event(j.register_no, j.letter_no, str(j.pdf), j.code, j.sha256,
                                                          j.signature_digest))
                        continue
                    events.append({"type": "letter", "register_no": j.register_no, "kind": j.kind,
                                   "letter_no": j.letter_no, "letter_seq": j.letter_seq,
                                   "letter_year": self.today.year, "date": self.today.isoformat(),
                                   "docx": str(j.docx), "pdf": str(j.pdf) if j.pdf else None,
                                   "code": j.code, "sha256": j.sha256, "signature_digest": j.signature_digest,
                                   "error": j.error})
                if o.incoming and o.incoming.done:
                    events.append({"type": "incoming_stamped", "register_no": o.register_no,
                                   "incoming_digest": o.incoming.digest,
                                   "pdf": str(o.incoming.dst)})
            self.reg.append(events)
            if progress:
                progress(len(chunk))
            yield from outcomes

    def _produce(self, outcomes: list[Outcome]) -> None:
        """Fill every letter of the chunk, convert them, stamp them.

        The letters are shared out among the LibreOffice workers; each worker starts, in
        a thread of its own, as soon as its share is filled, and each letter is stamped
        as soon as its PDF comes out, the requesters' own letters meanwhile: Python's work
        overlaps the conversion instead of following it."""
        jobs = [j for o in outcomes for j in o.jobs if not (j.retry and j.error)]
        if not self.pdf:
            for j in jobs:  # a template mistake raises and stops the batch: every letter would be wrong
                self.renderer.render(j.kind, j.context, j.docx)
            return
        from pipeline import pdf as P

        if not jobs:
            self._stamp_incoming(outcomes)
            return
        n = max(1, min(self.workers, len(jobs)))
        size, extra = divmod(len(jobs), n)
        shares, i = [], 0
        for k in range(n):
            shares.append(jobs[i:i + size + (1 if k < extra else 0)])
            i += len(shares[-1])
        tmp = private_mkdir(self.out / ".convert")
        by_doc: dict[Path, LetterJob] = {}
        done: set[Path] = set()
        results: queue.SimpleQueue = queue.SimpleQueue()
        try:
            with ThreadPoolExecutor(max_workers=n, thread_name_prefix="convert") as pool:
                converting = []
                for k, share in enumerate(shares):
                    for j in share:
                        if not j.retry:  # a retry converts the DOCX written on the earlier run
                            self.renderer.render(j.kind, j.context, j.docx)
                        by_doc[j.docx.resolve()] = j
                    converting.append(pool.submit(
                        P.convert_to_pdf, [j.docx for j in share], tmp / str(k), workers=1, on_result=results.put,
                        pool=self.converters.part(k) if self.converters is not None else None))
                _warm_imports()
                if self.signer is not None:
                    self.signer.warm()  # pyHanko's imports while LibreOffice converts the first letters
                self._stamp_incoming(outcomes)
                while True:
                    try:
                        res = results.get(timeout=0.05)
                    except queue.Empty:
                        if all(f.done() for f in converting):
                            break
                        continue
                    job = by_doc.get(res.docx)
                    if job is not None and res.docx not in done:
                        done.add(res.docx)
                        self._finish(job, res)
                final = [r for f in converting for r in f.result()]
            for j, res in zip(jobs, final):
                key = j.docx.resolve()
                if key not in done:
                    done.add(key)
                    self._finish(j, res)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    def _finish(self, j: LetterJob, res) -> None:
        """Stamp one converted letter (footer, QR code, verification code), and sign it."""
        from pipeline import pdf as P

        if res.pdf is None:
            j.error = f"PDF conversion failed: {res.error}"
            return
        raw = res.pdf.read_bytes()
        j.code = P.verification_code(raw)
        dst = j.docx.with_suffix(".pdf")
        payload = f"PPID KPU Provinsi NTT | {j.letter_no} | {j.code}"
        try:
            issued = P.issue_letter(res.pdf, dst, register_no=j.register_no, letter_no=j.letter_no, code=j.code,
                                    qr_payload=payload, signer=self.signer, signatory=j.context.get("signatory"))
        except OSError as exc:  # a full disk: the one-line error names the letter
            exc.filename = exc.filename or str(dst)
            raise
        j.sha256, j.signature_digest = issued.sha256, issued.signature_digest
        j.pdf = dst
        res.pdf.unlink(missing_ok=True)

    def _stamp_incoming(self, outcomes: list[Outcome]) -> None:
        from pipeline import pdf as P

        for o in outcomes:
            inc = o.incoming
            if inc is None:
                continue
            try:
                P.stamp_incoming(inc.src, inc.dst, office=self.cfg.office.get("short", ""),
                                 register_no=inc.register_no, received=inc.received, due=inc.due)
                inc.done = True
            except PpidError as exc:
                inc.error = str(exc)
                o.warnings.append(f"incoming letter not stamped: {exc}")
            except OSError as exc:  # a full disk: the one-line error names the file
                exc.filename = exc.filename or str(inc.dst)
                raise




PARALLEL_FROM = 400  # files: from here `ppid validate` shares them out among the CPUs
_SHARED: dict[str, Any] = {}  # what forked validate workers inherit: config, register, date


def validate_files(files: list[Path], reg: Register, cfg: Config, today: dt.date) -> Iterator[dict[str, Any]]:
    """`ppid validate`: each file checked and planned exactly as `ppid run` would, nothing written.

    Folders are searched for request files; each inbox is resolved once. A large set is
    shared out among the CPUs (forked workers inherit the loaded config and register);
    the lines come back in order."""
    jobs = []
    for f in files:
        f = Path(f)
        paths, folder = (find_request_files(f), f) if f.is_dir() else ([f], f.parent)
        jobs.extend((path, folder) for path in paths)
    _SHARED.update(reg=reg, cfg=cfg, today=today, lookup=register_lookup(reg, cfg), inboxes={})
    _SHARED.pop("files", None)
    workers = min(os.cpu_count() or 1, 4)
    if len(jobs) < PARALLEL_FROM or workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        for path, folder in jobs:
            yield _validate_one(path, folder)
        return
    size = max(50, len(jobs) // (workers * 8))
    chunks = [jobs[i:i + size] for i in range(0, len(jobs), size)]
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        for lines in pool.imap(_validate_chunk, chunks):
            yield from lines


def _validate_chunk(jobs: list[tuple[Path, Path]]) -> list[dict[str, Any]]:
    return [_validate_one(path, folder) for path, folder in jobs]


def _validate_one(path: Path, folder: Path) -> dict[str, Any]:
    """One file as `ppid run` would see it, as the JSON line of `ppid validate`."""
    reg, cfg, today, lookup = _SHARED["reg"], _SHARED["cfg"], _SHARED["today"], _SHARED["lookup"]
    inboxes = _SHARED["inboxes"]
    inbox = inboxes.get(folder) or inboxes.setdefault(folder, Inbox.of(folder))  # resolved once
    display = str(path)
    try:
        checked = check_file(path, inbox, today, cfg, lookup=lookup, known=reg.records.__contains__, display=display)
    except RequestFileError as exc:
        return rejected(display, exc).to_json()
    req = checked.req
    if "files" not in _SHARED:  # built once per validate, not once per file
        _SHARED["files"] = matching.file_index(reg)
    found, how = matching.find(reg, req, _SHARED["files"])
    refused = None if found is not None and found.purged_at else matching.refusal(reg, req, found, how, display)
    if refused is not None:
        return rejected(display, refused).to_json()
    if how == "register_no" and not found.purged_at:  # as `ppid run` does: registered details stay
        matching.keep_registered(found, req)
        checked = Checked(req, requirements.check(req, cfg, lookup=lookup))
    rno = req.register_no or reg.by_key.get(req.key) or reg.digests.get(req.digest)
    p = planner.plan(req, reg.records.get(rno) if rno else None, checked.failures, cfg=cfg, today=today,
                     lookup=lookup, display=display)
    return {"file": display, "status": p.status, "register_no": rno, "missing": p.missing,
            "outcome": p.outcome, "items": p.items, "due": p.due.isoformat() if p.due else None,
            "letters": [lp.kind for lp in p.letters],
            "details": {f.code: f.detail for f in checked.failures if f.code in p.missing},
            **({"warnings": p.warnings} if p.warnings else {})}
