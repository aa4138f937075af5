"""The annual report (Laporan Layanan Informasi Publik, Perki 1/2021 Pasal 56) as DOCX and PDF.

`build_report` computes the year's statistics (`stats.compute_year`), draws the charts
with matplotlib, fills ``templates/annual_report.docx`` (docxtpl; the office edits its
fixed text in Word) with `context`, and converts it with LibreOffice.

Only aggregates go in: counts, working days, register numbers of the oldest pending
requests and survey scores. No name, subject, contact or identity number of a
requester is read from the book (UU 27/2022).

Variables of the template (all strings already written the Indonesian way unless said):

- ``title`` (also the document's title property), ``year``, ``prev_year`` (int), ``date`` (report date, "15 Januari 2027"),
  ``issued_month`` ("Januari 2027"), ``as_of``, ``backlog_date``.
- ``office``: name, short, address, city, ppid_name, ppid_name_upper, eppid,
  contact_line, logo (InlineImage or "").
- ``signatory``: title, office, name, nip.
- ``narrative``: facilities, staff (lists), budget (string or "").
- Tables, each a list of rows ``{label, value, previous}`` unless said: ``summary``,
  ``by_channel``, ``by_service``, ``by_state``, ``by_kind``, ``outcomes``,
  ``timeliness_rows``, ``bands`` (+ pct), ``monthly`` ({month, previous, received,
  answered, on_time}), ``grounds`` ({letter, text, value}), ``missing`` ({label, value}),
  ``oldest`` ({register_no, service, received, due, state}), ``objection_grounds``
  ({letter, text, value}), ``objection_results`` ({label, value}); totals in ``totals``
  and ``monthly_total``.
- Sentences: ``channel_text``, ``channel_heading``, ``incomplete_text``,
  ``backlog_text``, ``consultation_text``, ``complaint_text``, ``objection_text``,
  ``dispute_text``; lists ``obstacles``, ``recommendations``.
- ``s`` (received by service) and ``t`` (timeliness figures) for the summary sentence.
- ``survey``: None, or {respondents, index, ikm, grade, label, left_out, elements: [{code,
  name, nrr, weight, converted}]}.
- ``charts``: channels, monthly, outcomes, days, survey (InlineImage, or "" when absent).
"""

from __future__ import annotations

import datetime as dt
import io
import tempfile
from pathlib import Path

import pandas as pd

from pipeline import stats
from pipeline.errors import ConversionError, TemplateError
from pipeline.formatting import MONTHS, date_id
from pipeline.letters import CHANNEL_LABELS, DISPUTE_RESULT_LABELS, KIND_LABELS, OBJECTION_RESULT_LABELS, PASAL35
from pipeline.model import CHANNELS, REQUESTER_KINDS, SERVICES

TEMPLATE = Path(__file__).resolve().parent.parent / "templates" / "annual_report.docx"
CHART_WIDTH_MM = 150
DASH = "–"

SERVICE_TITLES = {"information": "Permohonan informasi publik", "consultation": "Konsultasi",
                  "objection": "Keberatan", "complaint": "Pengaduan, saran, dan masukan"}
OUTCOME_TITLES = {"granted": "Dikabulkan seluruhnya", "partially_granted": "Dikabulkan sebagian",
                  "rejected": "Ditolak", "not_held": "Informasi tidak dikuasai"}
BAND_TITLES = {"same_day": "Pada hari permohonan diterima", "1_5": "1–5 hari kerja",
               "6_10": "6–10 hari kerja", "11_17": "11–17 hari kerja (dengan perpanjangan)",
               "over_17": "Lebih dari 17 hari kerja"}
# UU 14/2008 Pasal 17, in short.
PASAL17 = {
    "a": "menghambat proses penegakan hukum",
    "b": "mengganggu perlindungan hak atas kekayaan intelektual dan persaingan usaha sehat",
    "c": "membahayakan pertahanan dan keamanan negara",
    "d": "mengungkapkan kekayaan alam Indonesia",
    "e": "merugikan ketahanan ekonomi nasional",
    "f": "merugikan kepentingan hubungan luar negeri",
    "g": "mengungkapkan isi akta otentik yang bersifat pribadi dan kemauan terakhir atau wasiat",
    "h": "mengungkap rahasia pribadi",
    "i": "memorandum atau surat antar/intra Badan Publik yang menurut sifatnya dirahasiakan",
    "j": "informasi yang tidak boleh diungkapkan berdasarkan undang-undang",
}
# Keputusan KPU Provinsi NTT 129/2022, Lampiran, B.2, B.3 and B.5: the stock text of
# chapter II, replaced by the office's own through `narrative`.
FACILITIES = ["Ruang tamu dan ruang pelayanan (Front Office)", "Meja dan kursi", "Komputer",
              "Printer", "Jaringan internet", "Pesawat telepon",
              "Laman e-PPID untuk permohonan secara daring"]
