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
import hashlib
import queue
import shutil
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

from pipeline import letters as L
from pipeline import model, requirements, rules
from pipeline.config import Config
from pipeline.errors import PpidError, RequestFileError
from pipeline.formatting import date_id, datetime_id, working_days_id
from pipeline.loading import WITA, load_request
from pipeline.model import Request
from pipeline.register import Record, Register, clock_start, due_date, private_mkdir, safe_name

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
    error: str | None = None


@dataclass
class IncomingJob:
    """The requester's own letter, to be stamped DITERIMA."""

    src: Path
    dst: Path
    register_no: str
    received: str
    due: str
    done: bool = False
    error: str | None = None


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
    unchanged: bool = False
    warnings: list[str] = field(default_factory=list)
    missing_text: list[dict[str, str]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list, repr=False)
    jobs: list[LetterJob] = field(default_factory=list, repr=False)
    incoming: IncomingJob | None = field(default=None, repr=False)

    @property
    def failed(self) -> bool:
        return self.status in ("rejected_file", "incomplete") or bool(self.error) or any(
            j.error for j in self.jobs)

    def to_json(self) -> dict[str, Any]:
        if self.status == "rejected_file":
            return {"file": self.file, "status": self.status, "error": self.error}
        out = {"file": self.file, "status": self.status, "register_no": self.register_no,
               "missing": self.missing, "outcome": self.outcome, "items": self.items,
               "due": self.due, "letters": [
                   {"kind": j.kind, "letter_no": j.letter_no, "docx": str(j.docx),
                    "pdf": str(j.pdf) if j.pdf else None, **({"error": j.error} if j.error else {})}
                   for j in self.jobs]}
        if self.unchanged:
            out["unchanged"] = True
        if self.warnings:
            out["warnings"] = self.warnings
        if self.error:
            out["error"] = self.error
        return out


