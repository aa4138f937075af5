"""One realistic context per letter kind, exactly as templates/README.md describes it.

Plain Python values only (`office.logo` is ""), so that tests and the letter code can
share them. `sample(kind)` returns a fresh deep copy that a test may change freely.

The story: Maria Goreti Bria asks on Friday 20 November 2026 for five items; the
written notice is due on day 10, 4 December 2026. The office extends by 7 working days,
decides on 27 November 2026 (partly granted, with a refusal decree), Maria objects on
7 December 2026, and the Atasan PPID answers on 12 January 2027 (the 30-working-day limit
is 22 January 2027). Decree numbers and names here are fictional.

Variants: `decision_context(statuses)` (one outcome), `incomplete_context(service)`,
`objection_response_context(result)` (upheld, overturned, inadmissible) and
`with_election(ctx)` (the Perki 1/2019 regime).
"""

from __future__ import annotations

import copy

from pipeline import wording as W
from pipeline.letters import KINDS, NO_REPLACES  # noqa: F401 (KINDS re-exported: the registry's kinds)

# Every letter's deadlines, in words, for the ordinary regime (UU KIP Pasal 22 ayat 7 and
# 8, Pasal 36 ayat 1 and 2, Pasal 37 ayat 2); the pipeline reads them from config.
DEADLINES = {
    "notice": "10 (sepuluh) hari kerja",
    "extension": "7 (tujuh) hari kerja",
    "objection_window": "30 (tiga puluh) hari kerja",
    "objection_answer": "30 (tiga puluh) hari kerja",
    "commission": "14 (empat belas) hari kerja",
}
# The election-stage regime (spec section 6, Perki 1/2019 as published summaries give it).
ELECTION_DEADLINES = {**DEADLINES, "notice": "3 (tiga) hari kerja",
                      "extension": "2 (dua) hari kerja",
                      "objection_answer": "3 (tiga) hari kerja"}
NO_REGIME = {"election": False, "name": "", "basis": ""}
ELECTION_REGIME = {
    "election": True,
    "name": "Pemilihan Gubernur dan Wakil Gubernur Nusa Tenggara Timur Tahun 2029",
    "basis": W.ELECTION_REGIME_SENTENCE.format(
        name="Pemilihan Gubernur dan Wakil Gubernur Nusa Tenggara Timur Tahun 2029"),
}

OFFICE = {
    "name": "KOMISI PEMILIHAN UMUM PROVINSI NUSA TENGGARA TIMUR",
    "short": "KPU Provinsi Nusa Tenggara Timur",
    "address": "Jl. Polisi Militer Nomor 1, Oebobo, Kupang, Nusa Tenggara Timur",
    "phone": "(0380) 821470",
    "whatsapp": "081237264642",
    "email": "prov_ntt@kpu.go.id",
    "website": "ntt.kpu.go.id",
    "eppid": "ntpppid.kpu.go.id",
    "city": "Kupang",
    "ppid_name": "Pejabat Pengelola Informasi dan Dokumentasi",
    "logo": "",
}

PPID = {
    "title": "Pejabat Pengelola Informasi dan Dokumentasi",
    "office": "Komisi Pemilihan Umum Provinsi Nusa Tenggara Timur",
    "name": "Maria Fransiska Seran, S.H.",
    "nip": "198503122010122003",
    "on_behalf": "",
}

# The Atasan PPID signs as the post (letters.signatory): the official's position "selaku Atasan PPID"
ATASAN_PPID = {
    "title": "Sekretaris",
    "office": "Komisi Pemilihan Umum Provinsi Nusa Tenggara Timur\nselaku Atasan PPID",
    "name": "Drs. Yohanes Benediktus Lelo, M.Si.",
    "nip": "197004151996031002",
    "on_behalf": "",
}