STAFF = [
    "Pegawai yang memiliki pengetahuan peraturan perundang-undangan",
    "Pegawai yang memiliki pengetahuan di bidang kebijakan kepemiluan dan program kegiatan "
    "Komisi Pemilihan Umum",
    "Pegawai yang memiliki keterampilan mengelola data dan informasi",
    "Pegawai yang mampu menyampaikan informasi secara lengkap, terbuka, bertanggung jawab, "
    "serta santun",
    "Pegawai yang mampu mengoperasikan komputer",
    "Paling sedikit 1 (satu) orang pegawai penanggung jawab layanan data dan informasi dan 2 "
    "(dua) orang pegawai/pejabat untuk layanan konsultasi",
]
# Short names of the requirement checks (spec section 3), when the caller gives no titles
# from config/requirements.yaml.
REQUIREMENT_TITLES = {
    "identity": "Identitas pemohon", "contact": "Nomor kontak dan alamat e-mail",
    "contact_any": "Nomor kontak atau alamat e-mail", "identity_copy": "Salinan kartu identitas",
    "identity_shown": "Kartu identitas ditunjukkan di Front Office",
    "information": "Rincian informasi yang diminta", "topic": "Materi konsultasi",
    "purpose": "Tujuan permohonan", "source": "Sumber informasi",
    "addressed_to": "Surat ditujukan kepada Ketua KPU Provinsi Nusa Tenggara Timur",
    "letter": "Surat permohonan", "leader_letter": "Surat dari pimpinan lembaga",
    "guest_book": "Registrasi buku tamu",
    "objection_to": "Nomor register permohonan yang diajukan keberatan",
    "grounds": "Alasan keberatan", "text": "Isi pengaduan",
    "delegation": "Persetujuan pendelegasian konsultasi",
}
MONTH_SHORT = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")


# --- numbers the Indonesian way -----------------------------------------------------------


def _join_id(parts: list[str]) -> str:
    """Indonesian enumeration: 'a', 'a dan b', 'a, b, dan c'."""
    if len(parts) < 3:
        return " dan ".join(parts)
    return ", ".join(parts[:-1]) + ", dan " + parts[-1]


def num(x) -> str:
    """1.234 (thousands with a dot); '–' for None."""
    if x is None:
        return DASH
    return f"{int(x):,}".replace(",", ".")


def dec(x, places: int = 1) -> str:
    """7,5 (decimal comma, thousands with a dot); '–' for None."""
    if x is None:
        return DASH
    text = f"{float(x):,.{places}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def pct(x) -> str:
    return DASH if x is None else f"{dec(x, 1)}%"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _iso_id(iso: str | None) -> str:
    return date_id(dt.date.fromisoformat(iso)) if iso else DASH


# --- the context --------------------------------------------------------------------------


def _rows(now: dict, before: dict, keys, labels: dict) -> list[dict]:
    return [{"label": labels.get(k, k), "value": num(now.get(k, 0)),
             "previous": num(before.get(k, 0)) if before is not None else DASH} for k in keys]


def _survey_dict(survey) -> dict | None:
    if survey is None:
        return None
    return survey.to_dict() if hasattr(survey, "to_dict") else dict(survey)


