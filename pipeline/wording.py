"""Indonesian labels and legal phrases, once: letters, `ppid` output and the report read them here.

Dates and numbers in words are in pipeline.formatting.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pipeline.report_text import join_id

SERVICE_LABELS = {"information": "permohonan informasi publik", "consultation": "permohonan konsultasi",
                  "objection": "keberatan", "complaint": "pengaduan"}
# "pos-el" (pos elektronik, KBBI), never "e-mail", in everything a requester reads: one word in every letter
CHANNEL_LABELS = {"letter": "surat", "whatsapp": "WhatsApp", "email": "pos-el", "eppid": "e-PPID",
                  "walk_in": "kunjungan langsung"}  # "melalui kunjungan langsung" (EYD; not "melalui datang langsung")
KIND_LABELS = {"individual": "perseorangan", "institution": "instansi/lembaga", "ngo": "lembaga swadaya masyarakat",
               "mass_organization": "organisasi masyarakat", "political_party": "partai politik",
               "public_body": "badan publik"}
FORM_LABELS = {"softcopy": "salinan elektronik (softcopy)", "hardcopy": "salinan cetak (hardcopy)",
               "view": "melihat/membaca di tempat"}
DELIVERY_LABELS = {"pickup": "diambil langsung", "email": "pos-el", "whatsapp": "WhatsApp", "post": "pos"}
# Item statuses (spec section 4; model.ITEM_STATUSES)
STATUS_LABELS = {"open": "Diberikan", "exempt": "Ditolak (dikecualikan)", "partial": "Diberikan sebagian (dihitamkan)",
                 "not_held": "Tidak dikuasai", "not_documented": "Belum didokumentasikan",
                 "review": "Menunggu keputusan PPID"}
# Request outcomes (spec section 4). "sebagian" only where something is given.
OUTCOME_LABELS = {"granted": "permohonan diterima seluruhnya", "partially_granted": "permohonan diterima sebagian",
                  "rejected": "permohonan ditolak", "not_held": "informasi tidak dikuasai"}
# Outcome not_held when no item is held and at least one is not yet documented
# (UU 14/2008 Pasal 6 ayat 3 huruf e: "belum dikuasai atau didokumentasikan").
NOT_DOCUMENTED_LABEL = "informasi belum dikuasai atau belum didokumentasikan"
OBJECTION_RESULT_LABELS = {
    "upheld": "keberatan ditolak dan keputusan PPID dikuatkan",
    # The Atasan PPID accepts the objection and orders the PPID to revoke its own decision and
    # give a new notice; the PPID, who issued the decision, revokes it (UU 30/2014 Pasal 64).
    # The Atasan PPID annuls nothing (pembatalan, Pasal 66, is another route): one route.
    "overturned": "keberatan diterima dan PPID diperintahkan mencabut keputusannya",
    # UU KIP Pasal 35-36: filed after the 30-working-day window
    "inadmissible": "keberatan tidak dapat diterima karena diajukan melewati jangka waktu",
}
DISPUTE_RESULT_LABELS = {  # "... sengketa: 2 selesai melalui mediasi, 1 dikabulkan sebagian"
    "mediated": "selesai melalui mediasi",
    "granted": "dikabulkan seluruhnya",
    "partially_granted": "dikabulkan sebagian",
    "rejected": "ditolak",
    "withdrawn": "dicabut oleh pemohon",
    "dismissed": "tidak diterima atau gugur",
}
ROLE_LABELS = {"member": "Anggota KPU Provinsi Nusa Tenggara Timur",
               "secretary": "Sekretaris KPU Provinsi Nusa Tenggara Timur",
               # "a.n." (atas nama) is a mandate, not a delegation: the mandator keeps the authority
               # and the responsibility (UU 30/2014 Pasal 1 angka 24 and Pasal 14; "atas nama (a.n.)"
               # marks a mandate: https://kamushukum.web.id/arti-kata/mandat/; Pasal 14 as quoted
               # in SE BKN 2/SE/VII/2019, https://www.basishukum.com/sebkn/2/2019/3/a/1)
               "delegated": "pejabat struktural atas mandat"}
PASAL35 = {  # UU 14/2008 Pasal 35 ayat (1)
    "a": "penolakan atas permintaan informasi berdasarkan alasan pengecualian sebagaimana dimaksud dalam Pasal 17",
    "b": "tidak disediakannya informasi berkala sebagaimana dimaksud dalam Pasal 9",
    "c": "tidak ditanggapinya permintaan informasi",
    "d": "permintaan informasi ditanggapi tidak sebagaimana yang diminta",
    "e": "tidak dipenuhinya permintaan informasi",
    "f": "pengenaan biaya yang tidak wajar",
    "g": "penyampaian informasi yang melebihi waktu yang diatur dalam Undang-Undang ini",
}


def pasal17(ground: str | Sequence[str], basis: str = "") -> str:
    """The citation of one or more UU KIP Pasal 17 grounds: 'Pasal 17 huruf h UU 14/2008', with the
    angka when the item's basis names them ('Pasal 17 huruf h angka 2 dan huruf j UU 14/2008';
    Pasal 17 huruf a and h have angka 1-5), several joined as EYD joins a list ('huruf a, huruf h,
    dan huruf j'), so that every letter and the decree cite a ground one way."""
    letters = [ground] if isinstance(ground, str) else sorted(set(ground))  # cited in the Pasal's order
    # the angka are read only inside the basis's own Pasal 17 citation, never another law's
    cited = re.search(r"Pasal 17 (huruf [^;]*?)(?= UU\b| Undang|;|$)", basis or "")
    parts = []
    for g in letters:
        m = re.search(rf"huruf {re.escape(g)} (angka \d+(?:(?:, | dan |, dan )\d+)*)", cited.group(1)) if cited else None
        parts.append(f"huruf {g} {m.group(1)}" if m else f"huruf {g}")
    return f"Pasal 17 {join_id(parts)} UU 14/2008"


# The election-stage deadline regime (spec section 6). Title as published by KPU's PPID
# (pabardappid.kpu.go.id, regulasi 25045); the article numbers are for the office to confirm.
ELECTION_BASIS = ("Peraturan Komisi Informasi Nomor 1 Tahun 2019 tentang Standar Layanan dan Prosedur "
                  "Penyelesaian Sengketa Informasi Pemilihan Umum dan Pemilihan")
# the clock may start on completion, not receipt: "diproses pada masa tahapan"
# (worded for any service: an objection is not "permohonan ini")
ELECTION_REGIME_SENTENCE = ("Jangka waktu layanan yang disebut dalam surat ini mulai dihitung pada masa tahapan "
                            "{name}, sehingga mengikuti " + ELECTION_BASIS + ".")
COST = "tidak dipungut biaya (gratis)"

# The refusal decree (Perki 1/2021: Surat Keputusan PPID tentang Penolakan); the template words the rest.
DECREE_TITLE = "Penolakan Permohonan Informasi Publik"
# Who signs a consultation answer (Keputusan KPU Provinsi NTT 129/2022, Standar Pelayanan Konsultasi)
ANSWER_SIGNER_TITLES = {"member": "Anggota", "secretary": "Sekretaris", "delegated": "Pejabat yang Ditunjuk"}


# --- citations of the decrees' Mengingat, each written once ------------------------------------
# UU 14/2008: LN 2008/61, TLN 4846, as Perki 1/2021's own Mengingat cites it
# (https://id.scribd.com/document/627406242/PerKI-No-1-Tahun-2021).
UU_KIP = "Undang-Undang Nomor 14 Tahun 2008 tentang Keterbukaan Informasi Publik"
UU_KIP_LN = (UU_KIP + " (Lembaran Negara Republik Indonesia Tahun 2008 Nomor 61, Tambahan Lembaran Negara "
             "Republik Indonesia Nomor 4846)")
# UU 30/2014: LN 2014/292, TLN 5601 (https://id.scribd.com/document/360129542/UU-Nomor-30-Tahun-2014-UU-30-2014;
# https://vdokumen.com/tambahan-lembaran-negara-ri-beranda-jogloabang-penggunaan-kekuasaan-negara-terhadap.html)
# Amended by UU Cipta Kerja, Pasal 175 (as UU 11/2020 it changed Pasal 53 of UU 30/2014:
# nasional.kompas.com/read/2020/11/06/06260491, era.id/amp/42548), now UU 6/2023 (Perppu 2/2022
# enacted), LN 2023/41, TLN 6856 (en.wikipedia.org/wiki/2023_Omnibus_Law_on_Job_Creation, citation).
UU_6_2023 = ("Undang-Undang Nomor 6 Tahun 2023 tentang Penetapan Peraturan Pemerintah Pengganti Undang-Undang "
             "Nomor 2 Tahun 2022 tentang Cipta Kerja menjadi Undang-Undang (Lembaran Negara Republik Indonesia "
             "Tahun 2023 Nomor 41, Tambahan Lembaran Negara Republik Indonesia Nomor 6856)")
UU_30_2014 = ("Undang-Undang Nomor 30 Tahun 2014 tentang Administrasi Pemerintahan (Lembaran Negara Republik "
              "Indonesia Tahun 2014 Nomor 292, Tambahan Lembaran Negara Republik Indonesia Nomor 5601) "
              "sebagaimana telah diubah dengan " + UU_6_2023)
# PP 61/2010: LN 2010/99, TLN 5149, as Perki 1/2021's Mengingat cites it (same source)
PP_61 = ("Peraturan Pemerintah Nomor 61 Tahun 2010 tentang Pelaksanaan Undang-Undang Nomor 14 Tahun 2008 tentang "
         "Keterbukaan Informasi Publik (Lembaran Negara Republik Indonesia Tahun 2010 Nomor 99, Tambahan Lembaran "
         "Negara Republik Indonesia Nomor 5149)")
# Title as published by KPU's PPID (pabardappid.kpu.go.id, regulasi 25045); its Berita Negara
# number is not confirmed here (README "Before real use").
PERKI_2019 = ("Peraturan Komisi Informasi Nomor 1 Tahun 2019 tentang Standar Layanan dan Prosedur Penyelesaian "
              "Sengketa Informasi Pemilihan Umum dan Pemilihan")
# Berita Negara 2021/741, Tambahan Berita Negara Nomor 37: the fourth legal read saw both on
# the header of the published text (a copy on scribd, id 693224693); the office confirms them
# against its JDIH copy (README "Before real use").
PERKI_2021 = ("Peraturan Komisi Informasi Nomor 1 Tahun 2021 tentang Standar Layanan Informasi Publik (Berita "
              "Negara Republik Indonesia Tahun 2021 Nomor 741, Tambahan Berita Negara Republik Indonesia "
              "Nomor 37)")
# PKPU 22/2023 (BN 2023/870), amended last by PKPU 4/2025: https://ppid.kpu.go.id/regulasi/27793/
PKPU_22_TITLE = ("Peraturan Komisi Pemilihan Umum Nomor 22 Tahun 2023 tentang Pengelolaan dan Pelayanan Informasi "
                 "Publik di Komisi Pemilihan Umum, Komisi Pemilihan Umum Provinsi, dan Komisi Pemilihan Umum "
                 "Kabupaten/Kota")
PKPU_22_AMENDED = ("sebagaimana telah beberapa kali diubah, terakhir dengan Peraturan Komisi Pemilihan Umum Nomor "
                   "4 Tahun 2025 tentang Perubahan Kedua atas " + PKPU_22_TITLE)
PKPU_22 = PKPU_22_TITLE + " (Berita Negara Republik Indonesia Tahun 2023 Nomor 870) " + PKPU_22_AMENDED
PKPU_22_SHORT = PKPU_22_TITLE + " " + PKPU_22_AMENDED

# The revocation decree (spec sections 3-4). One route, UU 30/2014 Pasal 64 (pencabutan):
# - ayat (1): a decree may be revoked only for a defect (cacat) of wewenang, prosedur and/or
#   substansi (https://alif.id/read/muhammad-ishom/diskursus-khamr-dalam-islam-3-asas-contrarius-
#   actus-dan-pencabutan-lampiran-investasi-miras-b236373p); a new decree states the legal basis
#   of the revocation;
# - the revocation is made by the official who issued the decree, by that official's superior,
#   or on a court's order (as quoted in https://kompasiana.com/tjin/60c9700bd541df18ab62d6e2/; see
#   hukumonline.com, "Perbedaan Pencabutan dan Pembatalan Keputusan Tata Usaha Negara"; Pasal 33
#   ayat (3) likewise has the issuer revoke, https://id.scribd.com/document/599267457/).
# The Atasan PPID's response accepts the objection and orders the PPID to revoke (UU KIP Pasal
# 36: the Atasan PPID answers in writing); the PPID, the issuer, revokes its own refusal
# decree. The Komisi Informasi is not a court: its ruling is carried out by the issuer too.
# Pasal 66 (pembatalan, annulment, 5 working days in ayat (4)) is not used. Whether Pasal 64
# sets a period of its own is not confirmed here (README "Before real use").
REVOCATION_TITLE = "Pencabutan Keputusan Pejabat Pengelola Informasi dan Dokumentasi tentang " + DECREE_TITLE
REVOCATION_BASIS = "Pasal 64 " + UU_30_2014.split(" (")[0]

# The annual report goes to the Komisi Informasi within three months after the budget year
# (Perki 1/2021 Pasal 56, as https://spiritsumbar.com/standar-layanan-informasi-publik gives it).
REPORT_DEADLINE = ("Laporan ini disampaikan kepada Komisi Informasi paling lambat 3 (tiga) bulan setelah tahun "
                   "pelaksanaan anggaran berakhir (Pasal 56 Peraturan Komisi Informasi Nomor 1 Tahun 2021), "
                   "yaitu tanggal {deadline}.")

# A notice sent after its due date says so (spec section 6). Past the period of UU KIP Pasal 22
# ayat 7 (or 8) it names the right to object of Pasal 35 ayat 1 huruf g ("penyampaian informasi
# yang melebihi waktu yang diatur dalam Undang-Undang ini").
LATE_NOTICE = ("Pemberitahuan tertulis ini disampaikan setelah berakhirnya jangka waktu {period} yang berakhir "
               "pada tanggal {due}. Atas keterlambatan tersebut Saudara berhak mengajukan keberatan sebagaimana "
               "dimaksud dalam Pasal 35 ayat (1) huruf g Undang-Undang Nomor 14 Tahun 2008 tentang Keterbukaan "
               "Informasi Publik.")
# Past the date an order set (the Atasan PPID's response, a Komisi Informasi ruling) the time is
# not one "diatur dalam Undang-Undang ini": huruf g is not cited (README "Before real use"); the
# requester is pointed to the complaint route of the office's service standard (Keputusan KPU
# Provinsi NTT 129/2022, Lampiran, "Penanganan pengaduan, saran dan masukan").
LATE_ORDER_FROM = {
    "objection": "tanggapan Atasan PPID{response_no} tanggal {response_date}",
    "dispute": "putusan Komisi Informasi Nomor {case_no} tanggal {ruling_date}",
}
LATE_ORDER_NOTICE = ("Pemberitahuan tertulis ini disampaikan setelah berakhirnya jangka waktu {period} yang "
                     "ditetapkan dalam {since}, yaitu sampai dengan tanggal {due}. Atas keterlambatan tersebut Saudara dapat menyampaikan "
                     "pengaduan secara tertulis kepada Ketua Komisi Pemilihan Umum Provinsi Nusa Tenggara Timur "
                     "sebagaimana diatur dalam Standar Pelayanan Data dan Informasi pada Keputusan KPU Provinsi "
                     "Nusa Tenggara Timur Nomor 129 Tahun 2022.")


def late_notice_sentence(period: str, due: str, replaces: dict | None = None) -> str:
    """What a late notice says: counted from an order when it replaces a notice on one
    (replaces.cause objection or dispute, with its date), else from the request (Pasal 22)."""
    cause = (replaces or {}).get("cause")
    if cause == "objection" and replaces.get("response_date"):
        no = replaces.get("response_no")
        since = LATE_ORDER_FROM[cause].format(response_no=f" Nomor {no}" if no else "",
                                              response_date=replaces["response_date"])
    elif cause == "dispute" and replaces.get("ruling_date"):
        since = LATE_ORDER_FROM[cause].format(**replaces)
    else:
        return LATE_NOTICE.format(period=period, due=due)
    return LATE_ORDER_NOTICE.format(period=period, since=since, due=due)


# What a new or corrected written notice says of the one it replaces (spec section 3).
REPLACES_SENTENCE = {
    "objection": ("Pemberitahuan tertulis ini menggantikan pemberitahuan tertulis Nomor {notice_no} tanggal "
                  "{notice_date} dan disampaikan untuk melaksanakan tanggapan Atasan PPID Nomor {response_no} "
                  "tanggal {response_date} yang menerima keberatan Saudara dengan nomor registrasi keberatan "
                  "{objection_no} dan memerintahkan PPID mencabut keputusannya serta menyampaikan pemberitahuan "
                  "tertulis yang baru."),
    "dispute": ("Pemberitahuan tertulis ini menggantikan pemberitahuan tertulis Nomor {notice_no} tanggal "
                "{notice_date} dan disampaikan untuk melaksanakan putusan Komisi Informasi Nomor {case_no} "
                "tanggal {ruling_date}."),
    "change": ("Pemberitahuan tertulis ini merupakan perbaikan atas dan menggantikan pemberitahuan tertulis Nomor "
               "{notice_no} tanggal {notice_date}."),
}
