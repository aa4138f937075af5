"""The desk's language: Indonesian by default, English when a user picks it (`?lang=en`,
kept in the session). Every string a page shows comes from the catalog in
pipeline/desk/translations (msgids in English, as the code is; `id` translates them).
Dates and times are shown the Indonesian way: 20 Januari 2027 14.22."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from babel.dates import format_date, format_datetime
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
    return babel


def _locale() -> str:
    loc = get_locale()
    return str(loc) if loc else DEFAULT


def _pattern(with_time: bool) -> str:
    base = "d MMMM y"
    if not with_time:
        return base
    return base + (" HH.mm" if _locale().startswith("id") else " HH:mm")


def when(value) -> str:
    """A time as people read it: '20 Januari 2027 14.22' (WITA); text is parsed first."""
    if value in (None, ""):
        return ""
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value.strip().replace(" ", "T", 1))
        except ValueError:
            try:
                value = dt.date.fromisoformat(value.strip()[:10])
            except ValueError:
                return value
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(WITA).replace(tzinfo=None)
        return format_datetime(value, _pattern(True), locale=_locale())
    if isinstance(value, dt.date):
        return format_date(value, _pattern(False), locale=_locale())
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