def context(result: dict, year: int, *, office: dict, survey=None, as_of: dt.date,
            narrative: dict | None = None, requirement_titles: dict | None = None) -> dict:
    """The template's variables from a `stats.compute_year` result (see the module doc)."""
    narrative = dict(narrative or {})
    prev = result.get("previous") or {}
    req, preq = result["requests"], prev.get("requests", {})
    tim, ptim = result["timeliness"], prev.get("timeliness", {})
    back, inc = result["backlog"], result["incomplete"]
    cons, comp, obj = result["consultations"], result["complaints"], result["objections"]
    survey = _survey_dict(survey)

    office_ctx = _office(office)
    received = req["received"]

    by_channel = _rows(req["by_channel"], preq.get("by_channel", {}), CHANNELS,
                       {k: _cap(v) for k, v in CHANNEL_LABELS.items()})
    top = max(CHANNELS, key=lambda c: req["by_channel"].get(c, 0))
    if received:
        channel_text = (f"Permohonan diterima melalui surat, WhatsApp, e-mail, laman e-PPID, "
                        f"dan kedatangan langsung. Saluran yang paling banyak digunakan pada "
                        f"tahun {year} adalah {CHANNEL_LABELS[top]} "
                        f"({num(req['by_channel'][top])} dari {num(received)} permohonan).")
    else:
        channel_text = f"Tidak ada permohonan yang diterima pada tahun {year}."

    by_state = [
        {"label": "Telah dijawab/diselesaikan", "value": num(req["decided"]),
         "previous": num(preq.get("decided"))},
        {"label": "Dalam proses", "value": num(req["pending"]), "previous": num(preq.get("pending"))},
        {"label": "Belum memenuhi persyaratan", "value": num(req["incomplete"]),
         "previous": num(preq.get("incomplete"))},
        {"label": "Dicabut oleh pemohon", "value": num(req["withdrawn"]),
         "previous": num(preq.get("withdrawn"))},
    ]

    pmonths = prev.get("monthly", [])
    monthly = []
    for i, m in enumerate(result["monthly"]):
        mm = int(m["month"][5:7])
        monthly.append({"month": MONTHS[mm - 1], "received": num(m["received"]),
                        "answered": num(m["answered"]), "on_time": num(m["on_time"]),
                        "previous": num(pmonths[i]["received"]) if i < len(pmonths) else DASH})
    monthly_total = {k: num(sum(m[k] for m in result["monthly"]))
                     for k in ("received", "answered", "on_time")}
    monthly_total["previous"] = num(sum(m["received"] for m in pmonths))

    outcomes = _rows(req["by_outcome"], preq.get("by_outcome", {}), OUTCOME_TITLES, OUTCOME_TITLES)
    grounds = [{"letter": g, "text": _cap(PASAL17[g]), "value": num(n)}
               for g, n in result["grounds"].items() if n and g in PASAL17]
    if not grounds:
        grounds = [{"letter": DASH, "text": "Tidak ada permohonan yang ditolak berdasarkan "
                    "alasan pengecualian", "value": "0"}]

    decided = tim["decided"]
    wd, pwd = tim["working_days"], ptim.get("working_days", {})
    timeliness_rows = [
        ("Permohonan informasi yang dijawab", num(decided), num(ptim.get("decided"))),
        ("Median waktu pelayanan (hari kerja)", dec(wd["median"]), dec(pwd.get("median"))),
        ("Rata-rata waktu pelayanan (hari kerja)", dec(wd["mean"]), dec(pwd.get("mean"))),
        ("Waktu tercepat (hari kerja)", num(wd["min"]), num(pwd.get("min"))),
        ("Waktu terlama (hari kerja)", num(wd["max"]), num(pwd.get("max"))),
        ("Dijawab tepat waktu", _count_pct(tim["on_time"], tim["on_time_pct"]),
         _count_pct(ptim.get("on_time"), ptim.get("on_time_pct"))),
        ("Dijawab melewati batas waktu", num(tim["late"]), num(ptim.get("late"))),
        ("Dengan perpanjangan waktu (Pasal 22 ayat 8)", num(tim["extended"]),
         num(ptim.get("extended"))),
    ]
    bands = [{"label": BAND_TITLES[k], "value": num(v),
              "previous": num(ptim.get("bands", {}).get(k)),
              "pct": pct(100.0 * v / decided) if decided else DASH}
             for k, v in tim["bands"].items()]

    titles = REQUIREMENT_TITLES | dict(requirement_titles or {})
    missing = [{"label": _cap(titles.get(code, code.replace("_", " "))), "value": num(n)}
               for code, n in inc["by_missing"].items() if n]
    if not missing:
        missing = [{"label": "Tidak ada kekurangan persyaratan yang tercatat", "value": "0"}]
    if inc["total"]:
        incomplete_text = (
            f"Sebanyak {num(inc['total'])} permohonan belum memenuhi persyaratan pada saat "
            f"diterima dan kepada pemohonnya disampaikan pemberitahuan kekurangan persyaratan. "
            f"Dari jumlah tersebut, {num(inc['completed'])} telah dilengkapi, "
            f"{num(inc['still_incomplete'])} belum dilengkapi hingga {date_id(as_of)}, dan "
            f"{num(inc['withdrawn'])} dicabut. Jangka waktu pelayanan permohonan yang belum "
            f"lengkap dihitung sejak persyaratan dilengkapi.")
    else:
        incomplete_text = f"Seluruh permohonan pada tahun {year} memenuhi persyaratan saat diterima."

    backlog_date = _iso_id(back["date"])
    if back["pending"]:
        backlog_text = (
            f"Per {backlog_date} terdapat {num(back['pending'])} permohonan yang belum "
            f"selesai (termasuk yang diterima pada tahun sebelumnya), "
            f"{num(back['overdue'])} di antaranya telah melewati tenggat. Tabel berikut memuat "
            f"paling banyak sepuluh permohonan tertua menurut nomor register.")
    else:
        backlog_text = f"Per {backlog_date} seluruh permohonan yang diterima telah diselesaikan."
    oldest = [{"register_no": o["register_no"], "service": SERVICE_TITLES.get(o["service"], o["service"]),
               "received": _iso_id(o["received"]), "due": _iso_id(o["due_date"]),
               "state": "Melewati tenggat" if o["overdue"] else "Dalam proses"}
              for o in back["oldest"]]
    if not oldest:
        oldest = [{"register_no": DASH, "service": "Tidak ada", "received": DASH, "due": DASH,
                   "state": DASH}]

    if cons["received"]:
        consultation_text = (
            f"Pada tahun {year} diterima {num(cons['received'])} permohonan konsultasi; "
            f"{num(cons['answered'])} telah dilayani dengan median waktu "
            f"{dec(cons['working_days']['median'])} hari kerja"
            + (f", dan {num(cons['pending'])} masih dalam proses." if cons["pending"] else "."))
    else:
        consultation_text = f"Tidak ada permohonan konsultasi pada tahun {year}."
    if comp["received"]:
        complaint_text = (f"Pengaduan, saran, dan masukan yang diterima berjumlah "
                          f"{num(comp['received'])}; {num(comp['responded'])} telah ditanggapi.")
    else:
        complaint_text = f"Tidak ada pengaduan, saran, atau masukan pada tahun {year}."

    if obj["received"]:
        objection_text = (
            f"Pada tahun {year} diajukan {num(obj['received'])} keberatan kepada atasan PPID; "
            f"{num(obj['answered'])} telah ditanggapi dengan median waktu "
            f"{dec(obj['working_days']['median'])} hari kerja, {num(obj['on_time'])} di "
            f"antaranya dalam 30 (tiga puluh) hari kerja sebagaimana diatur dalam UU 14/2008 "
            f"Pasal 38 ayat 1.")
    else:
        objection_text = f"Tidak ada keberatan yang diajukan pada tahun {year}."
    objection_grounds = [{"letter": g, "text": _cap(PASAL35[g]), "value": num(n)}
                         for g, n in obj["by_ground"].items() if n and g in PASAL35]
    if not objection_grounds:
        objection_grounds = [{"letter": DASH, "text": "Tidak ada keberatan", "value": "0"}]
    res = obj["by_result"]
    objection_results = [
        {"label": _cap(OBJECTION_RESULT_LABELS["overturned"]), "value": num(res.get("overturned", 0))},
        {"label": _cap(OBJECTION_RESULT_LABELS["upheld"]), "value": num(res.get("upheld", 0))},
        {"label": "Belum ditanggapi", "value": num(obj["pending"])},
    ]
    disputes = narrative.get("disputes")
    dispute_text = (
        "Pemohon yang tidak puas atas tanggapan atasan PPID dapat mengajukan penyelesaian "
        "sengketa informasi publik kepada Komisi Informasi Provinsi Nusa Tenggara Timur dalam "
        "waktu 14 (empat belas) hari kerja (UU 14/2008 Pasal 37 ayat 2). ")
    if disputes is None:  # the register's own record (dispute blocks of objection files)
        dis = result["disputes"]
        if dis["filed"]:
            ended = [f"{num(n)} {DISPUTE_RESULT_LABELS.get(k, k)}" for k, n in dis["by_result"].items() if n]
            dispute_text += (
                f"Pada tahun {year} tercatat {num(dis['filed'])} sengketa informasi publik yang "
                f"diajukan ke Komisi Informasi atas tanggapan keberatan"
                + (f"; {_join_id(ended)}" if ended else "")
                + (f"; {num(dis['pending'])} masih dalam proses." if dis["pending"] else "."))
        else:
            dispute_text += (f"Register layanan PPID tidak mencatat sengketa informasi publik yang "
                             f"diajukan ke Komisi Informasi pada tahun {year}.")
    elif isinstance(disputes, int):
        dispute_text += (f"Pada tahun {year} tercatat {num(disputes)} sengketa informasi "
                         f"publik yang diajukan ke Komisi Informasi." if disputes else
                         f"Pada tahun {year} tidak ada sengketa informasi publik yang diajukan "
                         f"ke Komisi Informasi.")
    else:
        dispute_text += str(disputes)

    survey_ctx = None
    if survey:
        left_out = len(survey.get("bad_rows") or [])
        survey_ctx = {
            "respondents": num(survey["respondents"]), "index": dec(survey["index"], 4),
            "ikm": dec(survey["ikm"], 2), "grade": survey["grade"], "label": survey["label"],
            "left_out": (f"Sebanyak {num(left_out)} baris jawaban tidak diikutsertakan dalam "
                         f"perhitungan karena nilainya tidak lengkap atau di luar skala 1–4."
                         if left_out else ""),
            "elements": [{"code": e["code"], "name": e["name"], "nrr": dec(e["nrr"], 2),
                          "weight": dec(e["weight"], 3), "converted": dec(e["converted"], 2)}
                         for e in survey["elements"]],
        }

    summary = [
        ("Permohonan diterima (semua layanan)", num(received), num(preq.get("received"))),
        ("Permohonan informasi publik diterima", num(tim["received"]), num(ptim.get("received"))),
        ("Permohonan informasi publik dijawab", num(decided), num(ptim.get("decided"))),
        ("Dijawab tepat waktu", _count_pct(tim["on_time"], tim["on_time_pct"]),
         _count_pct(ptim.get("on_time"), ptim.get("on_time_pct"))),
        ("Median waktu pelayanan (hari kerja)", dec(wd["median"]), dec(pwd.get("median"))),
        ("Belum selesai pada akhir tahun", num(back["pending"]),
         num(prev.get("backlog", {}).get("pending"))),
        ("Keberatan", num(obj["received"]), num(prev.get("objections", {}).get("received"))),
    ]
    if survey_ctx:
        summary.append(("Indeks Kepuasan Masyarakat", f"{survey_ctx['ikm']} ({survey_ctx['grade']})", DASH))

    sign = dict(narrative.get("signatory") or {})
    signatory = {
        "title": sign.get("title") or office_ctx["ppid_name"],
        "office": sign.get("office") or office_ctx["name"].title(),
        "name": sign.get("name") or "", "nip": sign.get("nip") or "",
    }
    obstacles, recommendations = _findings(result, survey, year, titles, office_ctx["short"])
    budget = narrative.get("budget") or ""

    return {
        "title": f"Laporan Layanan Informasi Publik Tahun {year} {office_ctx['short']}",
        "year": year, "prev_year": year - 1, "date": date_id(as_of),
        "issued_month": f"{MONTHS[as_of.month - 1]} {as_of.year}", "as_of": date_id(as_of),
        "backlog_date": backlog_date,
        "office": office_ctx, "signatory": signatory,
        "narrative": {"facilities": list(narrative.get("facilities") or FACILITIES),
                      "staff": list(narrative.get("staff") or STAFF), "budget": budget},
        "summary": [{"label": a, "value": b, "previous": c} for a, b, c in summary],
        "s": {k: num(req["by_service"].get(k, 0)) for k in SERVICES} | {"received": num(received)},
        "t": {"decided_n": decided, "decided": num(decided), "on_time": num(tim["on_time"]),
              "on_time_pct": pct(tim["on_time_pct"]), "median": dec(wd["median"])},
        "channel_text": channel_text, "channel_heading": "D. Saluran Layanan" if budget else "C. Saluran Layanan",
        "by_channel": by_channel,
        "totals": {"value": num(received), "previous": num(preq.get("received"))},
        "by_service": _rows(req["by_service"], preq.get("by_service", {}), SERVICES, SERVICE_TITLES),
        "by_state": by_state,
        "by_kind": _rows(req["by_requester_kind"], preq.get("by_requester_kind", {}),
                         REQUESTER_KINDS, {k: _cap(v) for k, v in KIND_LABELS.items()}),
        "monthly": monthly, "monthly_total": monthly_total,
        "outcomes": outcomes, "grounds": grounds,
        "timeliness_rows": [{"label": a, "value": b, "previous": c} for a, b, c in timeliness_rows],
        "bands": bands,
        "incomplete_text": incomplete_text, "missing": missing,
        "backlog_text": backlog_text, "oldest": oldest,
        "consultation_text": consultation_text, "complaint_text": complaint_text,
        "objection_text": objection_text, "objection_grounds": objection_grounds,
        "objection_results": objection_results, "dispute_text": dispute_text,
        "survey": survey_ctx,
        "obstacles": list(narrative.get("obstacles") or []) + obstacles,
        "recommendations": list(narrative.get("recommendations") or []) + recommendations,
    }


