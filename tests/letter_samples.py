"""One realistic context per letter kind, exactly as templates/README.md describes it.

Plain Python values only (`office.logo` is ""), so that tests and the letter code can
share them. `sample(kind)` returns a fresh deep copy that a test may change freely.

The story: Maria Goreti Bria asks on Friday 20 November 2026 for three items; the
written notice is due on day 10, 4 December 2026. The office extends by 7 working days,
decides on 27 November 2026 (partly granted), Maria objects on 7 December 2026, and the
Atasan PPID answers on 12 January 2027 (the 30-working-day limit is 22 January 2027).
"""

from __future__ import annotations

import copy

KINDS = (
    "receipt", "incomplete_notice", "decision_notice", "extension_notice",
    "consultation_answer", "objection_receipt", "objection_response",
)

OFFICE = {
    "name": "KOMISI PEMILIHAN UMUM PROVINSI NUSA TENGGARA TIMUR",
    "short": "KPU Provinsi Nusa Tenggara Timur",
    "address": "Jln. Polisi Militer Nomor 1, Oebobo, Kupang, Nusa Tenggara Timur",
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
}

ATASAN_PPID = {
    "title": "Atasan PPID",
    "office": "Komisi Pemilihan Umum Provinsi Nusa Tenggara Timur",
    "name": "Drs. Yohanes Benediktus Lelo, M.Si.",
    "nip": "197004151996031002",
}

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
]