# A delegated official answers a consultation and signs on behalf of the approver.
# Tata Naskah Dinas: "a.n." the mandating office; a Kepala Subbagian, two levels below, adds the
# Kepala Bagian and "u.b."; then the signer's own position (the only comma), then the name.
DELEGATED = {
    "title": "Kepala Subbagian Teknis Penyelenggaraan Pemilu, Partisipasi dan Hubungan Masyarakat,",
    "office": "",
    "name": "Stefanus Ama, S.Sos.",
    "nip": "197811092005021001",
    "on_behalf": "a.n. Sekretaris Komisi Pemilihan Umum Provinsi Nusa Tenggara Timur\nKepala Bagian Teknis Penyelenggaraan Pemilu dan Hubungan Masyarakat\nu.b.",
}

# How letters name the Atasan PPID in running text (letters.posts)
POSTS = {"atasan_ppid": "Sekretaris KPU Provinsi Nusa Tenggara Timur selaku Atasan PPID"}

TEMBUSAN = ["Ketua KPU Provinsi Nusa Tenggara Timur (sebagai laporan)", "Arsip"]

RECIPIENT = {
    "name": "Maria Goreti Bria",
    "organization": "",
    "address": "Jl. El Tari No. 5, Oebobo, Kupang",
    "salutation": "Sdr./Sdri.",
}

REQUESTER = {
    "name": "Maria Goreti Bria",
    "kind_label": "perseorangan",
    "organization": "",
    "address": "Jl. El Tari No. 5, Oebobo, Kupang",
}

ITEMS = [
    "Salinan Keputusan KPU Provinsi NTT tentang penetapan calon terpilih anggota DPRD "
    "Provinsi Nusa Tenggara Timur Pemilu 2024",
    "Data pemilih penyandang disabilitas per kabupaten/kota pada DPT Pemilu 2024 beserta NIK",
    "Memorandum internal Sekretariat tentang evaluasi logistik Pemilu 2024",
    "Salinan putusan Bawaslu Provinsi NTT atas temuan pelanggaran administratif Pemilu 2024",
    "Notulen rapat koordinasi persiapan logistik Pemilu 2024 dengan KPU Kabupaten/Kota",
]

INFORMATION_REQUEST = {
    "register_no": "0137/PPID/2026",
    "service": "information",
    "service_label": "permohonan informasi publik",
    "channel_label": "pos-el",
    "received": "20 November 2026 pukul 09.15 WITA",
    "received_date": "20 November 2026",
    "completed": "",
    "items": ITEMS,
    "topic": "",
    "purpose": "Penelitian skripsi tentang partisipasi pemilih penyandang disabilitas di "
               "Nusa Tenggara Timur",
    "source": "Laman resmi KPU Provinsi NTT",
    "form_label": "salinan elektronik (softcopy)",
    "delivery_label": "pos-el",
    "due": "4 Desember 2026",
    "period": "10 (sepuluh) hari kerja",
    "cost": "tidak dipungut biaya (gratis)",
    "status_code": "K7M4QX9P",  # the public status page's key (spec section 3)
    "status_url": "",
}

CONSULTATION_REQUEST = {
    **INFORMATION_REQUEST,
    "register_no": "0142/PPID/2026",
    "service": "consultation",
    "service_label": "permohonan konsultasi",
    "channel_label": "surat",
    "received": "23 November 2026 pukul 10.30 WITA",
    "received_date": "23 November 2026",
    "items": [],
    "topic": "Tata cara pendaftaran pemantau pemilihan untuk Pemilihan Gubernur dan Wakil "
             "Gubernur Nusa Tenggara Timur",
    "purpose": "Persiapan akreditasi lembaga sebagai pemantau pemilihan",
    "source": "Sosialisasi KPU Provinsi NTT di Kupang",
    "form_label": "",
    "delivery_label": "pos",
    "due": "7 Desember 2026",
}