def _count_pct(count, percent) -> str:
    if count is None:
        return DASH
    return f"{num(count)} ({pct(percent)})" if percent is not None else num(count)


def _office(office: dict) -> dict:
    o = {k: ("" if v is None else v) for k, v in (office or {}).items()}
    name = o.get("name") or "KOMISI PEMILIHAN UMUM PROVINSI NUSA TENGGARA TIMUR"
    ppid = o.get("ppid_name") or "Pejabat Pengelola Informasi dan Dokumentasi"
    contact = [f"WhatsApp {o['whatsapp']}" if o.get("whatsapp") else "",
               f"Telepon {o['phone']}" if o.get("phone") else "",
               f"Pos-el {o['email']}" if o.get("email") else "",
               f"Laman {o['website']}" if o.get("website") else ""]
    return {
        "name": name, "short": o.get("short") or "KPU Provinsi Nusa Tenggara Timur",
        "address": o.get("address") or "", "city": o.get("city") or "Kupang",
        "ppid_name": ppid, "ppid_name_upper": ppid.upper(),
        "eppid": o.get("eppid") or "e-PPID", "contact_line": "   ".join(c for c in contact if c),
        "logo": o.get("logo") or "",
    }


def _findings(result: dict, survey: dict | None, year: int, titles: dict,
              office_short: str) -> tuple[list, list]:
    """Obstacles and recommendations read off the figures (the office adds its own)."""
    tim, back, inc = result["timeliness"], result["backlog"], result["incomplete"]
    obstacles, recs = [], []
    if tim["late"]:
        obstacles.append(
            f"Sebanyak {num(tim['late'])} dari {num(tim['decided'])} permohonan informasi "
            f"({pct(100.0 * tim['late'] / tim['decided'])}) dijawab melewati jangka waktu 10 "
            f"hari kerja (17 hari kerja bila diperpanjang).")
        recs.append("Memantau tenggat setiap permohonan secara harian dan menyampaikan "
                    "pemberitahuan perpanjangan sebelum hari kerja ke-10 bila informasi masih "
                    "dalam penyusunan.")
    if inc["total"]:
        top = next(iter(k for k, v in inc["by_missing"].items() if v), None)
        what = f"; kekurangan yang paling sering: {titles.get(top, top.replace('_', ' ')).lower()}" \
            if top else ""
        obstacles.append(f"Sebanyak {num(inc['total'])} permohonan belum memenuhi persyaratan "
                         f"pada saat diterima{what}.")
        recs.append("Memperjelas informasi persyaratan permohonan pada laman e-PPID, media "
                    "sosial, dan meja layanan, termasuk contoh surat permohonan.")
    if back["overdue"]:
        obstacles.append(f"Per {_iso_id(back['date'])} terdapat {num(back['overdue'])} "
                         f"permohonan yang belum dijawab dan telah melewati tenggat.")
        recs.append(f"Menyelesaikan {num(back['overdue'])} permohonan yang melewati tenggat "
                    f"pada awal tahun {year + 1}.")
    not_held = result["requests"]["by_outcome"].get("not_held", 0)
    if not_held:
        obstacles.append(f"Sebanyak {num(not_held)} permohonan meminta informasi yang tidak "
                         f"dikuasai {office_short}.")
        recs.append("Memuat dalam Daftar Informasi Publik keterangan badan publik yang "
                    "menguasai informasi yang sering diminta tetapi tidak dikuasai.")
    if survey:
        low = min(survey["elements"], key=lambda e: e["nrr"])
        obstacles.append(f"Dalam Survei Kepuasan Masyarakat, unsur {low['name'].lower()} "
                         f"memperoleh nilai terendah ({dec(low['converted'], 2)}).")
        recs.append(f"Meningkatkan kualitas unsur {low['name'].lower()} sebagai prioritas "
                    f"perbaikan layanan tahun {year + 1}.")
    else:
        recs.append("Melaksanakan Survei Kepuasan Masyarakat sesuai Peraturan Menteri PANRB "
                    "Nomor 14 Tahun 2017 paling sedikit sekali setahun.")
    if not obstacles:
        obstacles.append(f"Tidak terdapat kendala berarti yang tercatat dalam register layanan "
                         f"selama tahun {year}.")
    recs.append("Memutakhirkan Daftar Informasi Publik dan Daftar Informasi yang Dikecualikan "
                "secara berkala beserta uji konsekuensinya.")
    return obstacles, recs


