"""The desk's users, kept by the PPID: add, disable (or enable again), reset a password.
Each change is a `desk` event with the name of the PPID who made it (never the password)."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from pipeline.errors import UsageError

from .. import users as U
from .common import Result

ROLE_NAMES = {"clerk": _l("Petugas meja depan"), "ppid": _l("Pejabat PPID"), "analyst": _l("Analis"),
              "atasan_ppid": _l("Atasan PPID")}
FIELD_LABELS = {"name": _l("Nama pengguna"), "role": _l("Peran"), "password": _l("Kata sandi"),
                "password2": _l("Ulangi kata sandi")}


@dataclass
class UserForm:
    name: str = ""
    role: str = ""
    password: str = ""
    password2: str = ""


def listing(desk) -> list[dict]:
    return [{"name": n, "role": u.get("role"), "disabled": bool(u.get("disabled"))}
            for n, u in sorted(U.load(desk.s.users).items())]


def _password(r: Result, form: UserForm) -> None:
    if len(form.password or "") < U.MIN_PASSWORD:
        r.add("password", _("%(label)s sekurang-kurangnya %(n)s karakter.", label=FIELD_LABELS["password"],
                            n=U.MIN_PASSWORD))
    elif form.password != form.password2:
        r.add("password2", _("Kedua kata sandi tidak sama."))


def add_user(desk, form: UserForm, user: str) -> Result:
    r = Result()
    name = (form.name or "").strip().lower()
    if not U.NAME_RE.match(name):
        r.add("name", _("%(label)s: 2–32 huruf kecil, angka, titik, garis bawah atau tanda hubung, diawali huruf.",
                        label=FIELD_LABELS["name"]))
    elif name in U.load(desk.s.users):
        r.add("name", _("Pengguna %(name)s sudah ada; setel ulang kata sandinya bila perlu.", name=name))
    if form.role not in U.ROLES:
        r.add("role", _("Pilih peran pengguna."))
    _password(r, form)
    if r.errors:
        return r
    with desk.changing(user, "user_add", account=name, role=form.role):
        U.add(desk.s.users, name, form.role, form.password)
    r.path = desk.s.users
    return r


def set_disabled(desk, name: str, disabled: bool, user: str) -> Result:
    r = Result()
    if name == user and disabled:
        r.add("name", _("Anda tidak dapat menonaktifkan akun Anda sendiri."))
        return r
    try:
        with desk.changing(user, "user_disable" if disabled else "user_enable", account=name):
            U.set_disabled(desk.s.users, name, disabled)
    except UsageError:
        r.add("name", _("Pengguna %(name)s tidak ada.", name=name))
        return r
    r.path = desk.s.users
    return r


def reset_password(desk, name: str, form: UserForm, user: str) -> Result:
    r = Result()
    _password(r, form)
    if name not in U.load(desk.s.users):
        r.add("name", _("Pengguna %(name)s tidak ada.", name=name))
    if r.errors:
        return r
    with desk.changing(user, "user_password", account=name):
        U.set_password(desk.s.users, name, form.password)
    r.path = desk.s.users
    return r