OBJECTION_REQUEST = {
    **INFORMATION_REQUEST,
    "register_no": "0007/KEB/PPID/2026",  # the objections' own series (Perki 1/2021)
    "service": "objection",
    "service_label": "keberatan",
    "channel_label": "surat",
    "received": "7 Desember 2026 pukul 11.05 WITA",
    "received_date": "7 Desember 2026",
    "items": [],
    "purpose": "",
    "source": "",
    "form_label": "",
    "delivery_label": "",
    "due": "22 Januari 2027",
    "period": "30 (tiga puluh) hari kerja",
}

# Fictional decree of the office recording the consequence test (UU KIP Pasal 19).
DIK_DECREE = "Keputusan PPID KPU Provinsi NTT Nomor 12/PPID/2026"

DECISION_ITEMS = [
    {"no": 1, "text": ITEMS[0], "status": "open", "status_label": "Diberikan",
     "rule": "DIP-01", "ground": "", "ground_text": "", "basis": "", "consequence_test": "",
     "reason": "", "consequence": "", "holder": "", "redact": ""},
    {"no": 2, "text": ITEMS[1], "status": "partial",
     "status_label": "Diberikan sebagian (dihitamkan)",
     "rule": "DIK-01", "ground": "j", "ground_text": "Pasal 17 huruf j UU 14/2008",
     "basis": "Pasal 17 huruf j UU 14/2008; UU 23/2006 sebagaimana diubah dengan UU 24/2013; "
              "UU 27/2022",
     "consequence_test": DIK_DECREE, "reason": "",
     "consequence": "NIK dan NKK yang dibuka dapat disalahgunakan untuk pemalsuan identitas "
                    "dan pelanggaran data pribadi pemilih",
     "holder": "", "redact": "NIK, NKK"},
    {"no": 3, "text": ITEMS[2], "status": "exempt", "status_label": "Ditolak (dikecualikan)",
     "rule": "", "ground": "i", "ground_text": "Pasal 17 huruf i UU 14/2008",
     "basis": "Pasal 17 huruf i UU 14/2008", "consequence_test": DIK_DECREE,
     "reason": "Memorandum internal yang dirahasiakan dan belum menjadi keputusan",
     "consequence": "Membuka memorandum yang masih dibahas dapat mengganggu proses "
                    "pengambilan keputusan dan menimbulkan salah tafsir atas kebijakan "
                    "logistik yang belum ditetapkan",
     "holder": "", "redact": ""},
    {"no": 4, "text": ITEMS[3], "status": "not_held", "status_label": "Tidak dikuasai",
     "rule": "LAIN-01", "ground": "", "ground_text": "", "basis": "", "consequence_test": "",
     "reason": "", "consequence": "", "holder": "Bawaslu Provinsi Nusa Tenggara Timur",
     "redact": ""},
    {"no": 5, "text": ITEMS[4], "status": "not_documented",
     "status_label": "Belum didokumentasikan", "rule": "", "ground": "", "ground_text": "",
     "basis": "", "consequence_test": "", "reason": "", "consequence": "", "holder": "",
     "redact": ""},
]

GROUNDS = [
    {"letter": "a", "text": "penolakan atas permintaan informasi berdasarkan alasan "
                            "pengecualian sebagaimana dimaksud dalam Pasal 17"},
    {"letter": "d", "text": "permintaan informasi ditanggapi tidak sebagaimana yang diminta"},
]


# A decree's Mengingat as letters.mengingat gives it (the appointment is the starter's example)
APPOINTMENT = ("CONTOH — Keputusan Ketua Komisi Pemilihan Umum Provinsi Nusa Tenggara Timur Nomor … Tahun … "
               "tentang Penetapan Pejabat Pengelola Informasi dan Dokumentasi")
MENGINGAT = [W.UU_KIP_LN, W.PP_61, W.PERKI_2021, W.PKPU_22, APPOINTMENT]


def _letter(kind: str, number: str, date: str, hal: str, lampiran: str = "-") -> dict:
    return {"kind": kind, "number": number, "date": date, "place": "Kupang",
            "sifat": "Biasa", "lampiran": lampiran, "hal": hal}


