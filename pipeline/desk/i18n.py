"""The desk's language: Indonesian by default, English when a user picks it (`?lang=en`,
kept in the session). Every string a page shows comes from the catalog in
pipeline/desk/translations (msgids in English, as the code is; `id` translates them).
Dates and times are shown the Indonesian way: 20 Januari 2027 14.22."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from flask import current_app, request, session
from flask_babel import Babel, get_locale

from pipeline.loading import WITA

TRANSLATIONS = Path(__file__).parent / "translations"
LANGUAGES = ("id", "en")
DEFAULT = "id"


def select_locale() -> str:
    allowed = current_app.config.get("DESK_LANGUAGES", LANGUAGES)
    asked = request.args.get("lang")
    if asked in allowed:
        session["lang"] = asked
    lang = session.get("lang")
    return lang if lang in allowed else DEFAULT


def init(app) -> Babel:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT)
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(TRANSLATIONS))
    app.config.setdefault("BABEL_DEFAULT_TIMEZONE", "Asia/Makassar")  # WITA
    babel = Babel(app, locale_selector=select_locale)
    app.jinja_env.filters["when"] = when
    app.jinja_env.filters["day"] = day
    app.jinja_env.filters["short"] = short
    return babel


def _locale() -> str:
    loc = get_locale()
    return str(loc) if loc else DEFAULT


_MONTHS: dict[tuple[str, str], list[str]] = {}


def _month(locale: str, n: int, width: str) -> str:
    """A month's name from the locale's data, looked up once per locale (pages show hundreds of dates)."""
    key = (locale, width)
    if key not in _MONTHS:
        from babel import Locale

        names = Locale.parse(locale).months["format"][width]
        _MONTHS[key] = [""] + [names[i] for i in range(1, 13)]
    return _MONTHS[key][n]


def when(value) -> str:
    """A time as people read it: '20 Januari 2027 14.22' (WITA); text is parsed first."""
    if value in (None, ""):
        return ""
    if isinstance(value, str):
        try:
            text = value.strip()
            value = dt.date.fromisoformat(text) if len(text) == 10 else dt.datetime.fromisoformat(text.replace(" ", "T", 1))
        except ValueError:
            try:
                value = dt.date.fromisoformat(value.strip()[:10])
            except ValueError:
                return value
    loc = _locale()
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(WITA).replace(tzinfo=None)
        sep = "." if loc.startswith("id") else ":"
        return f"{value.day} {_month(loc, value.month, 'wide')} {value.year} {value.hour:02d}{sep}{value.minute:02d}"
    if isinstance(value, dt.date):
        return f"{value.day} {_month(loc, value.month, 'wide')} {value.year}"
    return str(value)


def day(value) -> str:
    """A date without its time: '20 Januari 2027'."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, str) and len(value) >= 10:
        try:
            value = dt.date.fromisoformat(value[:10])
        except ValueError:
            return value
    return when(value)


def short(value) -> str:
    """A date in a table column: '20 Jan 2027'."""
    if isinstance(value, str) and len(value) >= 10:
        try:
            value = dt.date.fromisoformat(value[:10])
        except ValueError:
            return value
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return f"{value.day} {_month(_locale(), value.month, 'abbreviated')} {value.year}"
    return "" if value in (None, "") else str(value)
