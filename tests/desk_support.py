"""What the desk's tests share: a desk on a temporary records folder and inbox root, with
one user of each role, the repository's config and templates, processing date 2026-11-27."""

from __future__ import annotations

import datetime as dt
import io
import threading
from unittest import mock
from dataclasses import dataclass
from pathlib import Path

from argon2 import PasswordHasher
from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from pipeline.desk import users as U
from pipeline.desk.app import create_app
from pipeline.desk.state import Desk, Settings

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 11, 27)
PASSWORDS = {"clerk": "kata-sandi-clerk-1", "ppid": "kata-sandi-ppid-1", "atasan_ppid": "kata-sandi-atasan-1",
             "analyst": "kata-sandi-analyst-1"}
USERS = {"clerk": "yuliana", "ppid": "yosefina", "atasan_ppid": "agustinus", "analyst": "adrianus"}
_USERS_FILE: bytes | None = None
# Debian's chromium, as Playwright launches it (never a downloaded browser)
CHROMIUM = "/usr/bin/chromium"
ARGS_CHROMIUM = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


@dataclass
class Env:
    root: Path
    settings: Settings
    desk: Desk
    app: object

    @property
    def records(self) -> Path:
        return self.settings.records

    @property
    def inbox_root(self) -> Path:
        return self.settings.inbox_root

    @property
    def day(self) -> Path:
        return self.inbox_root / TODAY.isoformat()


def _users_file(path: Path) -> bytes:
    """The three users, added by `users.add` with argon2id at the lowest cost. The desk verifies
    any argon2id hash by the parameters it carries, so every login in the tests still runs the
    real check, at a millisecond instead of 0.2 s of CPU; `users.add` hashing with the library's
    parameters is tested on its own (test_desk.py)."""
    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    with mock.patch.object(U, "_HASHER", cheap):
        for role, name in USERS.items():
            U.add(path, name, role, PASSWORDS[role])
    return path.read_bytes()


def make_env(tmp: Path, *, warm: bool = False, config: dict | None = None, date: dt.date = TODAY) -> Env:
    settings = Settings(config=ROOT / "config", records=tmp / "records", inbox_root=tmp / "inbox",
                        out=tmp / "out", templates=ROOT / "templates", mail_dir=tmp / "mail", date=date)
    settings.inbox_root.mkdir(parents=True)
    settings.mail_dir.mkdir(parents=True)
    global _USERS_FILE
    if _USERS_FILE is None:  # written once a process, copied into each test's records
        _USERS_FILE = _users_file(settings.users)
    settings.records.mkdir(parents=True, exist_ok=True)
    settings.users.write_bytes(_USERS_FILE)
    settings.users.chmod(0o600)
    desk = Desk(settings)
    if warm:
        desk.start_converters()
    return Env(tmp, settings, desk, create_app(settings, desk=desk, config=config))


def pdf_bytes(text: str = "Surat permohonan informasi") -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.drawString(72, 760, "Kepada Yth. Ketua KPU Provinsi Nusa Tenggara Timur")
    c.drawString(72, 740, text)
    c.showPage()
    c.save()
    return buf.getvalue()


def jpeg_bytes() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (320, 200), (200, 220, 240)).save(buf, "JPEG")
    return buf.getvalue()


class Server:
    """The desk app served on 127.0.0.1 in a thread, as `ppid desk` serves it."""

    def __init__(self, app):
        from werkzeug.serving import make_server

        self.httpd = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.httpd.server_port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> "Server":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.thread.join(5)


# A clerk's request file with comments, whose item 2 no rule decides (review)
CLERK_FILE = """\
# Dicatat oleh petugas Front Office dari surat yang diantar kurir.
# Butir 2 perlu keputusan PPID.
service: information
channel: letter
received: 2026-11-20 10:30   # jam surat diterima di meja depan
requester:
  name: Theresia Mau
  kind: individual
  phone: "081237771234"
  email: theresia.mau@example.org
  address: Jl. Frans Seda No. 3, Kota Kupang
  identity:
    type: ktp
    number: "5371000000000077"
    copy: lampiran/ktp-theresia-mau.jpg
addressed_to: Ketua KPU Provinsi Nusa Tenggara Timur
letter: lampiran/surat-theresia-mau.pdf
information:
  - Jumlah pemilih pemula dalam DPT Pemilihan 2024 Kabupaten Malaka per kecamatan
  - Surat-menyurat antara KPU Provinsi NTT dan Pemerintah Kabupaten Malaka tentang pinjam pakai gedung gudang   # belum ada aturan
purpose: Penelitian tentang tata kelola pemilihan di daerah perbatasan
source: Laman resmi KPU Provinsi NTT
form: softcopy
delivery: email
"""


def write_clerk_file(day: Path) -> Path:
    (day / "lampiran").mkdir(parents=True, exist_ok=True)
    (day / "lampiran" / "ktp-theresia-mau.jpg").write_bytes(jpeg_bytes())
    (day / "lampiran" / "surat-theresia-mau.pdf").write_bytes(pdf_bytes())
    path = day / "2026-11-20-theresia-mau.yaml"
    path.write_text(CLERK_FILE, encoding="utf-8")
    return path
