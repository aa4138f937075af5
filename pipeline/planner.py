"""What happens to one request: its status, outcome, events and the letters it is owed.

Pure: it takes the loaded Request, the requirement failures, the register's Record of
the request (None when new), a lookup of other register numbers, the config (rules and
the clock) and the processing date, and returns a Plan. It reads no file, hands out no
number and hashes nothing: batch.py does that around it. Tests: tests/test_planner.py.

Events in the plan are typed (pipeline.events) and carry no register number: batch.py
numbers the request and records each event under it (`Event.record`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import Any, Callable

from pipeline import letters, model, rules
from pipeline.events import (Answered, Completed, Decided, Event, Extended, Incomplete, Received, Reopened,
                             Updated, Withdrawn)
from pipeline.deadlines import REVOCATION_DAYS
from pipeline.formatting import date_id
from pipeline.loading import WITA
from pipeline.model import Request
from pipeline.wording import (DECREE_TITLE, NOT_DOCUMENTED_LABEL, OBJECTION_RESULT_LABELS,
                              OUTCOME_LABELS, PASAL35, REPLACES_SENTENCE, REVOCATION_TITLE,
                              late_notice_sentence)


@dataclass(frozen=True)
class Target:
    """What the register knows of the request an objection names."""

    register_no: str
    notice_date: dt.date | None = None  # the written notice (decision_notice), if one was issued
    notice_letter_no: str = ""
    due: dt.date | None = None  # its deadline, for an objection against no notice at all
    response_letter_no: str = ""  # for an objection: the Atasan PPID's response, if issued
    response_date: dt.date | None = None
    received: dt.date | None = None  # the day it was received
    notice_delivered: dt.date | None = None  # the day the requester received the notice (a `delivered` event)
    response_delivered: dt.date | None = None  # the day the requester received the Atasan PPID's response


Lookup = Callable[[str], "Target | None"]


@dataclass
class LetterPlan:
    """A letter owed: its kind, the context data of its kind, and the date it states as due."""

    kind: str
    data: dict[str, Any] = field(default_factory=dict)
    due: dt.date | None = None
    refs: dict[str, str] = field(default_factory=dict)  # context key -> kind whose letter number goes there


@dataclass
class Plan:
    """The planner's answer for one request file."""

    status: str
    outcome: str | None
    missing: list[str]
    items: list[dict[str, Any]]
    due: dt.date | None
    counter: str  # the number series of a new request: "register" or "objection"
    events: list[Event] = field(default_factory=list)  # events[0]: Received (new) or Updated
    letters: list[LetterPlan] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    regime: Any = None  # deadlines.Regime of the request's clock


def _item_json(i: rules.ItemResult) -> dict[str, Any]:
    return i.as_json()  # spec section 7: "proposed" when a rule only proposes


def decision_wording(items, by: str | None) -> str:
    """A digest of what the decision letters say of each item and who decided: a version of
    the file that words a decision otherwise (another reason for a refusal, another harm, another
    ground) after its notice went out is a new decision, answered by a replacing notice, not an
    edit the register takes in silently (issue 18)."""
    said = [(i.no, i.status, list(i.cited), i.reason or "", i.consequence or "", i.basis or "", list(i.redact))
            for i in items]
    return hashlib.sha256(json.dumps([said, by or ""], ensure_ascii=False).encode()).hexdigest()[:16]


def _proposed_summary(items) -> str | None:
    """'2: exempt (DIK-03); 3: partial (DIK-05)': what rules only propose (spec section 4)."""
    parts = [f"{i.no}: {i.proposal}" for i in items if getattr(i, "proposed", None)]
    return "; ".join(parts) or None


def window_start(req: Request, target: Target | None) -> tuple[dt.date | None, str]:
    """The day the objection window (UU KIP Pasal 36 ayat 1) counts from, and on what basis."""
    if target is None:
        return None, ""
    for start, basis in ((req.notice_received, "notice_received"), (target.notice_delivered, "delivered"),
                         (target.notice_date, "notice"), (target.due, "due")):
        if start:
            return start, basis
    return None, ""


def objection_window_end(req: Request, target: Target | None, clock) -> str:
    """The window's last day as a letter prints it, '' unless counted from a proven receipt
    (or from the due day when no notice came): from the notice's own date it is not known."""
    start, basis = window_start(req, target)
    return date_id(clock.objection_window_end(start)) if basis in ("notice_received", "delivered", "due") else ""