# --- charts -------------------------------------------------------------------------------

RED, GREY, AMBER, GREEN = "#9B1C1C", "#9AA5B1", "#D97706", "#2F7D4A"


def draw_charts(result: dict, survey, folder: Path, year: int) -> dict[str, Path]:
    """PNG charts of the figures, labelled in Indonesian; the survey chart only with a survey."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    plt.rcParams.update({"font.size": 9, "axes.spines.top": False, "axes.spines.right": False,
                         "axes.titleweight": "bold", "axes.titlesize": 10})
    folder.mkdir(parents=True, exist_ok=True)
    out: dict[str, Path] = {}
    req, tim = result["requests"], result["timeliness"]
    prev = result.get("previous") or {}

    def save(fig, name):
        path = folder / f"{name}.png"
        fig.tight_layout()
        fig.savefig(path, dpi=200)
        plt.close(fig)
        out[name] = path

    def hbars(ax, labels, values, color):
        ypos = range(len(labels))[::-1]
        ax.barh(list(ypos), values, color=color, height=0.6)
        ax.set_yticks(list(ypos), labels)
        top = max(values) if values and max(values) > 0 else 1
        ax.set_xlim(0, top * 1.15)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        for y, v in zip(ypos, values):
            ax.text(v + top * 0.01, y, num(v), va="center", fontsize=8.5)

    # Channels
    fig, ax = plt.subplots(figsize=(6.3, 2.6))
    hbars(ax, [_cap(CHANNEL_LABELS[c]) for c in CHANNELS],
          [req["by_channel"].get(c, 0) for c in CHANNELS], RED)
    ax.set_xlabel("Jumlah permohonan")
    ax.set_title(f"Permohonan menurut saluran, tahun {year}")
    save(fig, "channels")

    # Requests per month against the previous year
    fig, ax = plt.subplots(figsize=(6.3, 2.9))
    months = result["monthly"]
    xs = range(len(months))
    ax.bar(xs, [m["received"] for m in months], color=RED, width=0.65, label=f"Tahun {year}")
    pm = prev.get("monthly", [])
    if pm:
        ax.plot(list(xs)[:len(pm)], [m["received"] for m in pm][:len(months)], color=GREY,
                marker="o", markersize=3.5, linewidth=1.5, label=f"Tahun {year - 1}")
    ax.set_xticks(list(xs), [MONTH_SHORT[int(m["month"][5:7]) - 1] for m in months])
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylabel("Permohonan diterima")
    ax.set_title("Permohonan diterima per bulan")
    ax.legend(frameon=False, fontsize=8)
    save(fig, "monthly")

    # Outcomes of information requests
    fig, ax = plt.subplots(figsize=(6.3, 2.2))
    hbars(ax, list(OUTCOME_TITLES.values()), [req["by_outcome"].get(k, 0) for k in OUTCOME_TITLES],
          RED)
    ax.set_xlabel("Jumlah permohonan informasi")
    ax.set_title(f"Hasil permohonan informasi publik, tahun {year}")
    save(fig, "outcomes")

    # Working days against the 10-day line (UU KIP Pasal 22 ayat 7) and 17 with extension
    fig, ax = plt.subplots(figsize=(6.3, 2.9))
    hist = tim.get("histogram") or {}
    days = [(int(k), v) for k, v in hist.items() if k.isdigit()]
    over = sum(v for k, v in hist.items() if not k.isdigit())
    top_day = max([d for d, _ in days] + [tim["limits"]["extended"] + 1])
    xs = list(range(top_day + 1))
    counts = dict(days)
    colors = [GREEN if d <= 10 else AMBER if d <= 17 else RED for d in xs]
    ax.bar(xs, [counts.get(d, 0) for d in xs], color=colors, width=0.8)
    if over:
        ax.bar([top_day + 1.5], [over], color=RED, width=0.8)
        ax.text(top_day + 1.5, over, f">{stats.HISTOGRAM_MAX}", ha="center", va="bottom", fontsize=7)
    ax.axvline(10.5, color="black", linestyle="--", linewidth=1.1)
    ax.axvline(17.5, color="black", linestyle=":", linewidth=1.1)
    ymax = max([counts.get(d, 0) for d in xs] + [over, 1])
    ax.set_ylim(0, ymax * 1.25)
    ax.text(10.35, ymax * 1.18, "batas 10 hari kerja", ha="right", va="top", fontsize=7.5)
    ax.text(17.65, ymax * 1.18, "batas perpanjangan\n17 hari kerja", ha="left", va="top", fontsize=7.5)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xticks(range(0, top_day + 1, 1 if top_day <= 20 else 2))
    ax.set_xlim(-0.7, top_day + (2.3 if over else 0.7))
    ax.set_xlabel("Hari kerja sejak hari pertama hingga pemberitahuan tertulis")
    ax.set_ylabel("Permohonan")
    ax.set_title(f"Sebaran lama pelayanan permohonan informasi, tahun {year}")
    save(fig, "days")

    # Survey index per element
    if survey:
        elements = survey["elements"]
        fig, ax = plt.subplots(figsize=(6.3, 3.4))
        labels = [f"{e['code']} {e['name']}" for e in elements]
        values = [e["converted"] for e in elements]
        ypos = list(range(len(labels)))[::-1]
        ax.barh(ypos, values, color=RED, height=0.6)
        ax.set_yticks(ypos, labels, fontsize=8)
        ax.set_xlim(25, 100)
        ax.axvline(88.31, color=GREEN, linestyle="--", linewidth=1, label="batas mutu A (88,31)")
        ax.axvline(76.61, color=AMBER, linestyle=":", linewidth=1.2, label="batas mutu B (76,61)")
        ax.legend(frameon=False, fontsize=7, loc="lower left", bbox_to_anchor=(0, -0.32), ncol=2)
        for y, v in zip(ypos, values):
            ax.text(min(v, 100) - 1, y, dec(v, 2), va="center", ha="right", fontsize=7.5,
                    color="white")
        ax.set_xlabel("Nilai unsur (NRR × 25)")
        ax.set_title(f"Nilai per unsur pelayanan, IKM {dec(survey['ikm'], 2)} ({survey['grade']})")
        save(fig, "survey")
    return out


# --- building -----------------------------------------------------------------------------


def build_report(
    book: pd.DataFrame,
    year: int,
    out_dir: Path,
    *,
    office: dict,
    survey=None,
    as_of: dt.date,
    template: Path | None = None,
    narrative: dict | None = None,
    requirement_titles: dict | None = None,
    calendar: stats.WorkingDays | None = None,
    pdf: bool = True,
) -> tuple[Path, Path | None]:
    """Write ``laporan-layanan-informasi-publik-<year>.docx`` and ``.pdf`` in `out_dir`.

    `survey` is a `survey.SurveyResult`, its dict, or None (the chapter says the survey
    is not available). `narrative` may carry the office's own text: facilities, staff
    (lists), budget (a paragraph), disputes (a count or a sentence), obstacles,
    recommendations (lists, put before those read off the figures), signatory ({title,
    office, name, nip}). `requirement_titles` maps requirement codes to their titles
    (config/requirements.yaml). With ``pdf=False`` the second path is None.
    """
    result = stats.compute_year(book, year, as_of, calendar)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    survey_d = _survey_dict(survey)
    docx = out_dir / f"laporan-layanan-informasi-publik-{year}.docx"
    ctx = context(result, year, office=office, survey=survey_d, as_of=as_of,
                  narrative=narrative, requirement_titles=requirement_titles)
    with tempfile.TemporaryDirectory(prefix="ppid-report-") as tmp:
        charts = draw_charts(result, survey_d, Path(tmp), year)
        _render(Path(template) if template else TEMPLATE, ctx, charts, docx)
    if not pdf:
        return docx, None
    return docx, _to_pdf(docx, out_dir)


def _render(template: Path, ctx: dict, charts: dict[str, Path], dest: Path) -> Path:
    """Fill the template (sandboxed, autoescaped, undefined variables are errors)."""
    import jinja2
    from docx.shared import Mm
    from docxtpl import DocxTemplate, InlineImage
    from jinja2.sandbox import SandboxedEnvironment

    if not template.is_file():
        raise TemplateError(f"{template}: report template not found; restore the stock "
                            "templates/annual_report.docx")
    tpl = DocxTemplate(io.BytesIO(template.read_bytes()))
    ctx = dict(ctx)
    ctx["charts"] = {name: "" for name in ("channels", "monthly", "outcomes", "days", "survey")}
    for name, path in charts.items():
        ctx["charts"][name] = InlineImage(tpl, str(path), width=Mm(CHART_WIDTH_MM))
    logo = ctx["office"].get("logo")
    ctx["office"] = dict(ctx["office"])
    ctx["office"]["logo"] = InlineImage(tpl, str(logo), height=Mm(30)) \
        if logo and Path(logo).is_file() else ""
    env = SandboxedEnvironment(autoescape=True, undefined=jinja2.StrictUndefined)
    try:
        tpl.render(ctx, env, autoescape=True)
    except jinja2.UndefinedError as exc:
        raise TemplateError(f"{template}: {exc.message}; the report gives no such variable "
                            "(see pipeline/report.py)") from None
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(f"{template}: template error near line {exc.lineno}: "
                            f"{exc.message}; check the {{{{ }}}} and {{% %}} tags in Word") from None
    props = tpl.docx.core_properties
    props.title, props.subject = ctx["title"], "Laporan Layanan Informasi Publik"
    props.author = props.last_modified_by = f"PPID {ctx['office']['short']}"
    tmp = dest.with_name(f".{dest.name}.tmp")
    tpl.save(str(tmp))
    tmp.replace(dest)
    return dest


def _to_pdf(docx: Path, out_dir: Path) -> Path:
    from pipeline.pdf import convert_to_pdf

    [res] = convert_to_pdf([docx], out_dir, per_doc_timeout=120.0)
    if res.error or res.pdf is None:
        raise ConversionError(f"{docx}: PDF conversion failed: {res.error}")
    return res.pdf
