"""Indonesian labels and legal phrases, once: letters, `ppid` output and the report read them here.

Dates and numbers in words are in pipeline.formatting.
"""

from __future__ import annotations

SERVICE_LABELS = {"information": "permohonan informasi publik", "consultation": "permohonan konsultasi",
                  "objection": "keberatan", "complaint": "pengaduan"}
CHANNEL_LABELS = {"letter": "surat", "whatsapp": "WhatsApp", "email": "e-mail", "eppid": "e-PPID",
                  "walk_in": "datang langsung"}
KIND_LABELS = {"individual": "perseorangan", "institution": "instansi/lembaga", "ngo": "lembaga swadaya masyarakat",
               "mass_organization": "organisasi masyarakat", "political_party": "partai politik",
               "public_body": "badan publik"}
FORM_LABELS = {"softcopy": "salinan elektronik (softcopy)", "hardcopy": "salinan cetak (hardcopy)",
               "view": "melihat/membaca di tempat"}
DELIVERY_LABELS = {"pickup": "diambil langsung", "email": "e-mail", "whatsapp": "WhatsApp", "post": "pos"}
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
    "overturned": "keberatan diterima dan keputusan PPID dibatalkan",
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
               "delegated": "pejabat struktural atas pendelegasian"}
PASAL35 = {  # UU 14/2008 Pasal 35 ayat (1)
    "a": "penolakan atas permintaan informasi berdasarkan alasan pengecualian sebagaimana dimaksud dalam Pasal 17",
    "b": "tidak disediakannya informasi berkala sebagaimana dimaksud dalam Pasal 9",
    "c": "tidak ditanggapinya permintaan informasi",
    "d": "permintaan informasi ditanggapi tidak sebagaimana yang diminta",
    "e": "tidak dipenuhinya permintaan informasi",
    "f": "pengenaan biaya yang tidak wajar",
    "g": "penyampaian informasi yang melebihi waktu yang diatur dalam Undang-Undang ini",
}


def pasal17(ground: str) -> str:
    """The citation of a UU KIP Pasal 17 ground: 'Pasal 17 huruf h UU 14/2008'."""
    return f"Pasal 17 huruf {ground} UU 14/2008"


# The election-stage deadline regime (spec section 6). Title as published by KPU's PPID
# (pabardappid.kpu.go.id, regulasi 25045); the article numbers are for the office to confirm.
ELECTION_BASIS = ("Peraturan Komisi Informasi Nomor 1 Tahun 2019 tentang Standar Layanan dan Prosedur "
                  "Penyelesaian Sengketa Informasi Pemilihan Umum dan Pemilihan")
# the clock may start on completion, not receipt: "diproses pada masa tahapan"
ELECTION_REGIME_SENTENCE = ("Permohonan ini diproses pada masa tahapan {name}, sehingga jangka waktu layanannya "
                            "mengikuti " + ELECTION_BASIS + ".")
COST = "tidak dipungut biaya (gratis)"

# The refusal decree (Perki 1/2021: Surat Keputusan PPID tentang Penolakan); the template words the rest.
DECREE_TITLE = "Penolakan Permohonan Informasi Publik"
# Who signs a consultation answer (Keputusan KPU Provinsi NTT 129/2022, Standar Pelayanan Konsultasi)
ANSWER_SIGNER_TITLES = {"member": "Anggota", "secretary": "Sekretaris", "delegated": "Pejabat yang Ditunjuk"}