def late_objection(req: Request, target: Target | None, clock) -> dict[str, Any] | None:
    """Why an objection seems filed too late, or None (UU KIP Pasal 35-36; spec section 6).

    The 30 working days count from the day the requester received the written notice: known
    from `notice_received:` or a `delivered` event of the notice; with no notice, from the day
    it was due. Counted only from the notice's own date, lateness is not proven (`proven`
    False): the requester may have received it later, so the Atasan PPID decides, shown the
    window both ways (from the notice's date, and the first day of receipt that keeps it in
    time). Pasal 36 ayat 1 counts from when the reason was found."""
    start, basis = window_start(req, target)
    if start is None:
        return None
    end = clock.objection_window_end(start)
    filed = req.received.date()
    if filed <= end:
        return None
    out = {"window_start": date_id(start), "window_end": date_id(end), "filed": date_id(filed),
           "counted_from": basis, "end": end, "proven": basis != "notice"}
    if basis == "notice":  # the first day of receipt from which the objection is in time
        day = start
        while clock.objection_window_end(day) < filed:
            day += dt.timedelta(days=1)
        out["in_time_if_received_from"] = day
    return out


def plan(req: Request, rec, failures: list, *, cfg, today: dt.date, lookup: Lookup, display: str) -> Plan:
    """Status, outcome, events and letters of one changed request file."""
    clock = cfg.clock
    target = lookup(req.objection_to) if req.service == "objection" and req.objection_to else None
    late, unproven, refused_ruling = _window(req, target, clock)
    if late:
        failures = []  # lateness cannot be cured: the objection is answered, never incomplete
    missing = [f.code for f in failures]
    items = rules.classify(req.information or [], cfg.rules, req.decision, cfg.screen) if req.service == "information" else []
    outcome = rules.outcome(items) if items and not missing else None
    if req.withdrawn:  # only a decision already issued counts, not what the rules would say
        outcome = (rec.decided or {}).get("outcome") if rec else None
    status = _status(req, missing, outcome, late)
    if req.service == "consultation" and status == "answered":
        outcome = "served"
    if req.service == "objection" and not missing:
        outcome = "inadmissible" if late else (req.objection_decision.result if req.objection_decision else None)

    kinds = rec.letter_kinds() if rec else set()
    row = _row(req, status, outcome, items, display)
    if rec and rec.row.get("grounds") and req.service == "information":
        # a ground once cited in a refusal stays counted, even when the refusal later falls
        row["grounds"] = ";".join(sorted(set(rec.row["grounds"].split(";")) | set(rules.grounds(items)))) or None
    personal = _personal(req)
    counter = "objection" if req.service == "objection" else "register"
    events: list[Event] = []
    if rec is None:
        events.append(Received(key=req.key, digest=req.digest, file=display, received_at=row["received_at"],
                               row=row, personal=personal, counter=counter))
    else:
        events.append(Updated(digest=req.digest, file=display, row=row, personal=personal))
    out = Plan(status=status, outcome=outcome, missing=missing, items=[_item_json(i) for i in items], due=None,
               counter=counter, events=events)
    if refused_ruling:
        out.warnings.append(refused_ruling)
    if req.service in ("information", "objection") and req.requester.identity.type == "passport":
        out.warnings.append(PASSPORT_NOTE)
    nik_note = ktp_number_note(req.requester.identity)
    if nik_note:
        out.warnings.append(nik_note)

    # --- the clock ---------------------------------------------------------------------
    prev_missing = rec.missing if rec else []
    completed_at = rec.completed_at if rec else None
    if missing:
        if rec is None or set(missing) != set(prev_missing) or "incomplete_notice" not in kinds:
            events.append(Incomplete(missing=missing))
            data = {"missing": [{"code": f.code, "title": f.title, "how": f.how} for f in failures]}
            if req.service == "objection":  # being incomplete does not stop UU KIP Pasal 36 ayat 1's window
                data["objection_window_end"] = objection_window_end(req, target, clock)
            out.letters.append(LetterPlan("incomplete_notice", data))
    elif prev_missing or (req.completed and completed_at is None):
        when = req.completed or dt.datetime.combine(today, dt.time(0, 0), tzinfo=WITA)
        completed_at = _minute(when)
        events.append(Completed(completed_at=completed_at))
    if req.withdrawn and not (rec and rec.withdrawn_at):
        events.append(Withdrawn(withdrawn_at=req.withdrawn.isoformat()))
    start = None if missing else dt.date.fromisoformat((completed_at or row["received_at"])[:10])
    out.regime = clock.regime(start)
    state = {"extended": (rec.extended or {}).get("days", 0) if rec and rec.extended else 0,
             "reopened": dt.date.fromisoformat(rec.reopened_at) if rec and rec.reopened_at else None}

    def due_now() -> dt.date | None:
        return clock.due_of(service=req.service, start=start, extended_days=state["extended"],
                            reopened=state["reopened"], withdrawn=bool(req.withdrawn))

    if unproven and not req.objection_decision:
        out.warnings.append(
            f"objection filed on {req.received:%Y-%m-%d}, after {unproven['end']} counted from the notice's date "
            f"{target.notice_date}, but the day the requester received the notice is not known (no notice_received, "
            f"no delivery record): the Atasan PPID decides; counted from the day of receipt it is in time if the "
            f"notice was received on or after {unproven['in_time_if_received_from']}")
    if not missing and not req.withdrawn:
        if req.service == "objection":
            _objection(req, rec, kinds, target, late, start, today, cfg, out)
        else:
            _request(req, rec, kinds, items, outcome, start, today, cfg, out, state, due_now, lookup)
    out.due = due_now() if not missing else None
    return out


