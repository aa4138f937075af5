"""What the desk keeps between requests: the config, the register read once and followed
as it grows, the LibreOffice converters kept warm, and the one way it changes anything
(under the records lock, recorded in the event log with the user's name)."""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

import filelock

from pipeline.config import Config
from pipeline.errors import PpidError
from pipeline.events import DeskAction
from pipeline.files import private_mkdir
from pipeline.loading import WITA
from pipeline.office import Office
from pipeline.outcome import Outcome
from pipeline.register import LOCK, Register

LOCK_WAIT_S = 20.0  # a change waits this long for a running batch, then says so
BOOK_QUIET_S = 3.0  # after a walk-in, the book is rewritten once the desk is this long quiet
DATE_DIR = "%Y-%m-%d"


class Busy(PpidError):
    """The records are locked by a batch run (the desk's or `ppid run`)."""


@dataclass
class Settings:
    config: Path
    records: Path
    inbox_root: Path
    out: Path = Path("out")
    templates: Path = Path("templates")
    mail_dir: Path | None = None
    users: Path | None = None  # default records/users.json
    date: dt.date | None = None  # fixed processing date; None: today in WITA
    workers: int = 2  # LibreOffice instances kept warm: a receipt and a notice convert side by side
    max_upload: int = 10 * 1024 * 1024  # bytes, per attachment
    warm: bool = True  # start LibreOffice with the desk
    trusted_proxies: list[str] = field(default_factory=list)  # addresses whose X-Forwarded-For is believed
    extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self):
        for name in ("config", "records", "inbox_root", "out", "templates"):
            setattr(self, name, Path(getattr(self, name)).absolute())
        if self.mail_dir is not None:
            self.mail_dir = Path(self.mail_dir).absolute()
        self.users = Path(self.users).absolute() if self.users else self.records / "users.json"


