"""The desk's forms as WTForms classes: what each field accepts, in one pass, with
messages from the catalog. A route gives the request's form to one of these and reads
back clean values; nothing parses form fields by hand."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import Form, PasswordField, StringField
from wtforms.validators import DataRequired, Length


class LoginForm(Form):
    username = StringField(_l("User name"), validators=[DataRequired(_l("Give your user name.")), Length(max=64)])
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Give your password.")), Length(max=256)])


# --- intake ------------------------------------------------------------------------------

import datetime as dt  # noqa: E402
import re  # noqa: E402
from types import SimpleNamespace  # noqa: E402

from flask_babel import gettext as _  # noqa: E402
from wtforms import BooleanField, SelectChoice, SelectField, SelectMultipleField, TextAreaField  # noqa: E402

from pipeline import model, requirements  # noqa: E402

from . import nik  # noqa: E402
from . import requestfile as R  # noqa: E402
from .labels import CHOICES, LABELS  # noqa: E402

TEXTAREAS = ("information", "text", "requester.address", "purpose")
# What a one-line field never holds: C0 and C1 controls (a line break, NEL U+0085), the Unicode
# line and paragraph separators (YAML reads all of these as line breaks: "a\nb: c" in a name
# would be a second key), and the bidi controls that show a name reversed.
NOT_ONE_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def one_line_problems(form: Form) -> dict[str, list[str]]:
    """The form's one-line fields (StringField, not TextAreaField) that hold a line break or
    another control character."""
    return {name: [_("This field is one line: remove the line break or the invisible control character "
                     "(often pasted with the text).")]
            for name, f in form._fields.items()
            if isinstance(f, StringField) and not isinstance(f, TextAreaField) and isinstance(f.data, str)
            and NOT_ONE_LINE.search(f.data)}
WHEN_FIELDS = ("received", "completed")
_WHEN_FORMS = ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H.%M", "%d-%m-%Y %H:%M", "%d-%m-%Y %H.%M",
               "%d/%m/%Y %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S")
_DAY_FORMS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y")


def parse_when(text: str) -> dt.datetime | None:
    """A time as a clerk types it or the picker sends it: 2027-01-20 14:22, 20-01-2027 14.22,
    2027-01-20T14:22; a day alone is that day at 00:00. None when it is none of these."""
    text = (text or "").strip()
    for f in _WHEN_FORMS + _DAY_FORMS:
        try:
            return dt.datetime.strptime(text, f)
        except ValueError:
            continue
    return None


def parse_day(text: str) -> dt.date | None:
    """A date as typed or picked: 2027-01-20 or 20-01-2027."""
    text = (text or "").strip()
    for f in _DAY_FORMS:
        try:
            return dt.datetime.strptime(text, f).date()
        except ValueError:
            continue
    return None


def _options(pairs, *, blank: bool = True) -> list[SelectChoice]:
    """A select's options as WTForms 3.3 wants them (tuples are deprecated), with a blank first."""
    return ([SelectChoice("", "—")] if blank else []) + [SelectChoice(value, label) for value, label in pairs]


def _unbound(path: str):
    label = LABELS.get(path, path)
    if path == "guest_book":
        return BooleanField(label)
    if path == "grounds":
        return SelectMultipleField(label, choices=_options(((g, g) for g in model.PASAL35_GROUNDS), blank=False), validate_choice=False)
    if path in CHOICES:
        return SelectField(label, choices=_options(CHOICES[path].items()), validate_choice=False)
    if path in TEXTAREAS:
        return TextAreaField(label)
    return StringField(label)


_CLASSES: dict[tuple, type] = {}


def required_fields(cfg, service: str, channel: str, kind: str = "individual") -> set[str]:
    """The fields the requirement table asks for on this kind of request (marked on the form)."""
    req = SimpleNamespace(service=service, channel=channel, requester=SimpleNamespace(kind=kind),
                          answer=None, letter=None, decision=None)
    codes = requirements.applicable(req, cfg)
    out = {R.REQUIREMENT_FIELD[c] for c in codes if c in R.REQUIREMENT_FIELD}
    if "identity_shown" in codes:
        out |= {"requester.identity.type", "requester.identity.number"}
    if "identity" in codes:
        out |= {"requester.name", "requester.kind"}
    if "contact" in codes:
        out |= {"requester.phone", "requester.email"}
    return out | {"received"}


