"""Letters: the context each template gets (templates/README.md), and filling the .docx.

Templates are filled by docxtpl in a sandboxed Jinja environment with autoescaping and
StrictUndefined: a requester's `&`, `<` or `{{ }}` comes out literally, and a variable the
template names but the pipeline does not give is an error naming template and variable.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import threading
from dataclasses import dataclass, field
import unicodedata
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from pipeline.config import Config
from pipeline.errors import TemplateError
from pipeline import files
from pipeline.formatting import date_id, datetime_id, number_words
from pipeline.model import Request, holders
from pipeline.wording import (ANSWER_SIGNER_TITLES, CHANNEL_LABELS, COST, DELIVERY_LABELS,  # noqa: F401 (re-exported)
                              DISPUTE_RESULT_LABELS, FORM_LABELS, KIND_LABELS, OBJECTION_RESULT_LABELS,
                              OUTCOME_LABELS, PASAL35, ROLE_LABELS, SERVICE_LABELS, STATUS_LABELS, pasal17)



_ITEM = {"no", "text", "status", "status_label", "rule", "ground", "ground_text", "basis",
         "consequence_test", "reason", "consequence", "holder", "redact"}
_ITEMS = {"items": [_ITEM], "given": [_ITEM], "refused": [_ITEM], "partial": [_ITEM], "not_held": [_ITEM],
          "not_documented": [_ITEM], "has_refusal": bool,
          # UU KIP Pasal 22 ayat 7 huruf b: each holder once, with the items it holds
          "referrals": [{"holder": str, "numbers": [{"no"}]}]}
_OBJECTION = {"objection_no": str, "original_register_no": str, "original_letter_no": str,
              "grounds": [{"letter", "text"}], "due": str}
# What the new or corrected notice cites (spec section 3): the objection response, the
# Komisi Informasi's ruling, or the notice it replaces; "" parts when none.
_REPLACES = {"cause": str, "notice_no": str, "notice_date": str, "objection_no": str, "response_no": str,
             "response_date": str, "case_no": str, "ruling_date": str, "decree_no": str, "sentence": str,
             "commission_open": bool, "commission_end": str, "decree_date": str, "commission_unsure": bool}
_DECREE = {"decree_title": str, "mengingat": [str], "notice_no": str}


@dataclass(frozen=True)
class LetterKind:
    """One kind of letter: its template's contract, its Hal, who signs it, what the law makes it say.

    A kind lives in two places: its template (templates/<name>.docx, which the office may edit
    in Word) and this entry. `context` is what the pipeline gives the template besides every
    letter's variables (`ppid templates check` and templates/README.md follow it); `needs` is
    what the template must use; `phrases` are the legal phrases its letter must print
    (tests/test_letter_law.py renders each kind and looks for them, so an office's rewording
    cannot drop them); `series` is its number series (config/office.yaml `numbering`);
    `form` is "letter" (Tata Naskah Dinas surat dinas) or "decree" (keputusan).
    """

    name: str
    hal: str  # {service} is the service's label
    label: str  # what the letter is, in Indonesian
    signs: str = "ppid"  # a signing role of config/office.yaml `staff:`, or "answerer" (the consultation's official)
    signs_by_service: dict[str, str] = field(default_factory=dict)
    needs: tuple[str, ...] = ()  # context variables of its own, besides every letter's (its substance)
    context: dict = field(default_factory=dict)  # the variables of its own, as templatecheck reads them
    phrases: tuple[str, ...] = ()  # legal phrases its letter must print (the ordinary regime)
    election_phrases: tuple[str, ...] = ()  # ... and during an election stage (Perki 1/2019)
    series: str = "letter"
    form: str = "letter"

    @property
    def template(self) -> str:
        return f"{self.name}.docx"

    def signer(self, service: str) -> str:
        return self.signs_by_service.get(service, self.signs)


# Keputusan KPU Provinsi NTT 129/2022: its title as the decree writes it
_DECREE_129_TITLE = "tentang Penetapan Standar Pelayanan Publik pada Komisi Pemilihan Umum Provinsi Nusa Tenggara Timur"
_PERKI_2019_SHORT = "Peraturan Komisi Informasi Nomor 1 Tahun 2019"
REGISTRY: dict[str, LetterKind] = {k.name: k for k in (
    LetterKind("receipt", "Tanda Bukti Penerimaan {service}", "Tanda Bukti Penerimaan Permohonan",
               needs=("recipient",), context={},
               # UU KIP Pasal 22 ayat 4 and 7: the register number at once, the notice's period
               phrases=("nomor registrasi", "Pasal 22 ayat (7) Undang-Undang Nomor 14 Tahun 2008"),
               election_phrases=(_PERKI_2019_SHORT,)),
    LetterKind("incomplete_notice", "Pemberitahuan Kekurangan Persyaratan {service}",
               # the PPID signs for an objection too: registering and checking it is the PPID's
               # administrative work, as the objection receipt (the Atasan PPID answers it, Pasal 36)
               "Pemberitahuan Kekurangan Persyaratan", needs=("missing", "recipient"),
               context={"missing": [{"code", "title", "how"}], "objection_window_end": str},
               # the requirements: the office's service standard (Keputusan 129/2022), not UU KIP Pasal 22
               phrases=("belum memenuhi persyaratan", "Undang-Undang Nomor 14 Tahun 2008",
                        "Keputusan KPU Provinsi Nusa Tenggara Timur Nomor 129 Tahun 2022", _DECREE_129_TITLE,
                        "Standar Pelayanan Data dan Informasi")),
    LetterKind("decision_notice", "Pemberitahuan Tertulis atas Permohonan Informasi Publik",
               "Pemberitahuan Tertulis (UU 14/2008 Pasal 22 ayat 7)", needs=("items", "outcome", "recipient"),
               context={"outcome": str, "outcome_label": str, "decision_by": str, **_ITEMS,
                        "objection_period": str, "refusal_decree_no": str, "revocation_decree_no": str,
                        "replaces": _REPLACES,
                        "late": {"due", "period", "sentence"}},
               # UU KIP Pasal 22 ayat 7; Pasal 35 ayat 1 and 36 ayat 1 (the right to object)
               phrases=("Pasal 22 ayat (7)", "Pasal 17 huruf", "Pasal 35 ayat (1)", "Atasan PPID")),
    LetterKind("refusal_decree", "Keputusan PPID tentang Penolakan Permohonan Informasi Publik",
               "Surat Keputusan PPID tentang Penolakan Permohonan Informasi Publik (Perki 1/2021)",
               needs=("refused", "notice_no", "mengingat"),
               context={**_DECREE, **_ITEMS, "replaces": _REPLACES, "revoked": {"number", "date", "register_no"},
                        "revocation_decree_no": str},
               # UU KIP Pasal 19 (consequence test), Perki 1/2021, the decree's parts
               phrases=("KEPUTUSAN PEJABAT PENGELOLA INFORMASI DAN DOKUMENTASI", "TENTANG", "Menimbang",
                        "Mengingat", "MEMUTUSKAN", "Menetapkan", "KESATU", "Ditetapkan di", "pada tanggal",
                        "Pasal 19", "Peraturan Komisi Informasi Nomor 1 Tahun 2021", "Akibat apabila dibuka",
                        "Pasal 35 ayat (1) huruf a"),
               election_phrases=(_PERKI_2019_SHORT,), series="decree", form="decree"),
    LetterKind("revocation_decree", "Keputusan PPID tentang Pencabutan Keputusan PPID",
               "Keputusan PPID tentang Pencabutan Keputusan tentang Penolakan Permohonan Informasi Publik "
               "(UU 30/2014 Pasal 64)",
               needs=("revoked", "mengingat"),
               context={**_DECREE, "revoked": {"number", "date", "register_no"}, "replaces": _REPLACES},
               # UU 30/2014 Pasal 64 ayat (1): revoked for a defect it names (here substansi), by its issuer
               phrases=("KEPUTUSAN PEJABAT PENGELOLA INFORMASI DAN DOKUMENTASI", "TENTANG", "PENCABUTAN",
                        "Menimbang", "Mengingat", "MEMUTUSKAN", "Menetapkan", "KESATU", "Mencabut",
                        "Ditetapkan di", "pada tanggal", "Pasal 64", "Pasal 64 ayat (1)", "cacat substansi",
                        "Undang-Undang Nomor 30 Tahun 2014 tentang Administrasi Pemerintahan",
                        # UU Cipta Kerja Pasal 175 amended it (wording.UU_6_2023)
                        "sebagaimana telah diubah dengan Undang-Undang Nomor 6 Tahun 2023"),
               series="decree", form="decree"),
    LetterKind("extension_notice", "Pemberitahuan Perpanjangan Jangka Waktu Pemberian Informasi",
               "Pemberitahuan Perpanjangan Jangka Waktu (UU 14/2008 Pasal 22 ayat 8)",
               needs=("extension", "recipient"),
               context={"extension": {"days", "days_words", "reason", "date", "old_due", "new_due"}},
               phrases=("Pasal 22 ayat (8)",), election_phrases=(_PERKI_2019_SHORT,)),
    LetterKind("consultation_answer", "Jawaban atas Permohonan Konsultasi", "Surat Jawaban Konsultasi",
               signs="answerer", needs=("answer", "recipient"),
               context={"answer": {"text", "by", "role", "role_label", "approved_by", "date"}},
               phrases=("Keputusan KPU Provinsi Nusa Tenggara Timur Nomor 129 Tahun 2022", _DECREE_129_TITLE,
                        "Standar Pelayanan Konsultasi")),
    LetterKind("objection_receipt", "Tanda Bukti Penerimaan Keberatan atas Permohonan Informasi Publik",
               "Tanda Bukti Penerimaan Keberatan", needs=("objection", "recipient"),
               context={"objection": _OBJECTION},
               phrases=("Pasal 35 ayat (1)", "Pasal 36 ayat (2)", "register keberatan"),
               election_phrases=(_PERKI_2019_SHORT,)),
    LetterKind("objection_response", "Tanggapan atas Keberatan Permohonan Informasi Publik",
               "Tanggapan atas Keberatan (Atasan PPID)", signs="atasan_ppid", needs=("objection", "recipient"),
               context={"objection": {**_OBJECTION, "result": str, "result_label": str, "reason": str,
                                      "decided_by": str, "commission_period": str,
                                      "order_period": str, "order_due": str, "revoke_decree": bool,
                                      "revoke_decree_no": str, "revoke_decree_date": str,
                                      "revoke_period": str, "revoke_due": str,
                                      "decree_no": str, "decree_date": str,
                                      "late": {"window_start", "window_end", "filed", "counted_from"}}},
               # UU KIP Pasal 36 ayat 2-3, Pasal 37 ayat 1-2 (the Komisi Informasi); an overturned
               # response orders the PPID (OVERTURNED_PHRASES), it annuls nothing
               phrases=("Pasal 36 ayat (2)", "Komisi Informasi", "Pasal 37 ayat (1)"),
               election_phrases=(_PERKI_2019_SHORT,)),
)}
KINDS = tuple(REGISTRY)
# What an overturned objection response prints: it orders the PPID to revoke and to give a new
# notice by a date (UU 30/2014 Pasal 64: the issuer revokes); never an annulment (Pasal 66).
OVERTURNED_PHRASES = ("memerintahkan PPID", "mencabut", "pemberitahuan tertulis yang baru", "paling lambat")
NOT_OVERTURNED_WORDS = ("membatalkan", "dibatalkan", "pembatalan")
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


# Emoji: the letter fonts have none, and a PDF would show empty boxes. Each becomes its
# Unicode name in brackets ("🗳️" -> "[BALLOT BOX WITH BALLOT]"): readable in any font,
# kept in the PDF's text, with no emoji font to install on the office's machines.
_EMOJI = re.compile("[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B50-\u2B55\u231A\u231B\u23E9-\u23FA]"
                    "[\uFE0F\U0001F3FB-\U0001F3FF]*")


def emoji_names(text: str) -> str:
    """Each emoji as its name in brackets; skin tones and variation selectors dropped."""
    if not _EMOJI.search(text):
        return text
    named = _EMOJI.sub(lambda m: f"[{unicodedata.name(m.group(0)[0], 'EMOJI')}]", text)
    return named.replace("]\u200d[", "][")


def _clean(value: Any) -> Any:
    """Strip characters XML cannot hold, recursively (they would break the .docx); name emoji."""
    if isinstance(value, str):
        return emoji_names(_XML_ILLEGAL.sub("", value))
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    return value


def _person_key(name: str) -> str:
    """'Wilhelmus Nenobais, S.H., M.Si. (Sekretaris …)' -> 'Wilhelmus Nenobais': the name without
    titles after a comma or a position in brackets."""
    return re.split(r"[,(]", name or "", maxsplit=1)[0].strip()


def staff_member(cfg: Config, name: str | None):
    """The staff member (config/office.yaml `staff:`) of that name, as written or without its
    titles; None when not listed. Letters read people only through this and cfg.person."""
    if not name:
        return None
    found = cfg.named(name)
    if found is None:
        key = _person_key(name).casefold()
        found = next((p for p in cfg.staff if _person_key(p.name).casefold() == key), None) if key else None
    return found


def _office_of(person, fallback: str) -> str:
    """A position with its office: 'Sekretaris Komisi Pemilihan Umum Provinsi Nusa Tenggara Timur'."""
    if person is None or not person.position:
        m = re.search(r"\(([^)]+)\)", fallback or "")
        return (m.group(1) if m else fallback).strip().rstrip(",")
    office = person.office if person.office and person.office.casefold() not in person.position.casefold() else ""
    return f"{person.position} {office}".strip().rstrip(",")


def _same(cfg: Config, a: str, b: str) -> bool:
    one, two = staff_member(cfg, a), staff_member(cfg, b)
    return one is not None and one is two


def _on_behalf(cfg: Config, approver: str, signer: str = "") -> str:
    """The lines above the signer's own title when an official signs for the approver (Tata Naskah
    Dinas; "atas nama" is a mandate, UU 30/2014 Pasal 14): "a.n. <the approver's position and office>";
    when the signer reports (`reports_to` in `staff:`) to an official below the approver, that
    official's position and "u.b." follow, as two levels down reads:
        a.n. Sekretaris Komisi Pemilihan Umum Provinsi Nusa Tenggara Timur
        Kepala Bagian …
        u.b.
    (then the signer's title with its comma). Only the signer's title ends with a comma. Pattern as
    in published tata naskah dinas guides (BNPB: "u.b. digunakan jika yang diberikan kuasa memberikan
    kuasa lagi kepada pejabat satu tingkat di bawahnya ... sampai dua tingkat struktural"); KPU's own
    PKPU 2/2021 text is for the office to confirm (README)."""
    lines = [f"a.n. {_office_of(staff_member(cfg, approver), approver)}"]
    who = staff_member(cfg, signer) if signer else None
    middle = staff_member(cfg, who.reports_to) if who is not None and who.reports_to else None
    if middle is not None and middle is not who and not _same(cfg, middle.name, approver):
        lines += [middle.position.strip().rstrip(","), "u.b."]
    return "\n".join(lines)


def answerer(cfg: Config, answer) -> dict[str, str]:
    """How the consultation answer's closing sentence names who answered: 'selaku {role_label}, dengan
    persetujuan {approved_by}'. A delegated official is named by the own position, and the approver
    by position, office and name; the mandate ("a.n.") is the signature block's, not the sentence's
    (third legal read): '… selaku Kepala Subbagian …, dengan persetujuan Sekretaris Komisi …,
    Wilhelmus …'."""
    approved = answer.approved_by or ""
    if answer.role != "delegated":
        return {"role_label": ROLE_LABELS.get(answer.role or "", ""), "approved_by": approved}
    who = staff_member(cfg, answer.by or "")
    own = who.position.strip().rstrip(",") if who is not None and who.position else ROLE_LABELS["delegated"]
    boss = staff_member(cfg, approved)
    name = boss.name if boss is not None else re.sub(r"\s*\([^)]*\)\s*$", "", approved)
    return {"role_label": own, "approved_by": f"{_office_of(boss, approved)}, {name}" if approved else ""}


def signatory(cfg: Config, kind: str, req: Request) -> dict[str, str]:
    """Who signs a letter of this kind for this request (REGISTRY), read from `staff:`.

    A delegated official signs "a.n." the approver's office, then the official's own position
    and name (Tata Naskah Dinas): "a.n. Sekretaris Komisi Pemilihan Umum Provinsi Nusa Tenggara
    Timur," / "Kepala Subbagian …," / name."""
    role = REGISTRY[kind].signer(req.service)
    if role == "answerer":  # the member, the Secretary, or a delegated official "a.n." the approver
        a = req.answer
        who = staff_member(cfg, a.by) if a else None
        if a and a.role == "delegated" and a.approved_by:
            own = (who.position if who and who.position else ANSWER_SIGNER_TITLES["delegated"])
            return {"title": own.strip().rstrip(",") + ",", "office": "", "name": a.by or "",
                    "nip": who.nip if who else "", "on_behalf": _on_behalf(cfg, a.approved_by, a.by or "")}
        return {"title": ANSWER_SIGNER_TITLES.get(a.role or "", "") if a else "",
                "office": cfg.person("ppid").office, "name": (a.by or "") if a else "",
                "nip": who.nip if who else "", "on_behalf": ""}
    if role == "atasan_ppid":  # the post, not a bare role: "Sekretaris / Komisi … / selaku Atasan PPID,"
        person = cfg.person(role)
        if not _says_atasan(person.position):
            office = f"{person.office}\n{ATASAN_SUFFIX}" if person.office else ATASAN_SUFFIX
            return {"title": person.position, "office": office, "name": person.name, "nip": person.nip,
                    "on_behalf": ""}
    return {**cfg.signatory(role), "on_behalf": ""}


# The Atasan PPID is a post held by an official (UU KIP Pasal 35-36; at a KPU Provinsi the
# Secretary): letters print the official's position "selaku Atasan PPID", from `staff:`.
ATASAN_SUFFIX = "selaku Atasan PPID"


def _says_atasan(position: str) -> bool:
    return "atasan ppid" in " ".join((position or "").split()).casefold()


def posts(cfg: Config) -> dict[str, str]:
    """How letters name the posts in running text: 'Sekretaris KPU Provinsi Nusa Tenggara Timur
    selaku Atasan PPID' (from the Atasan PPID's `position` in `staff:`)."""
    short = cfg.office.get("short", "")
    person = cfg.person("atasan_ppid")
    if _says_atasan(person.position) or not person.position:
        return {"atasan_ppid": f"Atasan PPID {short}".strip()}
    return {"atasan_ppid": f"{person.position} {short} {ATASAN_SUFFIX}".replace("  ", " ").strip()}


def base_context(cfg: Config, req: Request, *, kind: str, register_no: str, letter_no: str,
                 date: dt.date, due: dt.date | None, regime=None) -> dict[str, Any]:
    """The variables every letter gets (templates/README.md).

    `regime` is the deadlines.Regime of the request's clock (the ordinary one when None)."""
    r = req.requester
    service_label = SERVICE_LABELS[req.service]
    office = dict(cfg.office)
    office["logo"] = ""  # an InlineImage is attached by render() when configured
    regime = regime or cfg.clock.regime(None)
    words = regime.words()
    hal = cfg.letter_hal.get(kind) or REGISTRY[kind].hal
    return {
        "office": office,
        "letter": {
            "kind": kind, "number": letter_no, "date": date_id(date),
            "place": cfg.letter_defaults.get("place", cfg.office.get("city", "Kupang")),
            "sifat": cfg.letter_defaults.get("sifat", "Biasa"), "lampiran": "-",
            "hal": hal.format(service=service_label.title()),
        },
        "recipient": {
            "name": r.name or "Pemohon", "organization": r.organization or "",
            "address": r.address or "", "salutation": "Sdr./Sdri.",  # the organization, if any, stands on the next line
        },
        "signatory": signatory(cfg, kind, req),
        "posts": posts(cfg),
        "tembusan": list(cfg.tembusan),
        "regime": regime.context(),
        "deadlines": {k: words[k] for k in ("notice", "extension", "objection_window", "objection_answer", "commission")},
        "request": {
            "register_no": register_no, "service": req.service, "service_label": service_label,
            "channel_label": CHANNEL_LABELS[req.channel], "received": datetime_id(req.received),
            "received_date": date_id(req.received.date()),
            "completed": datetime_id(req.completed) if req.completed else "",
            "items": list(req.information or []), "topic": req.topic or "", "purpose": req.purpose or "",
            "source": req.source or "", "form_label": FORM_LABELS.get(req.form or "", ""),
            "delivery_label": DELIVERY_LABELS.get(req.delivery or "", ""),
            "due": date_id(due) if due else "", "period": words["notice"], "cost": COST,
            "status_code": "", "status_url": "",  # set by the batch (spec section 3)
        },
        "requester": {"name": r.name or "", "kind_label": KIND_LABELS.get(r.kind or "", ""),
                      "organization": r.organization or "", "address": r.address or ""},
    }


def _either(names: list[str]) -> str:
    """Several holders in a sentence, the EYD way: 'A', 'A atau B', 'A, B, atau C'."""
    if len(names) < 2:
        return "".join(names)
    return ", ".join(names[:-1]) + ("," if len(names) > 2 else "") + " atau " + names[-1]


def item_context(items) -> dict[str, Any]:
    """The decision notice's (and refusal decree's) items and their split by status."""
    rows = []
    for i in items:
        rows.append({
            "no": i.no, "text": i.text, "status": i.status, "status_label": STATUS_LABELS.get(i.status, i.status),
            "rule": i.rule or "", "ground": i.ground or "",
            "ground_text": pasal17(i.cited, i.basis or "") if i.cited else "",
            "basis": i.basis or "", "consequence_test": i.consequence_test or "", "reason": i.reason or "",
            "consequence": getattr(i, "consequence", None) or "",
            "holder": _either(holders(i.holder)), "redact": ", ".join(i.redact),
        })
    by = lambda *s: [r for r in rows if r["status"] in s]  # noqa: E731
    referrals: dict[str, list[dict[str, Any]]] = {}
    for i in items:  # each holder once, naming its items (the office's own items are not listed)
        if i.status == "not_held":
            for h in holders(i.holder):
                referrals.setdefault(h, []).append({"no": i.no})
    return {"items": rows, "given": by("open"), "refused": by("exempt"), "partial": by("partial"),
            "not_held": by("not_held"), "not_documented": by("not_documented"),
            "has_refusal": bool(by("exempt", "partial")),
            "referrals": [{"holder": h, "numbers": nos} for h, nos in referrals.items()]}


EXAMPLE_MARK = "CONTOH"  # the starter config's placeholders say so in their text


def ppid_appointment(cfg: Config) -> str:
    """The decree that appointed the PPID (config/office.yaml `ppid_appointment`), cited in every
    decree's Mengingat; "" when not set."""
    return " ".join(str((cfg.raw or {}).get("ppid_appointment") or "").split())


def appointment_note(cfg: Config) -> str | None:
    """Once per run: the PPID's appointment decree is still the starter's example, or not set."""
    value = ppid_appointment(cfg)
    if value and EXAMPLE_MARK not in value:
        return None
    return ("config/office.yaml ppid_appointment is " + ("still the starter's example" if value else "not set")
            + ": decrees cite it in their Mengingat; set it to the decree that appointed the office's PPID")


def mengingat(cfg: Config, kind: str, items=(), regime=None) -> list[str]:
    """A decree's Mengingat, in the order of the hierarchy of laws (spec section 4): the Acts, the
    PP, the Komisi Informasi's and KPU's regulations, the PPID's appointment, the DIK decrees
    the refused items' rules name."""
    from pipeline import wording as W

    out = [W.UU_KIP_LN] + ([W.UU_30_2014] if kind == "revocation_decree" else []) + [W.PP_61]
    if regime is not None and regime.election:
        out.append(W.PERKI_2019)
    out += [W.PERKI_2021, W.PKPU_22]
    if ppid_appointment(cfg):
        out.append(ppid_appointment(cfg))
    for i in items:
        test = " ".join(str(getattr(i, "consequence_test", "") or "").split())
        if test and getattr(i, "status", "") in ("exempt", "partial") and test not in out:
            out.append(test)
    return out


NO_REPLACES = {**dict.fromkeys(("cause", "notice_no", "notice_date", "objection_no", "response_no", "response_date",
                                "case_no", "ruling_date", "decree_no", "sentence", "commission_end",
                                "decree_date"), ""),
               "commission_open": False, "commission_unsure": False}


# the decrees a written notice sends with it (its refusal decree, the revocation of an earlier one)
ENCLOSED_DECREES = ("refusal_decree_no", "revocation_decree_no")


def letter_context(cfg: Config, req: Request, *, kind: str, data: dict[str, Any], register_no: str,
                   letter_no: str, date: dt.date, due: dt.date | None, regime=None) -> dict[str, Any]:
    """A letter's whole context: every letter's variables plus its kind's (a planner.LetterPlan's data)."""
    ctx = base_context(cfg, req, kind=kind, register_no=register_no, letter_no=letter_no, date=date, due=due,
                       regime=regime)
    data = dict(data)
    if REGISTRY[kind].form == "decree":
        data["mengingat"] = mengingat(cfg, kind, data.get("items_result") or (), regime or cfg.clock.regime(None))
    if "items_result" in data:
        data.update(item_context(data.pop("items_result")))
    if kind in ("decision_notice", "revocation_decree", "refusal_decree"):
        data["replaces"] = {**NO_REPLACES, **(data.get("replaces") or {})}
    if kind == "refusal_decree":  # a replacing decree names the revoked one (number, date) and its revocation
        data["revoked"] = {"number": "", "date": "", "register_no": "", **(data.get("revoked") or {})}
        data.setdefault("revocation_decree_no", "")
    if kind == "decision_notice":
        enclosed = sum(1 for key in ENCLOSED_DECREES if data.get(key))
        if enclosed:  # Tata Naskah Dinas: the Lampiran line states what goes with the letter
            ctx["letter"]["lampiran"] = f"{number_words(enclosed)} berkas"
        data.setdefault("objection_period", ctx["deadlines"]["objection_window"])
        data.setdefault("late", {"due": "", "period": "", "sentence": ""})
    if kind == "incomplete_notice":
        data.setdefault("objection_window_end", "")
    if "objection" in data:
        data["objection"] = {**data["objection"], "objection_no": register_no}
    if copies_atasan(kind, data):
        ctx["tembusan"] = _with_copy(ctx["tembusan"], ctx["posts"]["atasan_ppid"])
    ctx.update(data)
    return ctx


def copies_atasan(kind: str, data: dict[str, Any]) -> bool:
    """A copy goes to the Atasan PPID of what revokes or replaces a decision (on the Atasan's
    order, a Komisi Informasi ruling or the PPID's own review) and of a late notice: the
    Atasan PPID answers objections (UU KIP Pasal 36) and sees the order carried out (fourth
    legal read; README "Before real use")."""
    return (kind == "revocation_decree" or bool((data.get("replaces") or {}).get("cause"))
            or bool((data.get("late") or {}).get("sentence")))


def _with_copy(tembusan: list[str], who: str) -> list[str]:
    """`tembusan` with `who` before the archive's copy ("Arsip", which stands last), or last,
    unless the office's list already names that post."""
    key = who.casefold()
    if any(t.casefold() in key or key in t.casefold() for t in tembusan):
        return list(tembusan)
    archive = [i for i, t in enumerate(tembusan) if t.strip().casefold() == "arsip"]
    at = archive[0] if archive else len(tembusan)
    return [*tembusan[:at], who, *tembusan[at:]]


LOGO_MM = 22  # height of the logo in the kop surat
_TAG = re.compile(r"\{[{%]")
_NL_P = re.compile(r"\n<w:p([ >])")
_P = re.compile(r"<w:p([ >])")
_PROPERTIES = ("author", "comments", "identifier", "language", "subject", "title")  # what docxtpl renders


def _template_error(source: str, exc: jinja2.TemplateError) -> TemplateError:
    """A Jinja error in a letter template, in plain words naming the template's file."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return TemplateError(f"{source}: template error near line {exc.lineno}: {exc.message}; "
                             "check the {{ }} and {% %} tags in Word")
    return TemplateError(f"{source}: {exc.message}; the pipeline gives no such variable "
                         "(see templates/README.md, or run 'ppid templates check')")


def _unescape_docxtpl(xml: str) -> str:
    return xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")


class PreparedTemplate:
    """A letter template made ready once per batch, then filled letter after letter.

    docxtpl, per letter, opens the .docx with python-docx, cleans the Word XML so Jinja
    can read its tags (a regular expression over the whole body), compiles it, renders it
    and saves the whole package, re-compressing the template's 800 kB of styles. Here the
    first three happen once: the body (and any header or footer with tags) is cleaned
    with docxtpl's own ``patch_xml`` and compiled; the parts no letter changes are
    compressed once into a base zip. Filling a letter renders the compiled parts, applies
    docxtpl's own post-processing (``resolve_listing``, ``fix_tables``,
    ``fix_docpr_ids``) and appends them to a copy of the base zip: the same document
    docxtpl writes, in about a tenth of the time.

    A configured logo is the same in every letter: its image part and relationship are
    added to the package once, here, and each letter gets the same drawing XML that
    docxtpl's InlineImage would write (docPr ids are renumbered per letter, as there).

    ``supported`` is False for what only docxtpl's full path handles (tags in the
    document properties or footnotes, a logo outside the body); Renderer then uses
    docxtpl per letter.
    """

    def __init__(self, data: bytes, env: jinja2.Environment, kind: str, logo: Path | None = None,
                 *, source: Path | str | None = None):
        import copy
        import zipfile

        from docxtpl import DocxTemplate
        from lxml import etree

        self.kind = kind
        self._lock = threading.Lock()  # one prepared template may serve several threads of the desk
        self.source = str(source or f"templates/{kind}.docx")  # the file as --templates named it
        tpl = self.tpl = DocxTemplate(io.BytesIO(data))
        tpl.init_docx()
        docx = tpl.docx
        props = docx.core_properties
        footnotes = [p for p in docx.part.package.parts if p.content_type.endswith(".footnotes+xml")]
        self.supported = not any(_TAG.search(getattr(props, name) or "") for name in _PROPERTIES) and not any(
            _TAG.search(p.blob.decode("utf-8", "replace")) for p in footnotes)
        if not self.supported:
            return
        self.logo = ""
        if logo is not None:
            from docx.shared import Mm
            from docxtpl import InlineImage

            body_xml = docx.element.body.xml
            elsewhere = [p for p in docx.part.package.parts
                         if p is not docx.part and p.partname.endswith(".xml") and b"office.logo" in p.blob]
            if "office.logo" not in body_xml or elsewhere:
                self.supported = False  # docxtpl attaches the image to whichever part shows it
                return
            tpl.current_rendering_part = docx.part
            self.logo = InlineImage(tpl, str(logo), height=Mm(LOGO_MM))._insert_image()
            saved = io.BytesIO()
            docx.save(saved)  # the package now holds the image part and its relationship
            data = saved.getvalue()
        # document.xml: the serialized document around its body
        root = copy.deepcopy(docx.element)
        root.replace(root.body, etree.Comment("PPID-BODY"))
        whole = etree.tostring(root, encoding="UTF-8", standalone=True).decode("utf-8")
        self.prefix, self.suffix = whole.split("<!--PPID-BODY-->")
        self.document = docx.part.partname.lstrip("/")
        self.body = self._compile(env, tpl.patch_xml(tpl.get_xml()))
        self.others: dict[str, tuple[jinja2.Template, str]] = {}
        for uri in (tpl.HEADER_URI, tpl.FOOTER_URI):
            for _, part in tpl.get_headers_footers(uri):
                xml = tpl.get_part_xml(part)
                if _TAG.search(xml):
                    self.others[part.partname.lstrip("/")] = (
                        self._compile(env, tpl.patch_xml(xml)), tpl.get_headers_footers_encoding(xml))
        rendered = {self.document, *self.others}
        base = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(base, "w", zipfile.ZIP_DEFLATED) as dst:
            for info in src.infolist():
                if info.filename not in rendered:
                    dst.writestr(info.filename, src.read(info), compress_type=zipfile.ZIP_DEFLATED)
        self.base = base.getvalue()

    def _compile(self, env: jinja2.Environment, xml: str) -> jinja2.Template:
        try:
            return env.from_string(_P.sub(r"\n<w:p\1", xml))
        except jinja2.TemplateSyntaxError as exc:
            raise _template_error(self.source, exc) from None

    def _render(self, template: jinja2.Template, context: dict[str, Any]) -> str:
        try:
            xml = template.render(context)
        except jinja2.UndefinedError as exc:
            raise _template_error(self.source, exc) from None
        return self.tpl.resolve_listing(_unescape_docxtpl(_NL_P.sub(r"<w:p\1", xml)))

    def fill(self, context: dict[str, Any]) -> bytes:
        """The filled .docx as bytes."""
        import zipfile

        from lxml import etree

        if self.logo:
            context = dict(context, office=dict(context["office"], logo=Markup(self.logo)))
        with self._lock:  # docxtpl keeps the docPr counter on the template
            tree = self.tpl.fix_tables(self._render(self.body, context))
            self.tpl.docx_ids_index = 1000
            self.tpl.fix_docpr_ids(tree)
            short_tail(tree if tree.tag == _W + "body" else tree.find(_W + "body"))
            document = self.prefix + etree.tostring(tree, encoding="unicode") + self.suffix
        buf = io.BytesIO()
        buf.write(self.base)
        with zipfile.ZipFile(buf, "a", zipfile.ZIP_DEFLATED) as z:
            z.writestr(self.document, document.encode("utf-8"))
            for name, (template, encoding) in self.others.items():
                z.writestr(name, self._render(template, context).encode(encoding))
        return buf.getvalue()


# One sandbox for every renderer: its settings never change, so a template compiled
# once (keyed by the bytes of the .docx and of the logo) serves every later batch in the
# process: the desk, and a test run, compile each letter kind once instead of per batch.
_ENV = SandboxedEnvironment(autoescape=True, undefined=jinja2.StrictUndefined)
_PREPARED: dict[tuple[str, str, str, str], PreparedTemplate] = {}
_PREPARED_LOCK = threading.Lock()
_PREPARED_MAX = 64  # a handful of kinds times a few template folders; an edited .docx is a new key


def _prepare(data: bytes, kind: str, logo: Path | None, source: Path) -> PreparedTemplate:
    import hashlib

    logo_digest = hashlib.sha256(logo.read_bytes()).hexdigest() if logo is not None and logo.is_file() else ""
    key = (hashlib.sha256(data).hexdigest(), kind, f"{logo}:{logo_digest}", str(source))
    with _PREPARED_LOCK:
        found = _PREPARED.get(key)
    if found is None:
        found = PreparedTemplate(data, _ENV, kind, logo, source=source)
        with _PREPARED_LOCK:
            if len(_PREPARED) >= _PREPARED_MAX:
                _PREPARED.clear()
            _PREPARED[key] = found
    return found


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
CLOSING_ALONE = 200  # characters: about two lines and a half of the body, the least a signature page opens with


def _text(paragraph) -> str:
    """A paragraph's printed text (its w:t runs: python-docx's element classes would add tabs)."""
    return "".join(t.text or "" for t in paragraph.iter(_W + "t")).strip()


def short_tail(body) -> None:
    """Only the last printed paragraph keeps with the closing block after it.

    A template cannot know which of its conditional paragraphs will print, so it marks
    "keep with next" on all of them back to the last unconditional one
    (make_templates.keep_tail). Once rendered, a long chain of such paragraphs makes
    LibreOffice move them all to the next page and leave most of a page blank (fourth legal
    read). So the chain before the body's last table (the closing sentence, signature and
    tembusan) is cut after the last printed paragraph; a paragraph that introduces a list
    (ending in ":") keeps with its list. When the closing block opens with a sentence of
    substance (CLOSING_ALONE characters or more, like the objection response's route to the
    Komisi Informasi), the signature never stands alone without it, so no paragraph is
    held back with it: LibreOffice would move a long one whole and leave a blank half page."""
    if body is None:
        return
    tables = body.findall(_W + "tbl")
    if not tables:
        return
    first = tables[-1].find(f".//{_W}p")
    # True once a paragraph stays with the closing block, or at once when none needs to
    kept = first is not None and len(_text(first)) >= CLOSING_ALONE
    node = tables[-1].getprevious()
    while node is not None and node.tag == _W + "p":
        keep = node.find(f"{_W}pPr/{_W}keepNext")
        if keep is not None and keep.get(_W + "val") in ("0", "false", "off"):
            keep = None  # <w:keepNext w:val="0"/>: Word's way to say no
        text = _text(node)
        if keep is None:
            if text:
                return  # the chain ends here
        elif text and not kept:
            kept = True  # the last printed paragraph: stays with the closing block
        elif text and not text.endswith(":"):
            keep.getparent().remove(keep)
        node = node.getprevious()


class Renderer:
    """Fills templates; each template is read and prepared once per batch (and compiled
    once per process, see _prepare)."""

    def __init__(self, folder: Path, cfg: Config | None = None):
        self.folder = Path(folder)
        self.cfg = cfg
        self._bytes: dict[str, bytes] = {}
        self._prepared: dict[str, PreparedTemplate] = {}
        self.env = _ENV

    def template_bytes(self, kind: str) -> bytes:
        if kind not in self._bytes:
            path = self.folder / f"{kind}.docx"
            if not path.is_file():
                raise TemplateError(f"{path}: letter template not found; restore it from the stock set (templates/make_templates.py)")
            self._bytes[kind] = path.read_bytes()
        return self._bytes[kind]

    def prepared(self, kind: str) -> PreparedTemplate:
        if kind not in self._prepared:
            logo = (self.cfg.office.get("logo") if self.cfg else "") or ""
            path = self.folder / f"{kind}.docx"
            try:
                self._prepared[kind] = _prepare(self.template_bytes(kind), kind,
                                                self.cfg.folder / logo if logo else None, path)
            except TemplateError:
                raise
            except Exception as exc:  # noqa: BLE001 - not a zip, truncated, damaged XML: one clear line
                raise TemplateError(f"{path}: not a readable Word .docx template ({type(exc).__name__}: {exc}); "
                                    "restore it from the stock set (templates/make_templates.py) or save it "
                                    "again from Word as .docx") from None
        return self._prepared[kind]

    def render(self, kind: str, context: dict[str, Any], dest: Path) -> Path:
        """Fill template `kind` with `context` and write the .docx atomically."""
        context = _clean(context)
        logo = (self.cfg.office.get("logo") if self.cfg else "") or ""
        prepared = self.prepared(kind)
        if prepared.supported:
            data = prepared.fill(context)
        else:
            data = self.render_docxtpl(kind, context, logo)
        files.make_dir(dest.parent, None)  # no link at any folder on the way; the umask applies
        return files.write(dest, data, mode=0o666)  # the umask applies

    def render_docxtpl(self, kind: str, context: dict[str, Any], logo: str = "") -> bytes:
        """docxtpl's own path, one whole package per letter: for a logo (an image part
        added per letter) and for tags PreparedTemplate does not handle."""
        from docxtpl import DocxTemplate, InlineImage
        from docx.shared import Mm

        tpl = DocxTemplate(io.BytesIO(self.template_bytes(kind)))
        if logo:
            context["office"]["logo"] = InlineImage(tpl, str(self.cfg.folder / logo), height=Mm(LOGO_MM))
        try:
            tpl.render(context, self.env, autoescape=True)
        except (jinja2.UndefinedError, jinja2.TemplateSyntaxError) as exc:
            raise _template_error(str(self.folder / f"{kind}.docx"), exc) from None
        short_tail(tpl.docx.element.body)
        buf = io.BytesIO()
        tpl.save(buf)
        return buf.getvalue()