def _base(kind: str, letter: dict, request: dict, signatory: dict = PPID) -> dict:
    return {
        "office": OFFICE, "letter": letter, "recipient": RECIPIENT, "signatory": signatory,
        "tembusan": TEMBUSAN, "request": request, "requester": REQUESTER,
        "regime": NO_REGIME, "deadlines": DEADLINES, "posts": POSTS,
    }


OUTCOME_LABELS = {"granted": "permohonan diterima seluruhnya",
                  "partially_granted": "permohonan diterima sebagian",
                  "rejected": "permohonan ditolak",
                  "not_held": "informasi tidak dikuasai atau belum didokumentasikan"}


def outcome(items: list[dict]) -> str:
    """The request's outcome from its items, as spec section 4 says."""
    given = [it for it in items if it["status"] in ("open", "partial")]
    if given:
        return "granted" if all(it["status"] == "open" for it in items) else "partially_granted"
    if any(it["status"] == "exempt" for it in items):
        return "rejected"
    return "not_held"


def _referrals(not_held: list[dict]) -> list[dict]:
    """Each holder once, with the numbers of the items it holds (letters.item_context)."""
    out: dict[str, list] = {}
    for it in not_held:
        if it["holder"]:
            out.setdefault(it["holder"], []).append({"no": it["no"]})
    return [{"holder": h, "numbers": nos} for h, nos in out.items()]


def _decision(items: list[dict]) -> dict:
    """The decision_notice extras for a set of decided items."""
    by = {s: [it for it in items if it["status"] == s]
          for s in ("open", "exempt", "partial", "not_held", "not_documented")}
    out = outcome(items)
    return {
        "outcome": out, "outcome_label": OUTCOME_LABELS[out],
        "decision_by": "Maria Fransiska Seran, S.H.", "items": items,
        "given": by["open"], "refused": by["exempt"], "partial": by["partial"],
        "not_held": by["not_held"], "not_documented": by["not_documented"],
        "objection_period": DEADLINES["objection_window"],
        "has_refusal": bool(by["exempt"] or by["partial"]),
        "referrals": _referrals(by["not_held"]),
        "refusal_decree_no": "3 Tahun 2026" if by["exempt"] or by["partial"] else "",  # planner.refusal_decree_owed
        "revocation_decree_no": "", "replaces": dict(NO_REPLACES),
        "late": {"due": "", "period": "", "sentence": ""},
    }


def decision_context(statuses: tuple[str, ...] | None = None) -> dict:
    """The decision notice sample, optionally with only the items of some statuses."""
    ctx = sample("decision_notice")
    items = [it for it in ctx["items"] if statuses is None or it["status"] in statuses]
    for no, it in enumerate(items, 1):
        it["no"] = no
    ctx.update(_decision(items))
    return ctx


def incomplete_context(service: str) -> dict:
    """The incomplete notice of an information request, a consultation or an objection."""
    ctx = sample("incomplete_notice")
    if service == "consultation":
        ctx["request"] = {**CONSULTATION_REQUEST, "due": ""}
        ctx["recipient"] = SAMPLES["consultation_answer"]["recipient"]
        ctx["requester"] = SAMPLES["consultation_answer"]["requester"]
        ctx["letter"]["date"] = "23 November 2026"
        ctx["missing"] = [{"code": "topic", "title": "Materi konsultasi",
                           "how": "Sebutkan hal yang ingin Saudara konsultasikan."}]
    elif service == "objection":
        ctx["request"] = {**OBJECTION_REQUEST, "due": ""}  # signed by the PPID, who registers objections
        ctx["letter"]["date"] = "7 Desember 2026"
        ctx["objection_window_end"] = "13 Januari 2027"
        ctx["missing"] = [{"code": "grounds", "title": "Alasan keberatan",
                           "how": "Sebutkan alasan keberatan sebagaimana dimaksud dalam "
                                  "Pasal 35 ayat (1) UU 14/2008 (huruf a sampai dengan g)."}]
    ctx["letter"]["hal"] = f"Pemberitahuan Kekurangan Persyaratan {ctx['request']['service_label'].title()}"
    return ctx