INFORMATION_REQUEST = {
    "register_no": "0137/PPID/2026",
    "service": "information",
    "service_label": "permohonan informasi publik",
    "channel_label": "e-mail",
    "received": "20 November 2026 pukul 09.15 WITA",
    "received_date": "20 November 2026",
    "completed": "",
    "items": ITEMS,
    "topic": "",
    "purpose": "Penelitian skripsi tentang partisipasi pemilih penyandang disabilitas di "
               "Nusa Tenggara Timur",
    "source": "Laman resmi KPU Provinsi NTT",
    "form_label": "salinan elektronik (softcopy)",
    "delivery_label": "e-mail",
    "due": "4 Desember 2026",
    "period": "10 (sepuluh) hari kerja",
    "cost": "tidak dipungut biaya (gratis)",
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
    "register_no": "0151/PPID/2026",
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

DECISION_ITEMS = [
    {"no": 1, "text": ITEMS[0], "status": "open", "status_label": "Diberikan",
     "rule": "DIP-01", "ground": "", "ground_text": "", "basis": "", "consequence_test": "",
     "reason": "", "holder": "", "redact": ""},
    {"no": 2, "text": ITEMS[1], "status": "partial", "status_label": "Diberikan sebagian (dihitamkan)",
     "rule": "DIK-01", "ground": "h", "ground_text": "Pasal 17 huruf h UU 14/2008",
     "basis": "Pasal 17 huruf h UU 14/2008; Pasal 4 UU 27/2022",
     "consequence_test": "Keputusan PPID KPU Provinsi NTT Nomor 3/PPID/2024",
     "reason": "", "holder": "", "redact": "NIK, NKK"},
    {"no": 3, "text": ITEMS[2], "status": "exempt", "status_label": "Ditolak (dikecualikan)",
     "rule": "", "ground": "i", "ground_text": "Pasal 17 huruf i UU 14/2008",
     "basis": "Pasal 17 huruf i UU 14/2008",
     "consequence_test": "Keputusan PPID KPU Provinsi NTT Nomor 3/PPID/2024",
     "reason": "Memorandum internal yang dirahasiakan dan belum menjadi keputusan",
     "holder": "", "redact": ""},
    {"no": 4, "text": ITEMS[3], "status": "not_held", "status_label": "Tidak dikuasai",
     "rule": "LAIN-01", "ground": "", "ground_text": "", "basis": "", "consequence_test": "",
     "reason": "", "holder": "Bawaslu Provinsi Nusa Tenggara Timur", "redact": ""},
]

GROUNDS = [
    {"letter": "a", "text": "penolakan atas permintaan informasi berdasarkan alasan "
                            "pengecualian sebagaimana dimaksud dalam Pasal 17"},
    {"letter": "d", "text": "permintaan informasi ditanggapi tidak sebagaimana yang diminta"},
]


def _letter(kind: str, number: str, date: str, hal: str, lampiran: str = "-") -> dict:
    return {"kind": kind, "number": number, "date": date, "place": "Kupang",
            "sifat": "Biasa", "lampiran": lampiran, "hal": hal}


def _base(kind: str, letter: dict, request: dict, signatory: dict = PPID) -> dict:
    return {
        "office": OFFICE, "letter": letter, "recipient": RECIPIENT, "signatory": signatory,
        "tembusan": TEMBUSAN, "request": request, "requester": REQUESTER,
    }


def _decision(items: list[dict]) -> dict:
    """The decision_notice extras for a set of decided items."""
    by = {s: [it for it in items if it["status"] == s]
          for s in ("open", "exempt", "partial", "not_held")}
    statuses = {it["status"] for it in items}
    if statuses == {"open"}:
        outcome = "granted"
    elif statuses == {"exempt"}:
        outcome = "rejected"
    elif statuses == {"not_held"}:
        outcome = "not_held"
    else:
        outcome = "partially_granted"
    labels = {"granted": "permohonan diterima seluruhnya",
              "partially_granted": "permohonan diterima sebagian",
              "rejected": "permohonan ditolak", "not_held": "informasi tidak dikuasai"}
    return {
        "outcome": outcome, "outcome_label": labels[outcome],
        "decision_by": "Maria Fransiska Seran, S.H.", "items": items,
        "given": by["open"], "refused": by["exempt"], "partial": by["partial"],
        "not_held": by["not_held"], "objection_period": "30 (tiga puluh) hari kerja",
        "has_refusal": bool(by["exempt"] or by["partial"]),
    }


def decision_context(statuses: tuple[str, ...] | None = None) -> dict:
    """The decision notice sample, optionally with only the items of some statuses."""
    ctx = sample("decision_notice")
    items = [it for it in ctx["items"] if statuses is None or it["status"] in statuses]
    for no, it in enumerate(items, 1):
        it["no"] = no
    ctx.update(_decision(items))
    return ctx


def _build() -> dict[str, dict]:
    s = {}
    s["receipt"] = _base("receipt", _letter(
        "receipt", "412/HM.02-SD/53/2026", "20 November 2026",
        "Tanda Bukti Penerimaan Permohonan Informasi Publik"), INFORMATION_REQUEST)

    s["incomplete_notice"] = _base("incomplete_notice", _letter(
        "incomplete_notice", "413/HM.02-SD/53/2026", "20 November 2026",
        "Pemberitahuan Kekurangan Persyaratan Permohonan Informasi Publik"),
        {**INFORMATION_REQUEST, "due": ""})
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

    s["extension_notice"] = _base("extension_notice", _letter(
        "extension_notice", "440/HM.02-SD/53/2026", "2 Desember 2026",
        "Pemberitahuan Perpanjangan Jangka Waktu Pemberian Informasi"),
        INFORMATION_REQUEST)
    s["extension_notice"]["extension"] = {
        "days": 7, "days_words": "7 (tujuh) hari kerja",
        "reason": "informasi yang diminta masih dalam proses penghimpunan dari 22 (dua puluh "
                  "dua) KPU Kabupaten/Kota se-Nusa Tenggara Timur",
        "old_due": "4 Desember 2026", "new_due": "15 Desember 2026",
    }

    s["consultation_answer"] = _base("consultation_answer", _letter(
        "consultation_answer", "445/HM.02-SD/53/2026", "3 Desember 2026",
        "Jawaban atas Permohonan Konsultasi"), CONSULTATION_REQUEST)
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
        "role_label": "pejabat struktural atas pendelegasian",
        "approved_by": "Sekretaris KPU Provinsi Nusa Tenggara Timur",
        "date": "2 Desember 2026",
    }

    objection = {
        "original_register_no": "0137/PPID/2026",
        "original_letter_no": "431/HM.02-SD/53/2026",
        "grounds": GROUNDS,
        "due": "22 Januari 2027",
    }
    s["objection_receipt"] = _base("objection_receipt", _letter(
        "objection_receipt", "452/HM.02-SD/53/2026", "7 Desember 2026",
        "Tanda Bukti Penerimaan Keberatan atas Permohonan Informasi Publik"),
        OBJECTION_REQUEST, ATASAN_PPID)
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
                  "data pribadi yang dilindungi berdasarkan Pasal 17 huruf h UU 14/2008 dan "
                  "Pasal 4 UU 27/2022; data pemilih disabilitas telah diberikan tanpa NIK "
                  "dan NKK, sedangkan memorandum internal belum menjadi keputusan badan "
                  "publik sehingga dikecualikan berdasarkan Pasal 17 huruf i UU 14/2008.",
        "decided_by": "Drs. Yohanes Benediktus Lelo, M.Si.",
        "commission_period": "14 (empat belas) hari kerja",
    }
    return s


SAMPLES: dict[str, dict] = _build()


def sample(kind: str) -> dict:
    """A fresh deep copy of the sample context of `kind`."""
    return copy.deepcopy(SAMPLES[kind])
