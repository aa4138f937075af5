"""`ppid run`: the batch. Load, check, register, decide, fill, convert, stamp, record.

Files are taken in chunks. For each chunk every file is assessed against the register
(numbers reserved in memory), its letters are filled and converted by LibreOffice (one
long-lived instance per worker for the whole run, pdf.ConverterPool, started at the first
letter), each letter stamped as soon as its PDF comes out, and only then are the chunk's
events appended to the log. A run killed half-way therefore leaves no event behind for
the unfinished chunk, and the next run hands out the same numbers again.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import queue
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Callable, Iterator

from pipeline import matching, planner, retry
from pipeline.assess import Assessor, Judged, Verdict
from pipeline.config import Config
from pipeline.delivery.codes import new_status_code, status_url
from pipeline.errors import PpidError
from pipeline.events import IncomingStamped, LetterIssued, LetterPdf
from pipeline.files import private_mkdir, sha256
from pipeline.formatting import date_id, datetime_id
from pipeline.loading import Inbox
from pipeline.model import Request
from pipeline.outcome import IncomingJob, LetterJob, Outcome, Output
from pipeline.register import Record, Register, safe_name

CHUNK = 48
STATUS_QR_KINDS = ("receipt", "incomplete_notice")  # their QR code opens the status page (public_base_url)


def released(req: Request, events: list[dict[str, Any]]) -> None:
    """Note on the `decided` event the documents the PPID attached to given items
    (`decision.items[].attachments`), which go with the notice (spec section 9).
    Fail closed: a file attached to an item that is not given (open or partial) is not sent."""
    files = {i.item: i.attachments for i in (req.decision.items if req.decision else []) if i.attachments}
    for ev in events:
        if ev["type"] == "decided" and files:
            ev["released"] = [str(req.attachment(a)) for n, item in enumerate(ev["items"], 1)
                              if item["status"] in ("open", "partial") for a in files.get(n, [])]


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
    """One run over an inbox: numbers, letters, PDFs and the events that record them.

    What happens to each file is judged by pipeline.assess (the same for validate and the
    desk); the batch only carries the plan out."""

    def __init__(self, cfg: Config, register: Register, *, today: dt.date, out: Path,
                 templates: Path, output: Output = Output.PDF, workers: int = 2, converters=None):
        self.cfg, self.reg, self.today, self.out = cfg, register, today, Path(out)
        self.pdf = output is Output.PDF
        from pipeline import letters  # jinja2 and docxtpl: only a batch that writes letters pays for them

        self.letters = letters
        self.workers = workers
        self.renderer = letters.Renderer(templates, cfg)
        self.pending: dict[str, Outcome] = {}
        # pipeline.pdf.ConverterPool, started at the first letter; one given (the desk's,
        # kept warm between requests) is used and left running
        self.converters = converters
        self._own_converters = converters is None
        self.assessor = Assessor(cfg, register, today)
        from pipeline.delivery.settings import delivery_settings

        self.public_base_url = delivery_settings(cfg).public_base_url
        self.signer = None  # pipeline.pdf.Signer, when the office signs its letters
        if self.pdf and cfg.signing is not None:
            from pipeline.pdf import Signer

            self.signer = Signer.from_config(cfg.signing)  # ConfigError before any file is touched

    # --- per file ----------------------------------------------------------------------

    def assess(self, path: Path, inbox: "Inbox | Path") -> Outcome:
        """Judge one file (pipeline.assess); reserve numbers and fill letters for its plan."""
        j = self.assessor.judge(path, inbox, pending=self.pending)
        if j.verdict is Verdict.UNCHANGED:
            self._retry_owed(j.rec, j.outcome)
            self._incoming_owed(j.checked.req, j.rec, j.outcome)
        if j.verdict is not Verdict.PLANNED:
            return j.outcome
        result = self._realise(j)
        if j.note:
            result.warnings.append(j.note)
        self._retry_owed(self.reg.records.get(result.register_no or ""), result)
        req = j.checked.req
        self.pending[req.digest] = self.pending[req.key] = result
        return result

    def _realise(self, j: Judged) -> Outcome:
        """Number the request and its letters and fill the letters' contexts, as planned."""
        checked, rec, p, display = j.checked, j.rec, j.plan, j.display
        req = checked.req
        events = list(p.events)
        if rec is None:
            rno, seq = self.reg.next_number(p.counter, req.received.date())
            events[0] = events[0].numbered(seq, req.received.year)  # Received: its place in the series
        else:
            rno = rec.register_no
        events[0] = self._version_of(req, rec, events[0])
        status_code = (rec.row.get("status_code") if rec else None) or new_status_code()  # spec section 3
        result = Outcome(file=display, status=p.status, register_no=rno, missing=p.missing, outcome=p.outcome,
                         items=p.items, due=p.due.isoformat() if p.due else None, warnings=p.warnings,
                         details={f.code: f.detail for f in checked.failures if f.code in p.missing},
                         status_code=status_code)
        status_link = status_url(self.public_base_url, rno, status_code)
        numbers = {lp.kind: self.reg.next_number(self.letters.REGISTRY[lp.kind].series, self.today)
                   for lp in p.letters}
        for lp in p.letters:
            letter_no, seq = numbers[lp.kind]
            data = dict(lp.data, **{key: numbers[kind][0] for key, kind in lp.refs.items() if kind in numbers})
            ctx = self.letters.letter_context(self.cfg, req, kind=lp.kind, data=data, register_no=rno, letter_no=letter_no,
                                   date=self.today, due=lp.due, regime=p.regime)
            ctx["request"].update(status_code=status_code, status_url=status_link)
            if lp.kind == "objection_response" and ctx["objection"].get("revoke_decree"):
                # the order names the decree to be revoked (second legal read)
                ctx["objection"].update(planner.refusal_in_force(
                    self.reg.records.get(ctx["objection"]["original_register_no"])))
            elif lp.kind == "objection_response" and ctx["objection"].get("result") == "upheld":
                # the decree that stays in force is named (third legal read)
                found = planner.refusal_in_force(self.reg.records.get(ctx["objection"]["original_register_no"]))
                ctx["objection"].update(decree_no=found["revoke_decree_no"], decree_date=found["revoke_decree_date"])
            n = sum(1 for e in (rec.letters if rec else []) if e["kind"] == lp.kind)
            # the register number in the file name keeps names unique across a batch
            name = f"{safe_name(rno)}_{lp.kind}" + ("" if n == 0 else f"-{n + 1}")
            result.jobs.append(LetterJob(kind=lp.kind, register_no=rno, letter_no=letter_no, letter_seq=seq,
                                         context=ctx, docx=self.out / safe_name(rno) / f"{name}.docx",
                                         qr=status_link if lp.kind in STATUS_QR_KINDS and status_link else None))
        result.events = [ev.record(rno) for ev in events]
        if result.events and not (rec and rec.row.get("status_code")):
            result.events[0]["status_code"] = status_code  # kept in the register from the first event on
        released(req, result.events)
        self._incoming(req, rec, result, p.due)
        return result

    @staticmethod
    def _version_of(req: Request, rec: Record | None, first):
        """The first event names the file this version came from (matching.versions_of), the
        proxy who filed it, and keeps the attachments registered before by any version (a later
        version adds; purge erases them all)."""
        if not hasattr(first, "personal"):
            return first
        personal = first.personal
        if req.kuasa:
            personal = matching.with_proxy(req, personal)
        if rec is not None:
            personal = matching.merged_attachments(rec, personal)
        return dataclasses.replace(first, personal=personal, source=matching.file_part(req.key))

    def _incoming(self, req: Request, rec: Record | None, result: Outcome, due: dt.date | None) -> None:
        """Stamp the requester's letter DITERIMA, once per version of that file."""
        result.incoming = self._incoming_job(req, rec, result.register_no, due)

    def _incoming_owed(self, req: Request, rec: Record, result: Outcome) -> None:
        """Stamp the requester's letter when no `incoming_stamped` event says this version was
        stamped (a torn last line lost it, or the request came in a run without PDFs)."""
        if not rec.incoming_pdf and not rec.purged_at:
            result.incoming = self._incoming_job(req, rec, rec.register_no, self.cfg.clock.due(rec))

    def _incoming_job(self, req: Request, rec: Record | None, rno: str, due: dt.date | None) -> IncomingJob | None:
        """The stamping of this version of the requester's letter, or None (no PDFs, no letter, done)."""
        src = req.attachment(req.letter)
        if not self.pdf or not src or not src.is_file():
            return None
        digest = sha256(src)
        if rec and rec.row.get("incoming_digest") == digest:
            return None
        name = safe_name(rno)
        return IncomingJob(src=src, dst=self.out / name / f"{name}_surat-masuk-diterima.pdf", register_no=rno,
                           received=datetime_id(req.received), due=date_id(due) if due else "-", digest=digest)

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
                            events.append(LetterPdf(letter_no=j.letter_no, pdf=str(j.pdf), code=j.code,
                                                    sha256=j.sha256, signature_digest=j.signature_digest
                                                    ).record(j.register_no))
                        continue
                    events.append(LetterIssued(
                        kind=j.kind, letter_no=j.letter_no, letter_seq=j.letter_seq, letter_year=self.today.year,
                        date=self.today.isoformat(), docx=str(j.docx), pdf=str(j.pdf) if j.pdf else None,
                        code=j.code, sha256=j.sha256, signature_digest=j.signature_digest, error=j.error,
                        series=self.letters.REGISTRY[j.kind].series,
                    ).record(j.register_no))
                if o.incoming and o.incoming.done:
                    events.append(IncomingStamped(incoming_digest=o.incoming.digest, pdf=str(o.incoming.dst),
                                                  dropped=list(o.incoming.dropped)).record(o.register_no))
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
        payload = j.qr or f"PPID {self.cfg.office.get('short', '')} | {j.letter_no} | {j.code}"  # the office's name, from config
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
                placed = P.stamp_incoming(inc.src, inc.dst, office=self.cfg.office.get("short", ""),
                                          register_no=inc.register_no, received=inc.received, due=inc.due)
                inc.done, inc.dropped = True, tuple(placed.dropped)
            except PpidError as exc:
                inc.error = str(exc)
                o.warnings.append(f"incoming letter not stamped: {exc}")
            except OSError as exc:  # a full disk: the one-line error names the file
                exc.filename = exc.filename or str(inc.dst)
                raise
