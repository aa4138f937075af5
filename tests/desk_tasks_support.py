"""What the desk tasks' tests share: a records folder with requests registered by the real
batch (`ppid run --no-pdf`, or with PDFs for a receipt to reprint), copied per test."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from pipeline.cli import main
from pipeline.desk.app import create_app
from pipeline.desk.state import Desk, Settings

from desk_support import ROOT, TODAY, Env, jpeg_bytes, make_env, pdf_bytes, write_clerk_file

CONSULTATION = """\
# Konsultasi lewat surat; dijawab oleh pejabat yang ditunjuk.
service: consultation
channel: letter
received: 2026-11-19 10:00   # jam surat tiba
requester:
  name: Paulus Bata
  kind: public_body
  organization: Bagian Tata Pemerintahan Kabupaten Ende
  phone: "081339445566"
  email: tapem.ende@example.org
  identity:
    type: ktp
    number: "5311000000000013"
    copy: lampiran/ktp-paulus.jpg
addressed_to: Ketua KPU Provinsi Nusa Tenggara Timur
letter: lampiran/surat-paulus.pdf
topic: Dukungan pemerintah daerah dalam pemutakhiran data pemilih
purpose: Penyusunan rencana kerja
source: Laman resmi KPU Provinsi NTT
"""

COMPLAINT = """\
# Pengaduan lewat e-mail.
service: complaint
channel: email
received: 2026-11-24 07:55
requester:
  name: Oktovianus Pello
  kind: individual
  phone: "+62 813-5322-0099"
  email: okto.pello@example.com
text: Formulir e-PPID tidak dapat dikirim sejak akhir Oktober.
"""

OBJECTION = """\
# Keberatan atas 0002/PPID/2026.
service: objection
channel: walk_in
received: 2026-11-26 09:30
requester:
  name: Theresia Mau
  kind: individual
  phone: "081237771234"
  identity:
    type: ktp
    number: "5371000000000077"
objection_to: 0002/PPID/2026
grounds: [c]
guest_book: true
"""

INCOMPLETE = """\
service: information
channel: email
received: 2026-11-25 08:00
requester:
  name: Maria Goreti Bria
  kind: individual
  phone: "081234567890"
  email: maria@example.org
  identity:
    type: ktp
    number: "5371012345670001"
addressed_to: Ketua KPU Provinsi Nusa Tenggara Timur
information:
  - Salinan Keputusan KPU Provinsi NTT tentang penetapan calon terpilih DPRD Provinsi 2024
purpose: Penelitian skripsi
source: Laman resmi KPU Provinsi NTT
"""

SUPPLEMENT = """\
# Susulan: surat permohonan Maria yang tertinggal.
service: information
channel: email
received: 2026-11-25 08:00
completed: 2026-11-27 09:00
requester:
  name: Maria Goreti Bria
  kind: individual
  phone: "081234567890"
  email: maria@example.org
  identity:
    type: ktp
    number: "5371012345670001"
    copy: ../lampiran-susulan/ktp-maria.jpg
addressed_to: Ketua KPU Provinsi Nusa Tenggara Timur
letter: ../lampiran-susulan/surat-maria.pdf
information:
  - Salinan Keputusan KPU Provinsi NTT tentang penetapan calon terpilih DPRD Provinsi 2024
purpose: Penelitian skripsi
source: Laman resmi KPU Provinsi NTT
"""

CLERK = "yuliana"
PPID = "yosefina"


def build(root: Path, *, pdf: bool = False) -> Path:
    """Four requests registered by the batch: 0001 consultation (Paulus), 0002 information
    (Theresia, item 2 for the PPID), 0003 complaint (Oktovianus), 0004 information
    incomplete (Maria); then objection 0001/KEB/PPID/2026 on 0002 (Theresia)."""
    env = make_env(root, warm=pdf)
    write_clerk_file(env.day)
    lamp = env.day / "lampiran"
    (lamp / "ktp-paulus.jpg").write_bytes(jpeg_bytes())
    (lamp / "surat-paulus.pdf").write_bytes(pdf_bytes())
    (env.day / "2026-11-19-paulus-bata.yaml").write_text(CONSULTATION)
    (env.day / "2026-11-24-oktovianus-pello.yaml").write_text(COMPLAINT)
    (env.day / "2026-11-25-maria-bria.yaml").write_text(INCOMPLETE)
    run(env, env.day, pdf=pdf)
    (env.day / "2026-11-26-theresia-mau-keberatan.yaml").write_text(OBJECTION)
    run(env, env.day, pdf=pdf)
    env.desk.close()
    return root


def run(env, inbox, *, pdf: bool = False):
    result = CliRunner().invoke(main, ["run", str(inbox), *([] if pdf else ["--no-pdf"]), "--date", TODAY.isoformat(),
                                       "--records", str(env.records), "--out", str(env.settings.out)])
    assert result.exit_code in (0, 1), result.output
    return result


def copy(base: Path, tmp: Path) -> Env:
    """The registered folders copied to `tmp`, with a desk on them."""
    for name in ("records", "inbox", "out"):
        shutil.copytree(base / name, tmp / name, symlinks=True)
    # the register names files and letters by absolute path: rewrite them for the copy
    log = tmp / "records" / "events.jsonl"
    log.write_text(log.read_text().replace(str(base), str(tmp)))
    (tmp / "mail").mkdir(exist_ok=True)
    settings = Settings(config=ROOT / "config", records=tmp / "records", inbox_root=tmp / "inbox",
                        out=tmp / "out", templates=ROOT / "templates", mail_dir=tmp / "mail", date=TODAY)
    desk = Desk(settings)
    return Env(tmp, settings, desk, create_app(settings, desk=desk))