class IntakeForm(Form):
    """A request as the clerk enters it. The fields depend on the service and the channel
    (requestfile.fields_for), so the class is made per pair; field names are the request
    file's paths."""

    service = channel = ""
    paths: list[str] = []

    @classmethod
    def for_pair(cls, service: str, channel: str, editing: bool = False) -> type:
        key = (service, channel, editing)
        if key not in _CLASSES:
            paths = [p for p in R.fields_for(service, channel) if p not in R.ATTACHMENT_ROLES]
            paths += ["completed"] if editing else []
            attrs = {"service": service, "channel": channel, "paths": paths,
                     "attachments": [p for p in R.fields_for(service, channel) if p in R.ATTACHMENT_ROLES],
                     "order": R.fields_for(service, channel) + (["completed"] if editing else [])}
            klass = type(f"IntakeForm_{service}_{channel}", (cls,), attrs)
            for p in paths:
                setattr(klass, p, _unbound(p))
            _CLASSES[key] = klass
        return _CLASSES[key]

    @classmethod
    def blank(cls, service: str, channel: str, cfg, *, now: dt.datetime) -> "IntakeForm":
        data = {"received": now.strftime("%Y-%m-%d %H:%M"), "requester.kind": "individual",
                "requester.identity.type": "ktp", "guest_book": channel == "walk_in",
                "addressed_to": cfg.addressee if channel != "walk_in" else ""}
        return cls.for_pair(service, channel)(data=data, cfg=cfg)

    @classmethod
    def posted(cls, service: str, channel: str, cfg, formdata, *, editing: bool = False) -> "IntakeForm":
        form = cls.for_pair(service, channel, editing)(formdata, cfg=cfg)
        form._confirm = formdata.get("confirm_warnings") == "1"
        return form

    @classmethod
    def from_document(cls, service: str, channel: str, cfg, doc, *, now: dt.datetime) -> "IntakeForm":
        klass = cls.for_pair(service, channel, True)
        data = {}
        for p in klass.paths:
            v = R.get_path(doc, p)
            data[p] = list(v) if p == "grounds" and isinstance(v, list) else R.form_value(doc, p)
        data["completed"] = data.get("completed") or now.strftime("%Y-%m-%d %H:%M")
        form = klass(data=data, cfg=cfg)
        form.document_attachments = {p: R.get_path(doc, p) for p in klass.attachments if R.get_path(doc, p)}
        return form

    def __init__(self, formdata=None, *, cfg=None, data=None):
        super().__init__(formdata, data=data)
        self.cfg = cfg
        self.warnings: dict[str, list[str]] = {}
        self._confirm = False
        self.config_dir = None  # for the office's NIK region list (config/desk.yaml)
        self.on_file: dict[str, str] = {}  # values the request file already holds: not doubted again
        self.document_attachments: dict[str, str] = {}
        self.required = required_fields(cfg, self.service, self.channel,
                                        self.value("requester.kind") or "individual") if cfg else set()

    def value(self, path: str):
        f = self._fields.get(path)
        if f is None:
            return None
        return f.data.strip() if isinstance(f.data, str) else f.data

    def received_at(self) -> dt.datetime | None:
        return parse_when(self.value("received") or "")

    def check(self, *, today: dt.date) -> dict[str, list[str]]:
        """Every problem of the form at once, by field path, in the desk's words; doubtful
        values that a clerk may confirm go to `warnings`."""
        errors: dict[str, list[str]] = {}

        def err(path, text):
            errors.setdefault(path, []).append(str(text))

        for path in WHEN_FIELDS:
            if path in self._fields and self.value(path):
                when = parse_when(self.value(path))
                if when is None:
                    err(path, _("Write the date and time like 20-01-2027 14.22, or pick them."))
                elif when.date() > today:
                    err(path, _("This is after today (%(today)s).", today=today.strftime("%d-%m-%Y")))
            elif path == "received":
                err(path, _("Give the date and time the request was received."))
        phone = self.value("requester.phone")
        if phone and not phone_ok(phone):
            err("requester.phone", _("This is not an Indonesian phone number; write it like 0812 3456 7890."))
        email = self.value("requester.email")
        if email and not requirements.EMAIL_RE.match(email):
            err("requester.email", _("This is not an e-mail address; write it like nama@contoh.id."))
        number = re.sub(r"[\s.-]", "", self.value("requester.identity.number") or "")
        if number and self.value("requester.identity.type") == "ktp":
            verdict = nik.check(number, nik.known_regions(self.config_dir))
            if verdict.error:
                err("requester.identity.number", verdict.error)
            elif verdict.doubts and not self.confirmed() and number != self.on_file.get("requester.identity.number"):
                self.warnings["requester.identity.number"] = verdict.doubts
        for path in self.paths:
            f = self._fields[path]
            if isinstance(f.data, str) and len(f.data) > 4000:
                err(path, _("This is too long (at most 4,000 characters)."))
        for path, messages in one_line_problems(self).items():
            errors.setdefault(path, []).extend(messages)
        return errors

    def confirmed(self) -> bool:
        return self._confirm

    def apply(self, doc, *, refused: dict | None = None, stand_in: dt.datetime | None = None) -> None:
        """The form's values into the request document (round-trip: other keys and
        comments stay). Times are written as the loader reads them. A time the form
        refused is replaced by `stand_in` (for a probe that finds the other problems)."""
        values = {}
        for path in self.paths:
            v = self._fields[path].data
            if path in WHEN_FIELDS:
                when = parse_when(v or "")
                if refused and path in refused and stand_in is not None:
                    when = stand_in
                v = when.strftime("%Y-%m-%d %H:%M") if when else (v or "")
            values[path] = v
        R.apply_form(doc, values, self.paths)