def _window(req: Request, target, clock):
    """An objection's lateness: proven (inadmissible), unproven (the Atasan PPID decides), and
    why a recorded `inadmissible` is refused. Fail closed: inadmissible only on proof, or on the
    Atasan PPID's own decision when the day of receipt is unknown (UU KIP Pasal 36 ayat 1)."""
    late = late_objection(req, target, clock) if req.service == "objection" else None
    unproven = late if late and not late["proven"] else None
    late = late if late and late["proven"] else None
    ruled = req.objection_decision.result if req.service == "objection" and req.objection_decision else None
    if ruled == "inadmissible" and unproven:  # shown the window both ways, the Atasan PPID judged it late
        late, unproven = dict(unproven, proven=True, decided_by=req.objection_decision.by or ""), None
    refused = None
    if ruled == "inadmissible" and not late:  # in time by every count: no ground to refuse it as late
        refused = ("decision.result is inadmissible, but the objection was filed within the period of UU KIP "
                   "Pasal 36 ayat 1 counted every way; decide it upheld or overturned")
        req.objection_decision = None
    return late, unproven, refused


def _status(req: Request, missing: list[str], outcome: str | None, late) -> str:
    if missing:
        return "incomplete"
    if req.withdrawn:
        return "withdrawn"
    if req.service == "information":
        return "review" if outcome in (None, "review") else "answered"
    if req.service == "consultation":
        if not req.answer:
            return "scheduled"
        # a delegated answer waits for the approval the office owes itself (spec section 3)
        return "review" if req.answer.role == "delegated" and not req.answer.approved_by else "answered"
    if req.service == "objection":
        return "answered" if late or req.objection_decision else "review"
    return "registered"


