"""What tests share, as plain imports (`from helpers import ...`): paths, a complete request, request files in a real inbox."""

from __future__ import annotations

import copy
import datetime as dt
import os
import tempfile
from pathlib import Path

import pytest
import yaml


ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 12, 31)

# A request that meets every requirement of its service and channel.
BASE = {
    "service": "information",
    "channel": "letter",
    "received": "2026-11-20 09:15",
    "requester": {
        "name": "Maria Goreti Bria", "kind": "individual", "organization": None,
        "phone": "081234567890", "email": "maria@example.org", "address": "Jl. El Tari No. 5, Kupang",
        "identity": {"type": "ktp", "number": "5371012345670001", "copy": "ktp.jpg"},
    },
    "addressed_to": "Ketua KPU Provinsi Nusa Tenggara Timur",
    "letter": "surat.pdf",
    "information": ["Salinan Keputusan KPU Provinsi NTT tentang penetapan calon terpilih DPRD Provinsi 2024"],
    "purpose": "Penelitian skripsi tentang partisipasi pemilih",
    "source": "Laman resmi KPU Provinsi NTT",
    "form": "softcopy",
    "delivery": "email",
}


def base_request(service: str = "information", channel: str = "letter", **changes) -> dict:
    """A complete request of the given service and channel; `changes` set top-level keys."""
    data = copy.deepcopy(BASE)
    data["service"], data["channel"] = service, channel
    if service != "information":
        data.pop("information")
    if service == "consultation":
        data["topic"] = "Tata cara pendaftaran pemantau pemilihan"
    if service == "objection":
        data.update(objection_to="0001/PPID/2026", grounds=["a"])
        data.pop("purpose"); data.pop("source")
    if service == "complaint":
        data = {"service": "complaint", "channel": channel, "received": data["received"],
                "requester": {"name": "Yohanes Ndun", "kind": "individual", "phone": "081298765432"},
                "text": "Petugas front office tidak ada di tempat pada jam pelayanan."}
    if channel == "walk_in" and service != "complaint":
        data["guest_book"] = True
        data["requester"]["identity"].pop("copy", None)
        if service == "consultation":
            data.pop("letter", None)
    if channel == "walk_in" and service == "complaint":
        data["guest_book"] = True
    data.update(changes)
    return data


def another_person(data: dict, n: int) -> dict:
    """`data` from a requester of their own (identity number, name, phone, e-mail), so that two
    requests asking the same in one batch are two people's, not one request twice."""
    r = data["requester"]
    r["name"] = f"{r.get('name', 'Pemohon')} {'ABCDEFGHIJ'[n % 10]}"
    if isinstance(r.get("identity"), dict):
        r["identity"] = {**r["identity"], "number": f"537101234560{n:04d}"}
    r["phone"], r["email"] = f"08129870{n:04d}", f"pemohon{n}@example.org"
    return data


def _scan_pdf() -> bytes:
    """A one-page PDF: the smallest letter that opens (a letter must be a readable PDF or image)."""
    import io

    from pypdf import PdfWriter

    w = PdfWriter()
    w.add_blank_page(595, 842)
    buf = io.BytesIO()
    w.write(buf)
    return buf.getvalue()


SCAN_PDF = _scan_pdf()


def write_request(inbox: Path, name: str, data: dict | str, *, attachments=("ktp.jpg", "surat.pdf")) -> Path:
    """Write a request file (and small attachment files) into a real inbox folder."""
    inbox.mkdir(parents=True, exist_ok=True)
    for a in attachments:
        target = inbox / a
        if not target.exists():
            target.write_bytes(SCAN_PDF if a.endswith(".pdf") else b"\xff\xd8\xff\xe0 photo")
    path = inbox / name
    path.write_text(data if isinstance(data, str) else yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                    encoding="utf-8")
    return path


def _templates() -> Path:
    """The repository's templates; until the letters helper's refusal_decree.docx is in, a copy
    of them with a minimal stand-in for it (its legal text is the template author's)."""
    folder = ROOT / "templates"
    if (folder / "refusal_decree.docx").is_file():
        return folder
    import shutil

    from docx import Document

    copy_dir = Path(tempfile.mkdtemp(prefix="ppid-templates-"))
    for f in folder.glob("*.docx"):
        shutil.copy(f, copy_dir / f.name)
    doc = Document()
    doc.add_paragraph("{{ letter.hal }} {{ letter.number }} {{ decree_title }} {{ notice_no }}")
    doc.add_paragraph("{{ recipient.name }} {{ request.register_no }} {{ signatory.name }}")
    doc.add_paragraph("{% for i in refused %}{{ i.no }}. {{ i.text }} {{ i.ground_text }} {{ i.consequence }} {% endfor %}")
    doc.save(copy_dir / "refusal_decree.docx")
    return copy_dir


TEMPLATES = _templates()


def fast_share(values, keep: int = 3) -> list:
    """Every value for `parametrize`; all but `keep` of them, spread evenly and always the same,
    are marked slow: the fast loop runs the share, `make test` runs them all."""
    values = list(values)
    step = max(1, -(-len(values) // keep))
    return [v if i % step == 0 else pytest.param(v, marks=pytest.mark.slow) for i, v in enumerate(values)]


def examples(n: int) -> int:
    """A Hypothesis test's example count: `n`, or a fifth of it (at least 50) in the fast loop
    (`make test-fast` sets PPID_FAST_LOOP=1); `make test` runs all `n`."""
    return max(50, n // 5) if os.environ.get("PPID_FAST_LOOP") == "1" else n