def objection_response_context(result: str) -> dict:
    """The Atasan PPID's answer: upheld (the sample), overturned, or inadmissible (late)."""
    ctx = sample("objection_response")
    obj = ctx["objection"]
    if result == "overturned":
        obj.update(result="overturned",
                   result_label=W.OBJECTION_RESULT_LABELS["overturned"],
                   reason="Data pemilih penyandang disabilitas per kabupaten/kota tanpa NIK "
                          "dan NKK telah diumumkan sebelumnya.",
                   order_period=DEADLINES["notice"], order_due="26 Januari 2027", revoke_decree=True,
                   revoke_decree_no="3 Tahun 2026", revoke_decree_date="27 November 2026",
                   revoke_period="5 (lima) hari kerja", revoke_due="19 Januari 2027")
    elif result == "inadmissible":
        obj.update(result="inadmissible", result_label=W.OBJECTION_RESULT_LABELS["inadmissible"],
                   reason="", late={"window_start": "30 November 2026",
                                    "window_end": "13 Januari 2027",
                                    "filed": "25 Januari 2027",
                                    "counted_from": "notice_received"})
        ctx["request"] = {**ctx["request"], "received": "25 Januari 2027 pukul 10.00 WITA",
                          "received_date": "25 Januari 2027"}
        ctx["letter"]["date"] = "27 Januari 2027"
    return ctx


def late_replacing_context() -> dict:
    """A notice sent after its due date that replaces an overturned refusal (spec sections 3, 6)."""
    ctx = decision_context(("open",))
    ctx["replaces"] = copy.deepcopy(SAMPLES["revocation_decree"]["replaces"])
    ctx["replaces"]["sentence"] = W.REPLACES_SENTENCE["objection"].format(**ctx["replaces"])
    ctx["revocation_decree_no"] = "4 Tahun 2027"
    # the due date is the one the Atasan PPID's order set, counted from its response (as planner)
    ctx["late"] = {"due": "26 Januari 2027", "period": DEADLINES["notice"],
                   "sentence": W.late_notice_sentence(DEADLINES["notice"], "26 Januari 2027",
                                                      {**ctx["replaces"], "cause": "objection"})}
    return ctx


def with_election(ctx: dict) -> dict:
    """The same context in the election-stage regime (Perki 1/2019)."""
    if "mengingat" in ctx:  # letters.mengingat cites Perki 1/2019 after PP 61/2010
        at = ctx["mengingat"].index(W.PP_61) + 1
        ctx["mengingat"] = ctx["mengingat"][:at] + [W.PERKI_2019] + ctx["mengingat"][at:]
    ctx["regime"] = dict(ELECTION_REGIME)
    ctx["deadlines"] = dict(ELECTION_DEADLINES)
    ctx["request"]["period"] = ELECTION_DEADLINES["notice"]
    return ctx