class Desk:
    """The desk's state, shared by every request (the server is threaded)."""

    def __init__(self, settings: Settings):
        self.s = settings
        # the one application object: config, clock and register (pipeline.office)
        self.office = Office(settings.config, settings.records, date=settings.date)
        self.cfg: Config = self.office.cfg
        self._mutex = threading.RLock()
        self.converters = None
        self.run_state: dict[str, Any] = {"running": False}
        self._book_cache: tuple[Any, Any] | None = None
        self.caches: dict[str, Any] = {}  # what pages compute from one version of the book (desk.views)
        self._renderer_cache: tuple[Any, Any] | None = None
        self._book_lock = threading.Lock()
        self._book_asked: float | None = None
        self._book_thread: threading.Thread | None = None
        self._closing = False
        # the register pages' caches (pipeline.desk.views), each keyed by the book's version
        self.view_caches: tuple[dict, dict, dict] = ({}, {}, {})
        private_mkdir(settings.records)

    # --- time ----------------------------------------------------------------------------

    def today(self) -> dt.date:
        return self.office.today()

    def now(self) -> dt.datetime:
        """Now in WITA, on the processing date (a desk run for a given day stays on it)."""
        now = dt.datetime.now(WITA).replace(second=0, microsecond=0, tzinfo=None)
        return dt.datetime.combine(self.today(), now.time())

    def inbox_today(self) -> Path:
        return self.s.inbox_root / self.today().strftime(DATE_DIR)

    # --- converters ----------------------------------------------------------------------

    def start_converters(self) -> None:
        """LibreOffice started with the desk and kept running between requests."""
        from pipeline.pdf import ConverterPool

        if self.converters is None:
            self.converters = ConverterPool(self.s.workers)
            self.converters.start()

    def docx_to_pdf(self, data: bytes) -> bytes:
        """A letter received as .docx, converted by the desk's warm LibreOffice (macros,
        ActiveX and external links removed first: pipeline.pdf.convert.docx_bytes_to_pdf)."""
        from pipeline.pdf.convert import docx_bytes_to_pdf

        return docx_bytes_to_pdf(data, pool=self.converters)

    def warm(self) -> None:
        """Read the register and the book and prepare the views in the background, so the
        first visitor does not wait for pandas and the register to load."""
        def work() -> None:
            try:
                from . import views

                self.register()
                self.book()
                for role in ("ppid", "analyst"):
                    views.register_rows(self, role, "", 1, "")
                views.statistics(self, self.today().year)
                from .tasks import lookup

                lookup.warm(self)
            except Exception:  # noqa: BLE001 - the page that needs it reports the problem
                pass

        threading.Thread(target=work, name="desk-warm", daemon=True).start()

    def close(self) -> None:
        """Write a book still owed, stop LibreOffice."""
        self._closing = True
        thread = self._book_thread
        if thread is not None:
            thread.join(60)
        if self.converters is not None:
            self.converters.close()
            self.converters = None

    # --- the register, read once and followed ----------------------------------------------

    def register(self) -> Register:
        """The register as the log says now (Office.refresh: the one reader of the log)."""
        with self._mutex:
            return self.office.refresh()

    def assess(self, path: Path, inbox: Path) -> Outcome:
        """A file's status as `ppid run` and `ppid validate` give it (Office.assess)."""
        with self._mutex:
            return self.office.assess(path, inbox)

    def due_of(self, register_no: str) -> tuple[dt.date | None, int | None]:
        """A request's due date and working days left, as `ppid due` counts (the one clock)."""
        with self._mutex:
            return self.office.due_of(register_no)

    def view(self) -> Register:
        """A copy of the register for a page to read while a change may be under way in
        another thread (the records dictionaries copied; about a millisecond for 10,000)."""
        import copy

        with self._mutex:
            reg = self.register()
            snap = copy.copy(reg)
            snap.records, snap.digests, snap.by_key = dict(reg.records), dict(reg.digests), dict(reg.by_key)
            return snap

    @contextmanager
    def changing(self, user: str, action: str, **details: Any) -> Iterator[tuple[Register, dict]]:
        """Hold the records lock for one change and record it as a `desk` event.

        The body does the change and may add to the details (file, register_no); the
        event is appended only when the body finished without an exception."""
        lock = filelock.FileLock(str(self.s.records / LOCK))
        try:
            lock.acquire(timeout=LOCK_WAIT_S)
        except filelock.Timeout:
            raise Busy(f"the register is busy (a batch is running; {self.s.records / LOCK}); try again in a minute") from None
        try:
            with self._mutex:
                reg = self.register()
                yield reg, details
                event = DeskAction(action=action, user=user, at=dt.datetime.now(WITA).strftime("%Y-%m-%d %H:%M:%S"),
                                   details=details)
                reg.append([event.record()])
        finally:
            lock.release()

    # --- the batch -----------------------------------------------------------------------

    def run_files(self, reg: Register, files: list[Path], inbox: Path,
                  progress: Callable[[int], None] | None = None) -> list[Outcome]:
        """The batch on files of one inbox (`_batch`), then the book rewritten at once.
        Call inside `changing`."""
        outcomes = self._batch(files, inbox, progress)
        self.office.write_book()
        return outcomes

    def run_walk_in(self, reg: Register, files: list[Path], inbox: Path) -> list[Outcome]:
        """The batch on a walk-in's file: the book is rewritten once the desk is quiet, so the
        receipt need not wait for it. Call inside `changing`."""
        outcomes = self._batch(files, inbox, None)
        self._book_due()
        return outcomes

    def _batch(self, files: list[Path], inbox: Path, progress: Callable[[int], None] | None) -> list[Outcome]:
        """Office's batch with the warm converters and the templates prepared once for the desk."""
        private_mkdir(self.s.out)
        batch = self.office.batch(self.s.out, templates=self.s.templates, workers=max(1, self.s.workers),
                                  converters=self.converters)
        batch.renderer = self._renderer(batch.renderer)
        return list(batch.run(files, inbox, progress=progress))

    def _renderer(self, fresh):
        """The letters' renderer kept between batches while no template changed."""
        stamp = tuple(sorted((p.name, p.stat().st_mtime_ns) for p in self.s.templates.glob("*.docx")))
        if self._renderer_cache is None or self._renderer_cache[0] != stamp:
            self._renderer_cache = (stamp, fresh)
        return self._renderer_cache[1]

    def _book_due(self) -> None:
        """Ask for the book to be rewritten once the desk has been quiet for BOOK_QUIET_S:
        walk-ins in a row then share one rewrite, which does not take the processor from
        the next receipt's conversion."""
        with self._book_lock:
            self._book_asked = time.monotonic()
            if self._book_thread is None or not self._book_thread.is_alive():
                self._book_thread = threading.Thread(target=self._book_writer, name="desk-book", daemon=True)
                self._book_thread.start()

    def _book_writer(self) -> None:
        while True:
            with self._book_lock:
                asked = self._book_asked
                if asked is None:
                    self._book_thread = None
                    return
                wait = asked + BOOK_QUIET_S - time.monotonic()
                if wait <= 0 or self._closing:
                    self._book_asked = None
            if wait > 0 and not self._closing:
                time.sleep(min(wait, 0.2))
                continue
            try:
                self._write_book()
            except Exception as exc:  # noqa: BLE001 - the next change or `ppid run` writes it again
                logging.getLogger("ppid.desk").warning("register book not rewritten: %s", exc)

    def _write_book(self) -> None:
        """register.csv/.parquet rewritten under the records lock. With the lock held
        nothing can append, so the register read here stays as it is while it is written."""
        lock = filelock.FileLock(str(self.s.records / LOCK))
        with lock.acquire(timeout=600), self._mutex:
            self.office.refresh()
            self.office.write_book()

    def inboxes(self) -> list[Path]:
        """Every inbox folder under the inbox root that holds request files."""
        from pipeline.batch import find_request_files

        root = self.s.inbox_root
        if not root.is_dir():
            return []
        return [d for d in sorted(root.iterdir()) if d.is_dir() and not d.name.startswith((".", "_"))
                and find_request_files(d)]

    def run_all(self, user: str) -> None:
        """The batch over every inbox, in the background; progress in run_state."""
        from pipeline.batch import find_request_files

        if self.run_state.get("running"):
            return
        plan = [(d, find_request_files(d)) for d in self.inboxes()]
        total = sum(len(f) for _, f in plan)
        self.run_state = {"running": True, "done": 0, "total": total, "started": time.time(),
                          "user": user, "outcomes": [], "error": None}

        def work() -> None:
            state = self.run_state
            try:
                with self.changing(user, "run", files=total) as (reg, details):
                    for inbox, files in plan:
                        def tick(n: int) -> None:
                            state["done"] += n
                        outs = self.run_files(reg, files, inbox, progress=tick)
                        state["outcomes"].extend(outs)
                    details["letters"] = sum(len(o.jobs) for o in state["outcomes"])
            except Exception as exc:  # noqa: BLE001 - shown on the run page, never a traceback
                state["error"] = str(exc) or type(exc).__name__
            finally:
                state["running"] = False
                state["finished"] = time.time()

        threading.Thread(target=work, name="desk-run", daemon=True).start()

    # --- the book ------------------------------------------------------------------------

    def book_version(self):
        """The version of the book last read (its file's mtime), for caches of views of it."""
        return self._book_cache[0] if self._book_cache else None

    def book(self):
        """register.parquet as a DataFrame, read again only when it changed."""
        path = self.s.records / "register.parquet"
        try:
            stamp = path.stat().st_mtime_ns
        except FileNotFoundError:
            stamp = None
        if self._book_cache is None or self._book_cache[0] != stamp:
            self._book_cache = (stamp, self.office.book())
        return self._book_cache[1]
