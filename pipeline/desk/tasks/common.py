"""What every desk task shares: the result of a task, dates as an officer types them, and
the one checked round-trip edit of a request file with its `desk` event.

The edit is made under the records lock (Desk.changing), to the file as it is at that
moment; the edited text is written beside the file, checked by the check `ppid run`
makes, and only then moved into place. A refused edit leaves the file and the event log
as they were, and says why per form field, in the words of the form."""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import LiteralScalarString

from pipeline import files
from pipeline.errors import Problem, RequestFileError

from .. import decisions as D
from .. import requestfile as R

FILE = "_file"  # errors of the whole file, not of one field

# Form fields of every task, named by the path they write in the request file, with
# the label the form shows (the only name a page gives a field).
LABELS: dict[str, Any] = {
    "answer.text": _l("Jawaban konsultasi"),
    "answer.by": _l("Dijawab oleh"),
    "answer.role": _l("Kedudukan penjawab"),
    "answer.date": _l("Tanggal jawaban"),
    "answer.approved_by": _l("Disetujui oleh"),
    "withdrawn": _l("Tanggal pencabutan"),
    "withdrawn_note": _l("Keterangan pencabutan"),
    "notice_received": _l("Tanggal pemberitahuan tertulis diterima pemohon"),
    "response.text": _l("Tanggapan"),
    "response.by": _l("Ditanggapi oleh"),
    "response.date": _l("Tanggal tanggapan"),
    "dispute.filed": _l("Tanggal sengketa didaftarkan di Komisi Informasi"),
    "dispute.case_no": _l("Nomor register sengketa"),
    "dispute.result": _l("Hasil penyelesaian sengketa"),
    "dispute.decided": _l("Tanggal putusan atau kesepakatan mediasi"),
    "register_no": _l("Nomor registrasi permohonan yang dilengkapi"),
    "disposition.to": _l("Didisposisikan kepada"),
    "disposition.note": _l("Catatan disposisi"),
    "disposition.by": _l("Pemberi disposisi"),
    "disposition.date": _l("Tanggal disposisi"),
    "received": _l("Waktu diterima"),
}