def phone_ok(text: str) -> bool:
    """An Indonesian number as people write it (0812…, +62 812…, 62812…), by phonenumbers."""
    import phonenumbers

    try:
        n = phonenumbers.parse(text, "ID")
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_valid_number(n)


# --- decisions ------------------------------------------------------------------------------

from .labels import ITEM_LABELS  # noqa: E402

ITEM_PARTS = ("status", "ground", "basis", "reason", "consequence", "consequence_test", "holder", "redact")


class DecisionForm(Form):
    """The PPID's decision on a request (items, extension), or the Atasan PPID's on an
    objection. Item fields are named item<N>.<part>; the class is made per item list."""

    by = StringField(LABELS["decision.by"])
    date = StringField(LABELS["decision.date"])
    extend_days = StringField(LABELS["decision.extend.days"])
    extend_reason = StringField(LABELS["decision.extend.reason"])
    result = SelectField(LABELS["decision.result"], choices=_options(CHOICES["decision.result"].items()),
                         validate_choice=False)
    reason = TextAreaField(LABELS["decision.reason"])
    numbers: tuple[int, ...] = ()

    @classmethod
    def for_items(cls, numbers: list[int]) -> type:
        key = ("decision", tuple(numbers))
        if key not in _CLASSES:
            klass = type("DecisionForm_" + "_".join(map(str, numbers)), (cls,), {"numbers": tuple(numbers)})
            for n in numbers:
                for part in ITEM_PARTS:
                    label = _l("Item %(n)s: %(part)s", n=n, part=ITEM_LABELS[part])
                    if part == "status":
                        f = SelectField(label, choices=_options(CHOICES["status"].items()), validate_choice=False)
                    elif part == "ground":
                        f = SelectField(label, choices=_options((g, g) for g in model.PASAL17_GROUNDS),
                                        validate_choice=False)
                    elif part in ("reason", "consequence"):
                        f = TextAreaField(label)
                    else:
                        f = StringField(label)
                    setattr(klass, f"item{n}.{part}", f)
            _CLASSES[key] = klass
        return _CLASSES[key]

    def item(self, n: int, part: str):
        return self._fields[f"item{n}.{part}"]

    def decided(self) -> dict[int, dict]:
        out = {}
        for n in self.numbers:
            status = self.item(n, "status").data
            if status in model.ITEM_STATUSES:
                vals = {p: (self.item(n, p).data or "").strip() or None for p in ITEM_PARTS if p != "redact"}
                vals["ground"] = vals["ground"] if status in ("exempt", "partial") else None
                vals["redact"] = [x.strip() for x in (self.item(n, "redact").data or "").split(",") if x.strip()]
                out[n] = vals
        return out

    def days(self) -> int | None:
        """The extension's working days, 1 to 7; None when not given or out of range."""
        text = (self.extend_days.data or "").strip()
        return int(text) if text.isdigit() and 1 <= int(text) <= 7 else None

    def day(self) -> dt.date | None:
        return parse_day(self.date.data or "")

    def check(self, *, objection: bool, today: dt.date) -> dict[str, list[str]]:
        """Every problem at once, by the form's field name, in the desk's words."""
        self.validate()
        errors: dict[str, list[str]] = {name: [str(e) for e in f.errors] for name, f in self._fields.items() if f.errors}

        def err(name, text):
            errors.setdefault(name, []).append(str(text))

        if not (self.by.data or "").strip():
            err("by", _("Give the name of the official who decides."))
        if not (self.date.data or "").strip():
            err("date", _("Give the date of the decision."))
        elif self.day() is None:
            err("date", _("Write the date like 20-01-2027, or pick it."))
        elif self.day() > today:
            err("date", _("This is after today (%(today)s).", today=today.strftime("%d-%m-%Y")))
        for n, vals in self.decided().items():
            if vals["status"] in ("exempt", "partial"):
                if not vals["ground"]:  # as the loader demands (UU 14/2008 Pasal 17)
                    err(f"item{n}.ground", _("Item %(n)s: choose the exemption ground (UU KIP Pasal 17).", n=n))
        days = self.days()
        if (self.extend_days.data or "").strip() and days is None:
            # UU 14/2008 Pasal 22 ayat (8): at most 7 working days more
            err("extend_days", _("An extension is 1 to 7 working days (UU KIP Pasal 22 ayat 8)."))
        if days and not (self.extend_reason.data or "").strip():
            err("extend_reason", _("Give the reason of the extension."))
        if objection:
            if self.result.data and self.result.data not in model.OBJECTION_RESULTS:
                err("result", _("Choose the result of the objection."))
            if not self.result.data:
                err("result", _("Choose the result of the objection."))
            if not (self.reason.data or "").strip():  # the response letter gives the Atasan PPID's reasons
                err("reason", _("Give the reason of the decision on the objection; the response letter states it."))
        elif not (self.decided() or days):
            err("_form", _("Decide at least one item, or give an extension."))
        for name, messages in one_line_problems(self).items():
            errors.setdefault(name, []).extend(messages)
        return errors