def _request(req, rec, kinds, items, outcome, start, today, cfg, out: Plan, state, due_now, lookup) -> None:
    """Information, consultation and complaint: receipt, extension, decision, answer."""
    clock, regime = cfg.clock, out.regime
    due10 = clock.notice_due(start) if start else None
    served_in_person = req.channel == "walk_in" and not req.letter
    # UU KIP Pasal 22 ayat 3-4: every information request is registered and its requester
    # given the number at once, a walk-in without a letter too (spec section 3)
    wants_receipt = {"information": True, "consultation": not served_in_person}.get(
        req.service, req.channel in ("letter", "email"))
    if "receipt" not in kinds and wants_receipt:
        out.letters.append(LetterPlan("receipt", due=due10 if req.service != "complaint" else None))
    if req.service == "information":
        ext = req.decision.extend if req.decision else None
        if ext and not (rec and rec.extended):
            announced = ext.date or today
            days = ext.days or regime.extension
            if announced > due10:  # UU KIP Pasal 22 ayat 8: announced before the 10 days run out
                out.warnings.append(
                    f"decision.extend.date {announced} is after day {regime.notice} ({due10}): no extension "
                    f"(UU KIP Pasal 22 ayat 8); the request stays due on {due10} and its answer counts as late")
            else:
                new_due = clock.extended_due(start, days)
                out.events.append(Extended(days=days, reason=ext.reason, date=announced.isoformat(),
                                           new_due=new_due.isoformat()))
                state["extended"] = days
                out.letters.append(LetterPlan("extension_notice", {"extension": {
                    "days": days, "days_words": _words(days), "reason": ext.reason, "date": date_id(announced),
                    "old_due": date_id(due10), "new_due": date_id(new_due)}}, due=new_due))
        if outcome and outcome != "review":
            decided = [_item_json(i) for i in items]
            by = req.decision.by if req.decision and req.decision.by else None
            wording = decision_wording(items, by)
            previous = (rec.decided or {}).get("items") if rec else None
            reworded = bool(rec and (rec.decided or {}).get("wording") not in (None, wording))
            reopened = rec and rec.reopened_at and (rec.decided or {}).get("date", "") < rec.reopened_at
            if previous != decided or reworded or "decision_notice" not in kinds or reopened:
                out.events.append(Decided(outcome=outcome, items=decided, by=by or "rules", date=today.isoformat(),
                                          wording=wording))
                if not (rec and rec.answered_at):
                    out.events.append(Answered(answered_at=today.isoformat()))
                refuses = refusal_decree_owed(items)
                label = OUTCOME_LABELS[outcome]
                if outcome == "not_held" and any(i.status == "not_documented" for i in items):
                    label = NOT_DOCUMENTED_LABEL
                replaces = _replaces(rec, lookup, today, cfg.clock) if rec and "decision_notice" in kinds else {}
                revoked = _in_force_refusal(rec)
                data = {"outcome": outcome, "outcome_label": label,
                        "decision_by": by or cfg.person("ppid").name, "items_result": items,
                        "refusal_decree_no": "", "revocation_decree_no": "", "replaces": replaces,
                        "late": _late_notice(today, due_now(), regime, replaces if state["reopened"] else None)}
                refs = {"refusal_decree_no": "refusal_decree"} if refuses else {}
                if revoked:
                    refs["revocation_decree_no"] = "revocation_decree"
                out.letters.append(LetterPlan("decision_notice", data, due=due_now(), refs=refs))
                revoked_ref = {"number": revoked["letter_no"], "date": date_id(dt.date.fromisoformat(
                    revoked["date"])) if revoked.get("date") else "", "register_no": rec.register_no} if revoked else {}
                if revoked:  # UU 30/2014 Pasal 64: only a decree revokes a decree, by its issuer
                    out.letters.append(LetterPlan("revocation_decree", {
                        "decree_title": REVOCATION_TITLE, "notice_no": "", "replaces": replaces,
                        "revoked": revoked_ref}, due=due_now(), refs={"notice_no": "decision_notice"}))
                if refuses:  # Perki 1/2021: the PPID's decree of refusal goes with the notice
                    decree_refs = {"notice_no": "decision_notice"}
                    if revoked:  # the new decree names the one it replaces and the decree revoking it
                        decree_refs["revocation_decree_no"] = "revocation_decree"
                    out.letters.append(LetterPlan("refusal_decree", {
                        "items_result": items, "decree_title": DECREE_TITLE, "notice_no": "",
                        "replaces": replaces if revoked else {}, "revoked": revoked_ref,
                        "revocation_decree_no": ""}, due=due_now(), refs=decree_refs))
    elif req.service == "consultation" and req.answer and out.status == "answered" and not (rec and rec.answered_at):
        a = req.answer
        out.events.append(Answered(answered_at=(a.date or today).isoformat()))
        if not served_in_person:
            out.letters.append(LetterPlan("consultation_answer", {"answer": {
                "text": a.text or "", "by": a.by or "", "role": a.role or "",
                **letters.answerer(cfg, a),
                "date": date_id(a.date or today)}}, due=due10))
    elif req.service == "complaint" and req.response and not (rec and rec.answered_at):
        out.events.append(Answered(answered_at=(req.response.date or today).isoformat()))