def find_request_files(inbox: Path) -> list[Path]:
    """Every *.yaml / *.yml below the inbox, in name order."""
    files = [p for p in inbox.rglob("*") if p.suffix.lower() in (".yaml", ".yml") and not p.name.startswith(".")]
    return sorted(files)




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
                 templates: Path, pdf: bool = True, workers: int = 2, display_base: Path | None = None):
        self.cfg, self.reg, self.today, self.out, self.pdf = cfg, register, today, Path(out), pdf
        self.workers = workers
        self.renderer = L.Renderer(templates, cfg)
        self.cal = cfg.calendar
        self.display_base = display_base
        self.pending: dict[str, Outcome] = {}
        self.converters = None  # pipeline.pdf.ConverterPool, started at the first letter

    # --- per file ----------------------------------------------------------------------

    def _display(self, path: Path) -> str:
        if self.display_base:
            try:
                return str(path.relative_to(self.display_base))
            except ValueError:
                pass
        return str(path)

    def assess(self, path: Path, inbox: Path) -> Outcome:
        """Load and judge one file; reserve numbers and plan events and letters."""
        display = self._display(path)
        try:
            req = load_request(path, inbox, self.today, display=display)
        except RequestFileError as exc:
            return Outcome(file=display, status="rejected_file", error=str(exc))
        rno = self.reg.digests.get(req.digest)
        if rno:
            return self._unchanged(display, self.reg.records[rno])
        twin = self.pending.get(req.digest) or self.pending.get(req.key)
        if twin:  # the same request twice in one chunk: the first one counts
            return Outcome(file=display, status=twin.status, register_no=twin.register_no, missing=twin.missing,
                           outcome=twin.outcome, items=twin.items, due=twin.due, unchanged=True,
                           warnings=[f"same request as {twin.file}; processed once"])
        if req.register_no and req.register_no not in self.reg.records:
            line = req.lines.get("register_no")
            return Outcome(file=display, status="rejected_file", error=(
                f"{display}:{line}: field 'register_no' '{req.register_no}' is not in the register; "
                "give the number from the receipt or notice, or leave the field out for a new request"))
        result = Planner(self, req, display).plan()
        self.pending[req.digest] = self.pending[req.key] = result
        return result

    def _unchanged(self, display: str, rec: Record) -> Outcome:
        due = due_date(rec, self.cal, self.cfg.deadlines)
        decided = rec.decided or {}
        return Outcome(file=display, status=rec.row.get("status", "registered"), register_no=rec.register_no,
                       missing=list(rec.missing), outcome=rec.row.get("outcome"), items=decided.get("items", []),
                       due=due.isoformat() if due else None, unchanged=True)

    # --- per chunk ---------------------------------------------------------------------

    def run(self, paths: list[Path], inbox: Path, *, progress: Callable[[int], None] | None = None) -> Iterator[Outcome]:
        try:
            yield from self._run(paths, inbox, progress)
        finally:
            if self.converters is not None:
                self.converters.close()

    def _run(self, paths: list[Path], inbox: Path, progress: Callable[[int], None] | None) -> Iterator[Outcome]:
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
                    events.append({"type": "letter", "register_no": j.register_no, "kind": j.kind,
                                   "letter_no": j.letter_no, "letter_seq": j.letter_seq,
                                   "letter_year": self.today.year, "date": self.today.isoformat(),
                                   "docx": str(j.docx), "pdf": str(j.pdf) if j.pdf else None,
                                   "code": j.code, "sha256": j.sha256, "error": j.error})
                if o.incoming and o.incoming.done:
                    events.append({"type": "incoming_stamped", "register_no": o.register_no,
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
        jobs = [j for o in outcomes for j in o.jobs]
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
                        self.renderer.render(j.kind, j.context, j.docx)
                        by_doc[j.docx.resolve()] = j
                    converting.append(pool.submit(
                        P.convert_to_pdf, [j.docx for j in share], tmp / str(k), workers=1, on_result=results.put,
                        pool=self.converters.part(k) if self.converters is not None else None))
                _warm_imports()
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
        """Stamp one converted letter (footer, QR code, verification code)."""
        from pipeline import pdf as P

        if res.pdf is None:
            j.error = f"PDF conversion failed: {res.error}"
            return
        raw = res.pdf.read_bytes()
        j.code = P.verification_code(raw)
        dst = j.docx.with_suffix(".pdf")
        payload = f"PPID KPU Provinsi NTT | {j.letter_no} | {j.code}"
        j.sha256 = P.stamp_letter(res.pdf, dst, register_no=j.register_no, letter_no=j.letter_no,
                                  code=j.code, qr_payload=payload)
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


class Planner:
    """Works out, for one changed request file, its events, status and letters."""

    def __init__(self, batch: Batch, req: Request, display: str):
        self.b, self.req, self.display = batch, req, display
        self.cfg, self.reg, self.today = batch.cfg, batch.reg, batch.today
        rno = req.register_no or self.reg.by_key.get(req.key)
        self.rec: Record | None = self.reg.records.get(rno) if rno else None
        self.events: list[dict[str, Any]] = []
        self.jobs: list[LetterJob] = []

    def lookup(self, register_no: str) -> dict | None:
        rec = self.reg.records.get(register_no)
        if rec is None:
            return None
        notice = rec.last_letter("decision_notice")
        return {"notice": dt.date.fromisoformat(notice["date"]) if notice else None,
                "due": due_date(rec, self.cfg.calendar, self.cfg.deadlines)}

    def plan(self) -> Outcome:
        req, cfg = self.req, self.cfg
        failures = requirements.check(req, cfg, lookup=self.lookup)
        missing = [f.code for f in failures]
        items = rules.classify(req.information or [], cfg.rules, req.decision) if req.service == "information" else []
        outcome = rules.outcome(items) if items and not missing else None
        if req.withdrawn:  # only a decision already issued counts, not what the rules would say
            outcome = (self.rec.decided or {}).get("outcome") if self.rec else None
        status = self._status(missing, outcome)
        if req.service == "consultation" and status == "answered":
            outcome = "served"
        if req.service == "objection" and req.objection_decision and not missing:
            outcome = req.objection_decision.result

        # register or update
        row = self._row(status, outcome, items)
        personal = self._personal()
        if self.rec is None:
            rno, seq = self.reg.next_number("register", req.received.date())
            self.events.append({"type": "received", "register_no": rno, "key": req.key, "digest": req.digest,
                                "file": self.display, "register_seq": seq, "register_year": req.received.year,
                                "received_at": row["received_at"], "row": row, "personal": personal})
        else:
            rno = self.rec.register_no
            self.events.append({"type": "updated", "register_no": rno, "digest": req.digest,
                                "file": self.display, "row": row, "personal": personal})
        self.rno = rno
        prev_missing = self.rec.missing if self.rec else []
        if missing:
            if self.rec is None or set(missing) != set(prev_missing) or "incomplete_notice" not in self.rec.letter_kinds():
                self.events.append({"type": "incomplete", "register_no": rno, "missing": missing})
                self._letter("incomplete_notice", due=None, extra={"missing": [
                    {"code": f.code, "title": f.title, "how": f.how} for f in failures]})
        elif prev_missing or (req.completed and (self.rec is None or self.rec.completed_at is None)):
            when = req.completed or dt.datetime.combine(self.today, dt.time(0, 0), tzinfo=WITA)
            self.events.append({"type": "completed", "register_no": rno,
                                "completed_at": when.strftime("%Y-%m-%d %H:%M")})

        if req.withdrawn and not (self.rec and self.rec.withdrawn_at):
            self.events.append({"type": "withdrawn", "register_no": rno, "withdrawn_at": req.withdrawn.isoformat()})
        result = Outcome(file=self.display, status=status, register_no=rno, missing=missing, outcome=outcome,
                         items=[i.as_json() for i in items],  # spec 7: "proposed" when a rule only proposes
                         missing_text=[{"code": f.code, "detail": f.detail} for f in failures])
        if not missing and not req.withdrawn:
            self._complete_letters(items, outcome, result)
        self._incoming(result)
        # the due date as the log will say once these events are in
        probe = self._probe_record()
        due = due_date(probe, self.cfg.calendar, self.cfg.deadlines)
        result.due = due.isoformat() if due and not missing else None
        result.events, result.jobs = self.events, self.jobs
        return result

    def _probe_record(self) -> Record:
        """A copy of the record with this file's planned events folded in."""
        probe = Register(self.reg.folder, numbering=self.reg.numbering)
        if self.rec is not None:
            import copy
            probe.records[self.rno] = copy.deepcopy(self.rec)
        else:
            probe.records[self.rno] = Record(register_no=self.rno, key=self.req.key, year=self.req.received.year)
        for ev in self.events:
            if ev["type"] != "received":
                probe.apply(ev)
            else:
                probe.records[self.rno].row.update(ev["row"])
        return probe.records[self.rno]

    # --- pieces ------------------------------------------------------------------------

    def _status(self, missing: list[str], outcome: str | None) -> str:
        req = self.req
        if missing:
            return "incomplete"
        if req.withdrawn:
            return "withdrawn"
        if req.service == "information":
            return "review" if outcome in (None, "review") else "answered"
        if req.service == "consultation":
            return "answered" if req.answer else "scheduled"
        if req.service == "objection":
            return "answered" if req.objection_decision else "review"
        return "registered"

    def _row(self, status: str, outcome: str | None, items) -> dict[str, Any]:
        req, r = self.req, self.req.requester
        subject = " | ".join(req.information or []) if req.service == "information" else (
            req.topic if req.service == "consultation" else (
                req.text if req.service == "complaint" else f"Keberatan atas {req.objection_to or '-'}"))
        return {
            "received_at": req.received.strftime("%Y-%m-%d %H:%M"), "service": req.service, "channel": req.channel,
            "requester_kind": r.kind, "requester_name": r.name, "requester_organization": r.organization,
            "subject": (subject or "")[:500], "purpose": req.purpose, "status": status, "outcome": outcome,
            "grounds": ";".join(rules.grounds(items)) or None, "items": len(req.information or []) or None,
            "form": req.form, "delivery": req.delivery, "source_file": self.display,
            "objection_to": req.objection_to, "objection_grounds": ";".join(req.grounds or []) or None,
            "objection_result": req.objection_decision.result if req.objection_decision else None,
            **_dispute_row(req.dispute),
        }

    def _personal(self) -> dict[str, Any]:
        r, req = self.req.requester, self.req
        files = [str(p) for p in (req.attachment(req.letter), req.attachment(r.identity.copy)) if p]
        return {"phone": r.phone, "email": r.email, "address": r.address,
                "identity_type": r.identity.type, "identity_number": r.identity.number, "attachments": files}

    def _letter(self, kind: str, *, due: dt.date | None, extra: dict[str, Any] | None = None) -> LetterJob:
        letter_no, seq = self.reg.next_number("letter", self.today)
        ctx = L.base_context(self.cfg, self.req, kind=kind, register_no=self.rno, letter_no=letter_no,
                             date=self.today, due=due)
        ctx.update(extra or {})
        folder = self.b.out / safe_name(self.rno)
        n = sum(1 for e in (self.rec.letters if self.rec else []) if e["kind"] == kind)
        n += sum(1 for j in self.jobs if j.kind == kind)
        # the register number in the file name keeps names unique across a batch
        name = f"{safe_name(self.rno)}_{kind}" + ("" if n == 0 else f"-{n + 1}")
        job = LetterJob(kind=kind, register_no=self.rno, letter_no=letter_no, letter_seq=seq, context=ctx,
                        docx=folder / f"{name}.docx")
        self.jobs.append(job)
        return job

    def _complete_letters(self, items, outcome: str | None, result: Outcome) -> None:
        req, cfg, cal = self.req, self.cfg, self.cfg.calendar
        kinds = self.rec.letter_kinds() if self.rec else set()
        probe = self._probe_record()
        start = clock_start(probe)
        due10 = cal.add_working_days(start, cfg.deadlines["notice"]) if start else None
        served_in_person = req.channel == "walk_in" and not req.letter
        if req.service == "objection":
            due = cal.add_working_days(start, cfg.deadlines["objection_answer"]) if start else None
            original = self.reg.records.get(req.objection_to or "")
            notice = original.last_letter("decision_notice") if original else None
            objection = {"original_register_no": req.objection_to or "",
                         "original_letter_no": notice["letter_no"] if notice else "",
                         "grounds": [{"letter": g, "text": L.PASAL35[g]} for g in req.grounds or []],
                         "due": date_id(due)}
            if "objection_receipt" not in kinds:
                self._letter("objection_receipt", due=due, extra={"objection": objection})
            d = req.objection_decision
            if d and "objection_response" not in kinds:
                self.events.append({"type": "answered", "register_no": self.rno,
                                    "answered_at": (d.date or self.today).isoformat()})
                if d.result == "overturned" and original:  # the refusal falls: a new notice is due
                    self.events.append({"type": "reopened", "register_no": original.register_no,
                                        "reopened_at": (d.date or self.today).isoformat(), "by_objection": self.rno})
                self._letter("objection_response", due=due, extra={"objection": {
                    **objection, "result": d.result,
                    "result_label": L.OBJECTION_RESULT_LABELS[d.result],
                    "reason": d.reason or "", "decided_by": d.by or "",
                    "commission_period": working_days_id(cfg.deadlines["commission"])}})
            dispute = req.dispute
            settled_before = self.rec.row.get("dispute_result") if self.rec else None
            if (dispute and dispute.result in model.DISPUTE_REOPENS and dispute.decided and original
                    and settled_before not in model.DISPUTE_REOPENS):
                # the Komisi Informasi ordered the information given: a new notice is due
                self.events.append({"type": "reopened", "register_no": original.register_no,
                                    "reopened_at": dispute.decided.isoformat(), "by_objection": self.rno,
                                    "by_dispute": dispute.case_no or ""})
            return
        wants_receipt = not served_in_person if req.service != "complaint" else req.channel in ("letter", "email")
        if "receipt" not in kinds and wants_receipt:
            self._letter("receipt", due=due10 if req.service != "complaint" else None)
        if req.service == "information":
            ext = req.decision.extend if req.decision else None
            if ext and not (self.rec and self.rec.extended):
                new_due = cal.add_working_days(start, cfg.deadlines["notice"] + ext.days)
                if self.today > due10:
                    result.warnings.append(f"extension announced on {self.today}, after day 10 ({due10}); UU KIP Pasal 22 ayat 8 asks for it before")
                self.events.append({"type": "extended", "register_no": self.rno, "days": ext.days,
                                    "reason": ext.reason, "new_due": new_due.isoformat()})
                self._letter("extension_notice", due=new_due, extra={"extension": {
                    "days": ext.days, "days_words": working_days_id(ext.days), "reason": ext.reason,
                    "old_due": date_id(due10), "new_due": date_id(new_due)}})
            if outcome and outcome != "review":
                decided = [{"text": i.text, "status": i.status, "rule": i.rule, "ground": i.ground} for i in items]
                previous = (self.rec.decided or {}).get("items") if self.rec else None
                reopened = self.rec and self.rec.reopened_at and (self.rec.decided or {}).get("date", "") < self.rec.reopened_at
                if previous != decided or "decision_notice" not in kinds or reopened:
                    self.events.append({"type": "decided", "register_no": self.rno, "outcome": outcome,
                                        "items": decided, "by": req.decision.by if req.decision else "rules",
                                        "date": self.today.isoformat()})
                    if not (self.rec and self.rec.answered_at):
                        self.events.append({"type": "answered", "register_no": self.rno,
                                            "answered_at": self.today.isoformat()})
                    due = due_date(self._probe_record(), cal, cfg.deadlines)
                    self._letter("decision_notice", due=due, extra={
                        **L.item_context(items), "outcome": outcome, "outcome_label": L.OUTCOME_LABELS[outcome],
                        "decision_by": (req.decision.by if req.decision and req.decision.by else cfg.signatories["ppid"]["name"]),
                        "objection_period": working_days_id(cfg.deadlines["objection_window"])})
        elif req.service == "consultation" and req.answer and not (self.rec and self.rec.answered_at):
            a = req.answer
            self.events.append({"type": "answered", "register_no": self.rno,
                                "answered_at": (a.date or self.today).isoformat()})
            if not served_in_person:
                self._letter("consultation_answer", due=due10, extra={"answer": {
                    "text": a.text or "", "by": a.by or "", "role_label": L.ROLE_LABELS.get(a.role or "", ""),
                    "approved_by": a.approved_by or "", "date": date_id(a.date or self.today)}})
        elif req.service == "complaint" and req.response and not (self.rec and self.rec.answered_at):
            self.events.append({"type": "answered", "register_no": self.rno,
                                "answered_at": (req.response.date or self.today).isoformat()})

    def _incoming(self, result: Outcome) -> None:
        """Stamp the requester's letter DITERIMA, once per version of that file."""
        req = self.req
        src = req.attachment(req.letter)
        if not self.b.pdf or not src or not src.is_file():
            return
        if self.rec and self.rec.row.get("incoming_digest") == _sha(src):
            return
        probe = self._probe_record()
        due = due_date(probe, self.cfg.calendar, self.cfg.deadlines)
        result.incoming = IncomingJob(src=src, dst=self.b.out / safe_name(self.rno) / f"{safe_name(self.rno)}_surat-masuk-diterima.pdf",
                                      register_no=self.rno, received=datetime_id(req.received),
                                      due=date_id(due) if due else "-")
        self.events[0]["row"]["incoming_digest"] = _sha(src)


def _dispute_row(d: model.Dispute | None) -> dict[str, Any]:
    iso = lambda x: x.isoformat() if x else None  # noqa: E731
    return {"dispute_filed": iso(d.filed) if d else None, "dispute_case_no": d.case_no if d else None,
            "dispute_result": d.result if d else None, "dispute_decided": iso(d.decided) if d else None}


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
