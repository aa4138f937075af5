"""A request file the loader refuses, opened as text: each problem said in Indonesian with
its line, and a save that is checked again before it replaces the file.

This is the one place in the desk where a file's own text, its field names and its line
numbers are shown: the clerk is looking at the file itself."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from pipeline import files
from pipeline.errors import Problem, RequestFileError

from .. import decisions as D
from .. import requestfile as R
from ..labels import duplicate_text
from ..roles import ACT_KEYS, owners
from .accounts import ROLE_NAMES
from .common import OUTSIDE, rel_path

MAX_BYTES = 1_000_000  # as the loader: a request file is at most this


@dataclass
class Explained:
    line: int | None
    field: str  # the field path as written in the file ("" for the whole file)
    message: str  # Indonesian


# (pattern of the loader's message, Indonesian message); the first match words it
_PATTERNS: list[tuple[re.Pattern, object]] = [(re.compile(p), m) for p, m in [
    (r"is not valid YAML", _l("bukan YAML yang sah; periksa indentasi (spasi di awal baris) dan tanda kutip pada baris itu")),
    (r"anchor/alias", _l("memakai anchor/alias YAML (& atau *); tulis nilainya lengkap")),
    (r"uses the YAML tag", _l("memakai tag YAML (!) yang tidak diizinkan; hapus tag itu")),
    (r"control character", _l("berisi karakter kendali yang tidak terlihat; ketik ulang baris itu")),
    (r"is not UTF-8", _l("bukan teks UTF-8; simpan berkas sebagai UTF-8")),
    (r"is empty", _l("berkas kosong; tulis sekurang-kurangnya service, channel dan received")),
    (r"must be a mapping of 'key: value' lines \(service", _l("berkas harus berupa baris 'kunci: nilai' (service:, channel:, received:, …)")),
    (r"is not a known field \(did you mean '([^']+)'\?\)", _l("bukan nama kolom yang dikenal (mungkin maksudnya '{0}'?)")),
    (r"is not a known field", _l("bukan nama kolom yang dikenal; periksa ejaannya atau hapus baris itu")),
    (r"is given twice", _l("ditulis dua kali; sisakan satu")),
    (r"'([^']*)' is not allowed \(did you mean '([^']+)'\?\); use one of: (.*)$", _l("nilai '{0}' tidak diizinkan (mungkin maksudnya '{1}'?); pilih salah satu: {2}")),
    (r"'([^']*)' is not allowed; use one of: (.*)$", _l("nilai '{0}' tidak diizinkan; pilih salah satu: {1}")),
    (r"is not a date and time", _l("bukan tanggal dan jam; tulis seperti 2026-11-20 09:15")),
    (r"is not a real date", _l("bukan tanggal yang ada di kalender; periksa hari dan bulannya")),
    (r"is not a date", _l("bukan tanggal; tulis seperti 2026-11-25")),
    (r"after the processing date", _l("jatuh sesudah tanggal pemrosesan; periksa tanggalnya")),
    (r"is before \d+", _l("tahunnya terlalu awal; periksa tahunnya")),
    (r"has the offset", _l("zona waktunya tidak ada; tulis +08:00 untuk WITA atau hapus zona waktunya")),
    (r"is not true or false", _l("harus true atau false")),
    (r"is not a whole number", _l("harus bilangan bulat")),
    (r"must be text, not", _l("harus berupa teks, bukan daftar atau blok")),
    (r"must be .*, not a list", _l("harus berupa satu nilai, bukan daftar")),
    (r"must be .*, not a mapping", _l("harus berupa satu nilai, bukan blok")),
    (r"must be a mapping", _l("harus berupa blok baris 'kunci: nilai' yang menjorok ke dalam")),
    (r"must be a list", _l("harus berupa daftar, satu butir per baris diawali '- '")),
    (r"has a list or a mapping where a field name belongs", _l("ada daftar atau blok di tempat nama kolom")),
    (r"is an absolute path", _l("ditulis sebagai path lengkap; tulis nama berkas relatif terhadap berkas permohonan")),
    (r"points outside the inbox", _l("menunjuk ke luar folder kotak masuk; simpan lampiran di dalam folder itu")),
    (r"cannot be resolved", _l("tidak dapat ditemukan (tautan berputar?)")),
    (r"contains control characters", _l("berisi karakter kendali yang tidak terlihat; ketik ulang teksnya")),
    (r"characters long", _l("terlalu panjang; persingkat teksnya")),
    (r"is not a UU KIP Pasal 17 letter", _l("bukan huruf dasar pengecualian Pasal 17 UU KIP (a–j)")),
    (r"is not a UU KIP Pasal 35 ayat 1 letter", _l("bukan huruf alasan keberatan Pasal 35 ayat 1 UU KIP (a–g)")),
    (r"is missing; every request file states its", _l("wajib ada di setiap berkas permohonan")),
    (r"is earlier than received", _l("lebih awal dari waktu diterima")),
    (r"before the request was received", _l("lebih awal dari tanggal permohonan diterima")),
    (r"a withdrawal falls between", _l("tanggal pencabutan harus di antara tanggal diterima dan tanggal pemrosesan")),
    (r"is not in the register", _l("nomor ini tidak ada dalam register; salin nomor dari tanda bukti atau pemberitahuan")),
    (r"lists .* items", _l("terlalu banyak butir informasi; pecah menjadi beberapa berkas")),
    (r"decides item \d+ again", _l("memutus butir yang sama dua kali; sisakan satu keputusan per butir")),
    (r"but the request lists", _l("menunjuk butir informasi yang tidak ada; nomori butir mulai dari 1")),
    (r"an item decided '.*' gives its ground", _l("butir yang dikecualikan wajib menyebut dasar pengecualiannya (huruf a–j)")),
    (r"an extension is at least 1", _l("perpanjangan sekurang-kurangnya 1 hari kerja")),
    (r"an extension is 1 to", _l("perpanjangan melebihi jumlah hari kerja yang diizinkan")),
    (r"an extension must give its reason", _l("perpanjangan wajib menyebut alasannya")),
    (r"is only for an objection", _l("hanya untuk berkas keberatan")),
    (r"is not one of the office's staff", _l("bukan nama pegawai kantor; tulis nama seperti tercantum pada staff di "
                                             "config/office.yaml")),
    (r"is missing", _l("wajib diisi")),
    (r"cannot be read", _l("berkas tidak dapat dibaca")),
    (r"symlink", _l("berkas berupa tautan ke luar kotak masuk; salin berkasnya ke dalam kotak masuk")),
]]
_BY_CODE = {"future": _l("jatuh sesudah tanggal pemrosesan"), "order": _l("urutan tanggalnya tidak benar"),
            "range": _l("di luar batas yang diperbolehkan"), "duplicate": _l("ditulis dua kali"),
            "reference": _l("merujuk ke nomor yang tidak ada dalam register"), "missing": _l("wajib diisi"),
            "yaml": _l("bukan YAML yang sah"), "encoding": _l("bukan teks UTF-8"), "empty": _l("berkas kosong"),
            "file": _l("berkas tidak dapat dibaca"), "field": _l("isian tidak dapat diterima")}


def say(p: Problem) -> Explained:
    """A loader problem in Indonesian (its field path and line kept: the editor shows the file)."""
    same = duplicate_text(p)
    if same:
        return Explained(p.line, p.path, same)
    for pattern, words in _PATTERNS:
        m = pattern.search(p.message)
        if m:
            return Explained(p.line, p.path, str(words).format(*m.groups()))
    return Explained(p.line, p.path, str(_BY_CODE.get(p.code.value, _BY_CODE["field"])))


def problems(desk, path: Path, text: str | None = None) -> list[Explained]:
    """What the batch's check says of the file (or of `text` in its place), in Indonesian.
    An empty list: the file is a request (missing requirements are not the editor's)."""
    staged = files.stage(path, text.encode("utf-8")) if text is not None else None  # never committed
    inbox = D.inbox_of(path, desk.s.inbox_root)
    try:
        R.check(staged.path if staged else path, inbox, desk.today(), desk.cfg, desk.view(), display=path.name)
    except RequestFileError as exc:
        return [say(p) for p in exc.problems]
    finally:
        if staged is not None:
            staged.discard()
    if text is not None:
        return []
    # a file that reads well may still be held against the register or its folder (a duplicate):
    # the reason the inbox page gives, here too
    o = desk.assess(path, inbox)
    if o.status != "rejected_file":
        return []
    return [say(Problem(e.get("code") or "field", e.get("field") or "", e.get("line"), e.get("message") or ""))
            for e in o.errors]


def registered_and_sound(desk, path: Path, reg=None) -> str | None:
    """The register number of a file that reads well and is registered: such a file is
    changed through the task forms (checked field by field), not as text here."""
    from pipeline.loading import load_request

    reg = reg if reg is not None else desk.view()
    try:
        req = load_request(path, D.inbox_of(path, desk.s.inbox_root), desk.today())
    except RequestFileError:
        return None
    return reg.by_key.get(req.key) or reg.digests.get(req.digest)


def read_text(path: Path) -> str:
    raw = path.read_bytes()[:MAX_BYTES]
    return raw.decode("utf-8-sig", errors="replace")


@dataclass
class Saved:
    saved: bool
    problems: list[Explained]


def not_owned(path: Path, text: str, role: str) -> list[Explained]:
    """A change `text` makes to a key of another role's act (roles.ACT_KEYS: a decision, an
    answer, a withdrawal …), compared with the file as it is: one problem per key, at its line.
    A file that does not read as YAML holds nothing to compare with: every act in `text` is new."""
    import yaml

    def acts(raw: str) -> dict:
        try:
            data = yaml.safe_load(raw)
        except (yaml.YAMLError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    try:
        old = acts(read_text(path))
    except OSError:
        old = {}
    new = acts(text)
    services = {str(old.get("service")), str(new.get("service"))}
    out = []
    for key in ACT_KEYS:
        if old.get(key) == new.get(key) or role in owners(key, services):
            continue
        names = ", ".join(str(ROLE_NAMES[r]) for r in owners(key, services)) or "-"
        line = next((n for n, x in enumerate(text.splitlines(), 1) if re.match(rf"{key}\s*:", x)), None)
        out.append(Explained(line, key, _(
            "hanya %(owners)s yang mengisi atau mengubah bagian ini, melalui formulirnya; kembalikan isinya "
            "seperti semula", owners=names)))
    return out


def save(desk, path: Path, text: str, user: str, role: str = "clerk") -> Saved:
    """Replace the file by `text` when the check accepts it and it changes no other role's act
    (under the records lock, with a `desk` event); else nothing is written and the problems are
    given. `role` is the user's (the least, a clerk's, when not given)."""
    text = text.replace("\r\n", "\n")
    if len(text.encode("utf-8")) > MAX_BYTES:
        return Saved(False, [Explained(None, "", _("berkas terlalu besar; sebuah berkas permohonan paling besar 1 MB"))])
    try:
        R.within(desk.s.inbox_root, path)
    except R.OutsideInbox:
        return Saved(False, [Explained(None, "", str(OUTSIDE))])
    with desk.changing(user, "file_edit", file=rel_path(desk, path)) as (reg, details):
        rno = registered_and_sound(desk, path, reg)
        if rno:
            raise _NotSaved([Explained(None, "", str(_REGISTERED) % {"no": rno})])
        with files.stage(path, text.encode("utf-8")) as staged:  # the one safe writer (pipeline.files)
            try:
                R.check(staged.path, D.inbox_of(path, desk.s.inbox_root), desk.today(), desk.cfg, reg,
                        display=path.name)
            except RequestFileError as exc:
                raise _NotSaved([say(p) for p in exc.problems]) from None
            refused = not_owned(path, text, role)
            if refused:
                raise _NotSaved(refused)
            staged.commit()
    return Saved(True, [])


_REGISTERED = _l("Berkas ini sudah terdaftar dengan nomor %(no)s dan dapat dibaca; ubah isinya melalui formulir "
                 "tugasnya, bukan di sini.")


class _NotSaved(Exception):
    def __init__(self, problems: list[Explained]):
        self.problems = problems


def save_checked(desk, path: Path, text: str, user: str, role: str = "clerk") -> Saved:
    try:
        return save(desk, path, text, user, role)
    except _NotSaved as exc:
        return Saved(False, exc.problems)