def _objection(req, rec, kinds, target: Target | None, late, start, today, cfg, out: Plan) -> None:
    """Receipt, the Atasan PPID's response (or the late objection's), reopening the original."""
    clock, regime = cfg.clock, out.regime
    due = clock.objection_answer_due(start)
    objection = {"objection_no": "", "original_register_no": req.objection_to or "",
                 "original_letter_no": target.notice_letter_no if target else "",
                 "grounds": [{"letter": g, "text": PASAL35[g]} for g in req.grounds or []], "due": date_id(due)}
    response = {"commission_period": _words(regime.commission), "late": None, "order_period": "", "order_due": "",
                "revoke_decree": False, "revoke_decree_no": "", "revoke_decree_date": "",
                "revoke_period": "", "revoke_due": "", "decree_no": "", "decree_date": ""}
    if late:
        if "objection_response" not in kinds:
            out.events.append(Answered(answered_at=today.isoformat()))
            out.letters.append(LetterPlan("objection_response", {"objection": {
                **objection, **response, "result": "inadmissible",
                "result_label": OBJECTION_RESULT_LABELS["inadmissible"],
                "reason": "",  # the template words why from `late` (templates/README.md)
                "decided_by": late.get("decided_by") or cfg.person("atasan_ppid").name,
                "late": {k: late[k] for k in ("window_start", "window_end", "filed", "counted_from")}}}, due=due))
            out.warnings.append(f"objection filed on {req.received:%Y-%m-%d}, after the last day {late['end']} "
                                f"(counted from the {late['counted_from'].replace('_', ' ')}): answered as inadmissible")
        return
    if "objection_receipt" not in kinds:
        out.letters.append(LetterPlan("objection_receipt", {"objection": objection}, due=due))
    d = req.objection_decision
    if d and "objection_response" not in kinds:
        when = (d.date or today).isoformat()
        out.events.append(Answered(answered_at=when))
        if d.result == "overturned":  # the refusal falls: a new notice is due, by the date the response sets
            response.update(_order(d.date or today, req, clock))
            if target:
                out.events.append(Reopened(target=target.register_no, reopened_at=when))
        out.letters.append(LetterPlan("objection_response", {"objection": {
            **objection, **response, "result": d.result, "result_label": OBJECTION_RESULT_LABELS[d.result],
            "reason": d.reason or "", "decided_by": d.by or ""}}, due=due))
    dispute = req.dispute
    settled_before = rec.row.get("dispute_result") if rec else None
    if (dispute and dispute.result in model.DISPUTE_REOPENS and dispute.decided and target
            and settled_before not in model.DISPUTE_REOPENS):
        # the Komisi Informasi ordered the information given: a new notice is due
        out.events.append(Reopened(target=target.register_no, reopened_at=dispute.decided.isoformat(),
                                   by_dispute=dispute.case_no or ""))


def _order(day: dt.date, req: Request, clock) -> dict[str, Any]:
    """What an overturned response orders the PPID: a new written notice by a date, and the
    revocation of its refusal decree when the objection was to a refusal (Pasal 35 ayat 1 huruf a).

    Neither UU KIP Pasal 36 nor UU 30/2014 Pasal 64 (as confirmed here) gives the PPID a period
    for the new notice: the office's own notice period applies, counted from the response, the
    same date the clock holds the reopened request to (deadlines.Clock.due_of); the office
    confirms it (README "Before real use"). The revocation comes first, within
    deadlines.REVOCATION_DAYS of the response (its source there)."""
    return {"order_period": _words(clock.regime(day).notice), "order_due": date_id(clock.notice_due(day)),
            "revoke_decree": "a" in (req.grounds or []),
            "revoke_period": _words(REVOCATION_DAYS), "revoke_due": date_id(clock.revocation_due(day))}


def refusal_in_force(rec) -> dict[str, str]:
    """The refusal decree an overturned response orders revoked, named by number and date
    (batch fills it from the register: the request it names is not this one's record)."""
    decree = _in_force_refusal(rec) or {}
    return {"revoke_decree_no": decree.get("letter_no", ""),
            "revoke_decree_date": date_id(dt.date.fromisoformat(decree["date"])) if decree.get("date") else ""}