def _build() -> dict[str, dict]:
    s = {}
    s["receipt"] = _base("receipt", _letter(
        "receipt", "412/HM.02-SD/53/2026", "20 November 2026",
        "Tanda Bukti Penerimaan Permohonan Informasi Publik"),
        {**INFORMATION_REQUEST, "items": ITEMS[:4]})

    s["incomplete_notice"] = _base("incomplete_notice", _letter(
        "incomplete_notice", "413/HM.02-SD/53/2026", "20 November 2026",
        "Pemberitahuan Kekurangan Persyaratan Permohonan Informasi Publik"),
        {**INFORMATION_REQUEST, "due": ""})
    s["incomplete_notice"]["objection_window_end"] = ""
    s["incomplete_notice"]["missing"] = [
        {"code": "identity_copy",
         "title": "Fotokopi/pindaian kartu tanda penduduk, paspor, atau kartu identitas lain "
                  "yang berlaku",
         "how": "Lampirkan salinan (fotokopi, pindaian, atau foto yang jelas) kartu "
                "identitas yang masih berlaku."},
        {"code": "source",
         "title": "Sumber data (dari mana pemohon memperoleh informasi tersebut)",
         "how": "Cantumkan dari mana Saudara mengetahui adanya informasi tersebut (misalnya "
                "laman resmi, media sosial, atau media massa)."},
    ]

    s["decision_notice"] = _base("decision_notice", _letter(
        "decision_notice", "431/HM.02-SD/53/2026", "27 November 2026",
        "Pemberitahuan Tertulis atas Permohonan Informasi Publik"), INFORMATION_REQUEST)
    s["decision_notice"].update(_decision(DECISION_ITEMS))

    s["refusal_decree"] = _base("refusal_decree", _letter(
        "refusal_decree", "3 Tahun 2026", "27 November 2026",
        "Keputusan PPID tentang Penolakan Permohonan Informasi Publik"), INFORMATION_REQUEST)
    decision = _decision(DECISION_ITEMS)
    s["refusal_decree"].update(
        {k: decision[k] for k in ("items", "given", "refused", "partial", "not_held",
                                  "not_documented", "has_refusal", "referrals")},
        decree_title="Penolakan Permohonan Informasi Publik",
        notice_no="431/HM.02-SD/53/2026", mengingat=MENGINGAT + [DIK_DECREE],
        replaces=dict(NO_REPLACES), revoked={"number": "", "date": "", "register_no": ""},
        revocation_decree_no="")

    s["revocation_decree"] = _base("revocation_decree", _letter(
        "revocation_decree", "4 Tahun 2027", "15 Januari 2027",
        "Keputusan PPID tentang Pencabutan Keputusan PPID"), INFORMATION_REQUEST)
    s["revocation_decree"].update(
        decree_title=W.REVOCATION_TITLE, notice_no="21/HM.02-SD/53/2027",
        mengingat=[W.UU_KIP_LN, W.UU_30_2014] + MENGINGAT[1:],
        revoked={"number": "3 Tahun 2026", "date": "27 November 2026", "register_no": "0137/PPID/2026"},
        replaces={**NO_REPLACES, "cause": "objection", "notice_no": "431/HM.02-SD/53/2026",
                  "notice_date": "27 November 2026", "objection_no": "0004/KEB/PPID/2026",
                  "response_no": "12/HM.02-SD/53/2027", "response_date": "12 Januari 2027", "decree_no": "3 Tahun 2026",
                  "decree_date": "27 November 2026",
                  "commission_open": True, "commission_end": "2 Februari 2027"})

    s["extension_notice"] = _base("extension_notice", _letter(
        "extension_notice", "440/HM.02-SD/53/2026", "2 Desember 2026",
        "Pemberitahuan Perpanjangan Jangka Waktu Pemberian Informasi"),
        INFORMATION_REQUEST)
    s["extension_notice"]["extension"] = {
        "days": 7, "days_words": "7 (tujuh) hari kerja", "date": "2 Desember 2026",
        "reason": "informasi yang diminta masih dalam proses penghimpunan dari 22 (dua puluh "
                  "dua) KPU Kabupaten/Kota se-Nusa Tenggara Timur",
        "old_due": "4 Desember 2026", "new_due": "15 Desember 2026",
    }

    s["consultation_answer"] = _base("consultation_answer", _letter(
        "consultation_answer", "445/HM.02-SD/53/2026", "3 Desember 2026",
        "Jawaban atas Permohonan Konsultasi"), CONSULTATION_REQUEST, DELEGATED)
    s["consultation_answer"]["recipient"] = {
        "name": "Yakobus Ndolu", "organization": "Perkumpulan Pemantau Demokrasi Flobamora",
        "address": "Jl. Frans Seda No. 12, Kota Baru, Kupang", "salutation": "Sdr./Sdri.",
    }
    s["consultation_answer"]["requester"] = {
        "name": "Yakobus Ndolu", "kind_label": "lembaga swadaya masyarakat",
        "organization": "Perkumpulan Pemantau Demokrasi Flobamora",
        "address": "Jl. Frans Seda No. 12, Kota Baru, Kupang",
    }
    s["consultation_answer"]["answer"] = {
        "text": "Pemantau pemilihan wajib terdaftar dan memperoleh akreditasi dari KPU "
                "Provinsi Nusa Tenggara Timur sebelum melakukan pemantauan.\n"
                "\n"
                "Persyaratan pendaftaran meliputi: profil lembaga, surat pernyataan "
                "independen, rencana pemantauan, dan daftar anggota pemantau.\n"
                "Berkas disampaikan kepada Sekretariat KPU Provinsi Nusa Tenggara Timur "
                "paling lambat 7 (tujuh) hari sebelum hari pemungutan suara.\n"
                "\n"
                "Format berkas dapat diunduh pada laman ntt.kpu.go.id.",
        "by": "Stefanus Ama, S.Sos.",
        "role": "delegated",
        "role_label": "Kepala Subbagian Teknis Penyelenggaraan Pemilu, Partisipasi dan Hubungan Masyarakat",
        "approved_by": "Sekretaris Komisi Pemilihan Umum Provinsi Nusa Tenggara Timur, Wilhelmus Nenobais, S.H., M.Si.",
        "date": "2 Desember 2026",
    }

    objection = {
        "objection_no": OBJECTION_REQUEST["register_no"],
        "original_register_no": "0137/PPID/2026",
        "original_letter_no": "431/HM.02-SD/53/2026",
        "grounds": GROUNDS,
        "due": "22 Januari 2027",
    }
    s["objection_receipt"] = _base("objection_receipt", _letter(
        "objection_receipt", "452/HM.02-SD/53/2026", "7 Desember 2026",
        "Tanda Bukti Penerimaan Keberatan atas Permohonan Informasi Publik"),
        OBJECTION_REQUEST, PPID)
    s["objection_receipt"]["objection"] = objection

    s["objection_response"] = _base("objection_response", _letter(
        "objection_response", "12/HM.02-SD/53/2027", "12 Januari 2027",
        "Tanggapan atas Keberatan Permohonan Informasi Publik"), OBJECTION_REQUEST,
        ATASAN_PPID)
    s["objection_response"]["objection"] = {
        **objection,
        "result": "upheld",  # the PPID's decision stands
        "result_label": "keberatan ditolak dan keputusan PPID dikuatkan",
        "reason": "Nomor Induk Kependudukan (NIK) dan Nomor Kartu Keluarga (NKK) merupakan "
                  "data kependudukan yang tidak boleh diungkapkan berdasarkan undang-undang "
                  "(Pasal 17 huruf j UU 14/2008 jo. UU 23/2006 sebagaimana diubah dengan UU "
                  "24/2013 dan UU 27/2022); data pemilih disabilitas telah diberikan tanpa NIK "
                  "dan NKK, sedangkan memorandum internal belum menjadi keputusan badan "
                  "publik sehingga dikecualikan berdasarkan Pasal 17 huruf i UU 14/2008.",
        "decided_by": "Drs. Yohanes Benediktus Lelo, M.Si.",
        "commission_period": "14 (empat belas) hari kerja",
        "order_period": "", "order_due": "", "revoke_decree": False,  # set when overturned
        "revoke_decree_no": "", "revoke_decree_date": "", "revoke_period": "", "revoke_due": "",
        "decree_no": "3 Tahun 2026", "decree_date": "27 November 2026",  # upheld: the decree in force
    }
    return s


SAMPLES: dict[str, dict] = _build()


def sample(kind: str) -> dict:
    """A fresh deep copy of the sample context of `kind`."""
    return copy.deepcopy(SAMPLES[kind])