@dataclass
class Result:
    """What a task did: saved (path set), or refused with the reasons per form field."""

    path: Path | None = None
    errors: dict[str, list[str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # said to the user after a save

    @property
    def ok(self) -> bool:
        return self.path is not None and not self.errors

    def add(self, name: str, message: str) -> None:
        self.errors.setdefault(name, []).append(message)


class Refused(Exception):
    """A task's edit the check refused; carries the result to show."""

    def __init__(self, result: Result):
        super().__init__(result.errors)
        self.result = result


# --- values as typed -----------------------------------------------------------------------

_DMY = re.compile(r"^\s*(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})\s*$")


def parse_date(text: str | None) -> dt.date | None:
    """A date typed as 2027-01-20 (a date picker) or 20-01-2027 (dd-mm-yyyy); None when it is neither."""
    text = (text or "").strip()
    m = _DMY.match(text)
    try:
        if m:
            return dt.date(int(m[3]), int(m[2]), int(m[1]))
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return dt.date.fromisoformat(text)
    except ValueError:
        return None
    return None


def take_date(result: Result, name: str, text: str | None, today: dt.date, *, required: bool = True) -> dt.date | None:
    """The date typed in form field `name`, or None with the reason added to `result`."""
    if not (text or "").strip():
        if required:
            result.add(name, _("%(label)s wajib diisi.", label=LABELS[name]))
        return None
    day = parse_date(text)
    if day is None:
        result.add(name, _("%(label)s: tulis tanggal seperti 20-01-2027 atau pilih dari kalender.",
                           label=LABELS[name]))
        return None
    if day.year < 2000:
        result.add(name, _("%(label)s: periksa tahunnya.", label=LABELS[name]))
        return None
    if day > today:
        result.add(name, _("%(label)s tidak boleh sesudah hari ini (%(today)s).", label=LABELS[name],
                           today=long_date(today)))
        return None
    return day


def take_text(result: Result, name: str, text: str | None, *, required: bool = True,
              single: bool = False) -> str | None:
    """Text typed in form field `name` as the file keeps it, or None with the reason added to
    `result`. A `single` line (a name, a number) holds no line break of any kind."""
    from pipeline.loading import CONTROL_RE, MAX_TEXT  # what the loader refuses in any text field

    from ..forms import NOT_ONE_LINE

    if single and NOT_ONE_LINE.search((text or "").strip()):
        result.add(name, _("%(label)s hanya satu baris: hapus pindah baris atau karakter kendali yang tidak "
                           "terlihat (sering terbawa dari salinan).", label=LABELS[name]))
        return None

    # YAML reads NEL and the Unicode line and paragraph separators as line breaks: so do we
    value = re.sub("\r\n?|[\x85\u2028\u2029]", "\n", text or "").strip()
    if not value:
        if required:
            result.add(name, _("%(label)s wajib diisi.", label=LABELS[name]))
        return None
    import yaml

    if CONTROL_RE.search(value) or yaml.reader.Reader.NON_PRINTABLE.search(value):
        result.add(name, _("%(label)s berisi karakter kendali yang tidak terlihat (sering terbawa dari salinan); "
                           "ketik ulang teksnya.", label=LABELS[name]))
        return None
    if len(value) > MAX_TEXT:
        result.add(name, _("%(label)s terlalu panjang: %(n)s karakter, paling banyak %(max)s.", label=LABELS[name],
                           n=f"{len(value):,}".replace(",", "."), max=f"{MAX_TEXT:,}".replace(",", ".")))
        return None
    return value


MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
          "November", "Desember")


def long_date(day: dt.date | None) -> str:
    """20 Januari 2027."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}" if day else ""


def scalar(value: str) -> Any:
    """Text as the file keeps it: several lines as a block, one line plain."""
    return LiteralScalarString(value + "\n") if "\n" in value else value


def block(doc: CommentedMap, key: str) -> CommentedMap:
    """The mapping under `key`, made when absent (its comments kept when present)."""
    node = doc.get(key)
    if not isinstance(node, CommentedMap):
        node = CommentedMap()
        doc[key] = node
    return node


def put(node: CommentedMap, key: str, value: Any) -> None:
    """Set a key; None removes it."""
    if value is None:
        node.pop(key, None)
    else:
        node[key] = value


# --- the checked edit --------------------------------------------------------------------------


def dump(doc: CommentedMap) -> str:
    """The document as YAML, never with an anchor or alias: the loader refuses them, and the
    same date object put in two places would otherwise be written as one."""
    y = R.yaml_rt()
    y.representer.ignore_aliases = lambda data: True
    buf = io.StringIO()
    y.dump(doc, buf)
    return buf.getvalue()


def save_checked(path: Path, doc: CommentedMap, *, inbox: Path, today: dt.date, cfg, reg) -> list[Problem]:
    """Write `doc` over `path` when the batch's check accepts it; else the problems, and
    the file untouched. Missing requirements do not stop a save: they are the requester's."""
    with files.stage(path, dump(doc).encode("utf-8")) as staged:  # the one safe writer (pipeline.files)
        try:
            R.check(staged.path, inbox, today, cfg, reg, display=path.name)
        except RequestFileError as exc:
            return list(exc.problems)
        staged.commit()
        return []


OUTSIDE = _l("Berkas permohonan ini berada di luar folder kotak masuk desk (atau dicapai melalui tautan "
             "simbolik); desk tidak mengubahnya. Pindahkan berkasnya ke dalam kotak masuk desk lalu ulangi.")


def staff_name(result: Result, name: str, value: str | None, cfg) -> str | None:
    """`value` when it names one of the office's staff (config/office.yaml `staff:`, read as the
    letters read it: pipeline.letters.staff_member), else None with the reason added: a letter
    signs with this name, and "a.n." with that person's position."""
    from pipeline.letters import staff_member

    if value and staff_member(cfg, value) is None:
        result.add(name, _("%(label)s: pilih nama dari daftar pegawai kantor (staff di config/office.yaml); "
                           "nama lain tidak dapat menandatangani surat.", label=LABELS[name]))
        return None
    return value


def rel_path(desk, path: Path) -> str:
    try:
        return path.resolve().relative_to(desk.s.inbox_root.resolve()).as_posix()
    except ValueError:
        return str(path)


def edit(desk, path: Path, user: str, action: str, change: Callable[[CommentedMap], None], *,
         fields: tuple[str, ...], register_no: str | None = None, result: Result | None = None,
         check: Callable[[CommentedMap, Any], None] | None = None, **details: Any) -> Result:
    """One task's change of one request file: under the records lock, `check(doc, reg)`
    may refuse (raising Refused), `change(doc)` edits the document, the batch's check
    judges the edited text, and a `desk` event records it with the user's name."""
    result = result or Result()
    if result.errors:
        return result
    try:
        R.within(desk.s.inbox_root, path)
    except R.OutsideInbox:
        result.add(FILE, str(OUTSIDE))
        return result
    try:
        with desk.changing(user, action, file=rel_path(desk, path), register_no=register_no, **details) as (reg, _d):
            try:
                doc = R.load_rt(path)
            except (YAMLError, ValueError, OSError):
                result.add(FILE, _("Berkas permohonan ini tidak dapat dibaca; perbaiki dahulu di penyunting berkas."))
                raise Refused(result) from None
            if check is not None:
                check(doc, reg)
            change(doc)
            problems = save_checked(path, doc, inbox=D.inbox_of(path, desk.s.inbox_root), today=desk.today(),
                                    cfg=desk.cfg, reg=reg)
            if problems:
                explain(result, problems, fields, doc, desk.today())
                raise Refused(result)
    except Refused as exc:
        return exc.result
    result.path = path
    return result


def explain(result: Result, problems: list[Problem], fields: tuple[str, ...], doc: dict, today: dt.date) -> None:
    """Problems of the edited file, each at its form field and in the form's words; a
    problem outside the form's fields is one message pointing to the file editor."""
    other = False
    received = R.get_path(doc, "received")
    received = received.date() if isinstance(received, dt.datetime) else (
        received if isinstance(received, dt.date) else parse_date(str(received or "")[:10]))
    for p in problems:
        path = re.sub(r"\[\d+\]", "", p.path or "")
        if path not in fields:
            other = True
            continue
        label = LABELS.get(path, path)
        code = p.code.value
        if code == "order" and path in ("withdrawn",):
            msg = _("%(label)s harus di antara tanggal permohonan diterima (%(received)s) dan hari ini.",
                    label=label, received=long_date(received) if isinstance(received, dt.date) else "")
        elif code == "order" and path == "dispute.decided":
            msg = _("%(label)s tidak boleh sebelum tanggal sengketa didaftarkan.", label=label)
        elif code == "order":
            msg = _("%(label)s tidak boleh sebelum permohonan diterima (%(received)s).", label=label,
                    received=long_date(received) if isinstance(received, dt.date) else "")
        elif code == "future" or "after the processing date" in p.message:
            msg = _("%(label)s tidak boleh sesudah hari ini (%(today)s).", label=label, today=long_date(today))
        elif code == "missing":
            msg = _("%(label)s wajib diisi.", label=label)
        elif code == "reference":
            msg = _("%(label)s tidak ada dalam register; periksa nomor pada tanda bukti atau pemberitahuan.",
                    label=label)
        elif code == "range":
            msg = _("%(label)s di luar batas yang diperbolehkan.", label=label)
        else:
            msg = _("%(label)s tidak dapat diterima; periksa isiannya.", label=label)
        if msg not in result.errors.get(path, []):
            result.add(path, msg)
    if other:
        result.add(FILE, _("Berkas permohonan ini memiliki masalah di luar isian ini; perbaiki dahulu di "
                           "penyunting berkas."))