# UU KIP Pasal 1 angka 12: "Pemohon Informasi Publik adalah warga negara dan/atau badan hukum
# Indonesia yang mengajukan permintaan Informasi Publik" (quoted at kipkaltim.wixsite.com). The
# request format records an identity type, not a nationality, and an Indonesian may show a
# passport: the PPID is told, nothing is refused on a guess.
PASSPORT_NOTE = ("the requester's identity is a passport: a Pemohon Informasi Publik is an Indonesian citizen or "
                 "Indonesian legal body (UU KIP Pasal 1 angka 12); the PPID confirms the nationality (nothing was "
                 "refused for it)")


def ktp_number_note(identity) -> str | None:
    """A KTP-el carries the NIK (UU 23/2006 Pasal 1 angka 12, as amended by UU 24/2013), of 16
    digits (PP 37/2007 Pasal 37, as published summaries quote it; README "Before real use").
    Another number on a `ktp` is a typo or another card: the PPID checks it against the copy;
    nothing is refused on a guess, and the number itself is not repeated here."""
    number = identity.number if identity.type == "ktp" else None
    if not isinstance(number, str) or not number.strip():
        return None
    bare = re.sub(r"[\s.\-/]", "", number)
    if re.fullmatch(r"\d{16}", bare):
        return None
    digits = sum(c.isdigit() for c in bare)
    return (f"requester.identity.number is not a 16-digit NIK as a KTP-el carries ({digits} digit(s)"
            f"{' and other characters' if len(bare) != digits else ''}): the PPID checks it against the identity "
            "copy (nothing was refused for it)")


def refusal_decree_owed(items) -> bool:
    """The PPID's refusal decree goes with the notice when an item is refused whole (exempt) or in
    part (partial, blacked out). Why a blacked-out part too: it is withheld on a UU KIP Pasal 17
    ground as a refused item is (Pasal 22 ayat 7: "dihitamkan dengan disertai alasan dan
    materinya"), the notice gives it the objection route of a refusal (Pasal 35 ayat 1 huruf a:
    "penolakan atas permintaan informasi berdasarkan alasan pengecualian sebagaimana dimaksud dalam
    Pasal 17"), and the decree is what an overturned objection has revoked (UU 30/2014 Pasal 64).
    Perki 1/2021's own words on the decree of refusal are for the office to confirm (README)."""
    return any(i.status in rules.CLOSING for i in items)


def _in_force_refusal(rec) -> dict[str, Any] | None:
    """The refusal decree of this request that no revocation decree has revoked yet, if any."""
    if rec is None:
        return None
    last = None
    for e in rec.letters:
        if e["kind"] == "refusal_decree":
            last = e
        elif e["kind"] == "revocation_decree":
            last = None
    return last


def _replaces(rec, lookup: Lookup, today: dt.date, clock) -> dict[str, Any]:
    """What a new or corrected notice cites (spec section 3): the Atasan PPID's response to the
    objection that reopened it, the Komisi Informasi's ruling, or only the notice it replaces.

    After an objection, what the response already answered goes to the Komisi Informasi within
    14 working days of the response's receipt (UU KIP Pasal 37 ayat (2); `commission_window`)."""
    notice = rec.last_letter("decision_notice") or {}
    decree = _in_force_refusal(rec) or {}
    out = {"notice_no": notice.get("letter_no", ""),
           "notice_date": date_id(dt.date.fromisoformat(notice["date"])) if notice.get("date") else "",
           "decree_no": decree.get("letter_no", ""), "cause": "change",
           "decree_date": date_id(dt.date.fromisoformat(decree["date"])) if decree.get("date") else ""}
    by = rec.reopened_by if rec.reopened_at and (rec.decided or {}).get("date", "") < rec.reopened_at else {}
    if by.get("dispute"):
        out.update(cause="dispute", case_no=by["dispute"], ruling_date=date_id(dt.date.fromisoformat(rec.reopened_at)))
    elif by.get("objection"):
        target = lookup(by["objection"])
        out.update(cause="objection", objection_no=by["objection"],
                   response_no=target.response_letter_no if target else "",
                   response_date=date_id(target.response_date) if target and target.response_date else "",
                   **commission_window(target, today, clock))
    out["sentence"] = REPLACES_SENTENCE[out["cause"]].format(**out)
    return out


