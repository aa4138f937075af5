"""Words the desk shows beside each field and value: the Indonesian term the office uses
(the same terms as docs/request-format.md). The values themselves come from pipeline.model."""

from __future__ import annotations

from pipeline import model

# field path -> (English, Indonesian)
LABELS = {
    "service": ("Service", "Jenis layanan"),
    "channel": ("Channel", "Cara penyampaian"),
    "received": ("Received", "Waktu diterima"),
    "completed": ("Completed", "Waktu dilengkapi"),
    "requester.name": ("Requester's name", "Nama pemohon"),
    "requester.kind": ("Kind of requester", "Jenis pemohon"),
    "requester.organization": ("Organization", "Nama lembaga"),
    "requester.phone": ("Phone / WhatsApp", "Nomor telepon/WhatsApp"),
    "requester.email": ("E-mail", "Alamat e-mail"),
    "requester.address": ("Address", "Alamat"),
    "requester.identity.type": ("Identity card", "Jenis kartu identitas"),
    "requester.identity.number": ("Identity number", "Nomor identitas"),
    "requester.identity.copy": ("Copy of the identity card", "Salinan kartu identitas"),
    "addressed_to": ("Addressed to", "Ditujukan kepada"),
    "letter": ("Written request / leader's letter", "Surat permohonan"),
    "information": ("Information requested, one item a line", "Rincian informasi yang diminta"),
    "topic": ("Consultation topic", "Perihal konsultasi"),
    "purpose": ("Purpose", "Tujuan penggunaan informasi"),
    "source": ("Where the requester learned of it", "Sumber data"),
    "form": ("Form of the information", "Bentuk informasi"),
    "delivery": ("Delivery", "Cara mendapatkan"),
    "guest_book": ("Registered in the guest book", "Buku tamu"),
    "objection_to": ("Register number objected to", "Nomor registrasi yang diajukan keberatan"),
    "grounds": ("Grounds (UU KIP Pasal 35 ayat 1)", "Alasan keberatan"),
    "text": ("Complaint, suggestion or appreciation", "Uraian pengaduan/saran"),
    "category": ("Category", "Kategori"),
}

CHOICES = {
    "service": {"information": "Permohonan informasi", "consultation": "Konsultasi",
                "objection": "Keberatan", "complaint": "Pengaduan/saran"},
    "channel": {"letter": "Surat", "whatsapp": "WhatsApp", "email": "E-mail", "eppid": "e-PPID",
                "walk_in": "Datang langsung"},
    "requester.kind": {"individual": "Perseorangan", "institution": "Instansi/lembaga", "ngo": "LSM",
                       "mass_organization": "Organisasi kemasyarakatan", "political_party": "Partai politik",
                       "public_body": "Badan publik"},
    "requester.identity.type": {"ktp": "KTP-el", "passport": "Paspor", "other": "Kartu identitas lain"},
    "form": {"softcopy": "Salinan elektronik", "hardcopy": "Salinan tercetak", "view": "Melihat/membaca"},
    "delivery": {"pickup": "Mengambil langsung", "email": "E-mail", "whatsapp": "WhatsApp", "post": "Pos/kurir"},
    "category": {"complaint": "Pengaduan", "suggestion": "Saran", "appreciation": "Apresiasi"},
    "status": {"open": "Terbuka", "exempt": "Dikecualikan", "partial": "Sebagian (dihitamkan)",
               "not_held": "Tidak dikuasai", "not_documented": "Belum didokumentasikan"},
}
for _field, _values in (("service", model.SERVICES), ("channel", model.CHANNELS),
                        ("requester.kind", model.REQUESTER_KINDS), ("requester.identity.type", model.IDENTITY_TYPES),
                        ("form", model.FORMS), ("delivery", model.DELIVERIES), ("status", model.ITEM_STATUSES)):
    assert set(CHOICES[_field]) == set(_values), f"labels.CHOICES[{_field}] out of step with pipeline.model"

STATUS_LABELS = {
    "incomplete": "belum lengkap", "review": "menunggu keputusan PPID", "answered": "dijawab",
    "scheduled": "konsultasi dijadwalkan", "registered": "tercatat", "withdrawn": "dicabut",
    "rejected_file": "berkas ditolak", "not processed yet": "belum diproses",
}