def commission_window(target: Target | None, today: dt.date, clock) -> dict[str, Any]:
    """Whether the letters may still offer the Komisi Informasi for what the Atasan PPID's
    response answered, and until when (UU KIP Pasal 37 ayat (2): 14 working days after its
    receipt).

    With the receipt proven (a `delivered` event) the last day is known: the route is offered
    with that day, or, once it has passed, not offered at all (the fifth legal read: a late
    replacing letter must not offer a route that has closed; the new decree's objection covers
    every item then). Without proof the letters state the Act's own count and no day: the
    response's date gives only the earliest possible end, and ppid does not declare a route
    closed on a guess."""
    if target is None or target.response_date is None:
        return {"commission_open": True, "commission_end": "", "commission_unsure": False}
    if target.response_delivered is None:
        # counted from the response's own date the period may already have ended: the letters
        # then also open the objection to every item ("Apabila jangka waktu tersebut telah
        # berakhir, atau …"; the sixth legal read)
        earliest = clock.dispute_window_end(target.response_date)
        return {"commission_open": True, "commission_end": "", "commission_unsure": today > earliest}
    end = clock.dispute_window_end(target.response_delivered)
    return {"commission_open": today <= end, "commission_end": date_id(end) if today <= end else "",
            "commission_unsure": False}


def _late_notice(today: dt.date, due: dt.date | None, regime, replaces: dict | None = None) -> dict[str, str]:
    """A notice sent after its due date says so, whatever the outcome (spec section 6): past the
    Act's period naming the right to object (UU KIP Pasal 35 ayat 1 huruf g); past the date an
    order set (a reopened request: the clock counts from the response or ruling) naming that order
    (wording.late_notice_sentence)."""
    if due is None or today <= due:
        return {"due": "", "period": "", "sentence": ""}
    period = _words(regime.notice)
    return {"due": date_id(due), "period": period,
            "sentence": late_notice_sentence(period, date_id(due), replaces)}


def _minute(t: dt.datetime) -> str:
    """'2026-11-20 09:15' (as strftime would write it, faster)."""
    return f"{t.year:04d}-{t.month:02d}-{t.day:02d} {t.hour:02d}:{t.minute:02d}"


def _words(n: int) -> str:
    from pipeline.formatting import working_days_id
    return working_days_id(n)


SUBJECT_MAX = 500  # characters of `subject` in the book


def subject(req: Request, *, whole: bool = False) -> str:
    """What a request asks, as the book's `subject` holds it (cut at 500 characters), or `whole`
    (what matching compares between two files: two lists may differ after the cut)."""
    text = " | ".join(req.information or []) if req.service == "information" else (
        req.topic if req.service == "consultation" else (
            req.text if req.service == "complaint" else f"Keberatan atas {req.objection_to or '-'}"))
    return (text or "") if whole else (text or "")[:SUBJECT_MAX]


def _row(req: Request, status: str, outcome: str | None, items, display: str) -> dict[str, Any]:
    r = req.requester
    d = req.dispute
    iso = lambda x: x.isoformat() if x else None  # noqa: E731
    return {
        "received_at": _minute(req.received), "service": req.service, "channel": req.channel,
        "requester_kind": r.kind, "requester_name": r.name, "requester_organization": r.organization,
        "subject": subject(req), "purpose": req.purpose, "status": status, "outcome": outcome,
        "grounds": ";".join(rules.grounds(items)) or None, "items": len(req.information or []) or None,
        "form": req.form, "delivery": req.delivery, "source_file": display,
        "objection_to": req.objection_to, "objection_grounds": ";".join(req.grounds or []) or None,
        "objection_result": outcome if req.service == "objection" else None,
        "proposed": _proposed_summary(items),
        "dispute_filed": iso(d.filed) if d else None, "dispute_case_no": d.case_no if d else None,
        "dispute_result": d.result if d else None, "dispute_decided": iso(d.decided) if d else None,
        # not book columns: kept so that a later version leaving them out erases nothing (matching.KEPT)
        "information_source": req.source, "addressed_to": req.addressed_to,
    }


def _personal(req: Request) -> dict[str, Any]:
    r = req.requester
    files = [str(p) for p in (req.attachment(req.letter), req.attachment(r.identity.copy)) if p]
    return {"phone": r.phone, "email": r.email, "address": r.address,
            "identity_type": r.identity.type, "identity_number": r.identity.number, "attachments": files}
