"""What the register, statistics and export pages show, from the register book.

The book (register.parquet) holds no identity numbers, phones, e-mails or addresses. An
analyst sees it as the analysts' export does (pipeline.export.anonymise: names replaced
by pseudonyms, free text scrubbed); without a configured pseudonym key an analyst sees
neither names nor free text.
"""

from __future__ import annotations

from pathlib import Path


import pandas as pd
from flask_babel import lazy_gettext as _l

from pipeline import files

PER_PAGE = 50
SHOWN = ["register_no", "received_at", "service", "channel", "requester_kind", "subject", "status", "outcome",
         "due_date", "answered_at", "on_time"]


def _caches(desk) -> tuple[dict, dict, dict]:
    """This desk's caches (analyst view, sorted views, statistics), keyed by the book's version."""
    return desk.caches.setdefault("views", ({}, {}, {}))


def _analyst_book(desk) -> tuple[pd.DataFrame, str]:
    from pipeline import export as E
    from pipeline.errors import ConfigError

    _cache = _caches(desk)[0]
    book = desk.book()
    key = ("analyst", desk.book_version())
    if key in _cache:
        return _cache[key]
    try:
        settings = E.load_settings(desk.s.config)
        frame = E.anonymise(book, key=settings["pseudonym_key"], drop=settings["drop_columns"],
                            scrub=settings["scrub_columns"])
        for col in ("received_at", "due_date", "answered_at"):
            if col in frame:
                frame[col] = frame[col].astype("string").str.slice(0, 16)
        note = _l("Names are pseudonyms; personal data in free text is blacked out, as in the analysts' export.")
    except ConfigError as exc:
        frame = book.drop(columns=[c for c in ("requester_name", "requester_organization", "subject", "purpose",
                                               "source_file") if c in book])
        note = _l("Names and free text are hidden: the office has not set its own pseudonym key yet; "
                  "the administrator sets it (see the README).")
        del exc
    _cache.clear()
    _cache[key] = (frame, note)
    return frame, note


def _sorted(desk, role: str) -> tuple[pd.DataFrame, str]:
    """The book as the role sees it, newest first; computed once per version of the book."""
    _sorted_cache = _caches(desk)[1]
    book = desk.book()
    key = ("sorted", role, desk.book_version())
    if key not in _sorted_cache:
        frame, note = _analyst_book(desk) if role == "analyst" else (book, "")
        frame = frame.sort_values("register_no", ascending=False, key=_number_order)
        if len(_sorted_cache) > 4:
            _sorted_cache.clear()
        _sorted_cache[key] = (frame, note)
    return _sorted_cache[key]



def register_rows(desk, role: str, q: str, page: int, status: str) -> tuple[list[dict], int, str]:
    frame, note = _sorted(desk, role)
    who = "requester_pseudonym" if role == "analyst" else "requester_name"
    if status:
        frame = frame[frame["status"] == status]
    if q:
        hit = pd.Series(False, index=frame.index)
        for col in ("register_no", "subject", who, "requester_organization" if role != "analyst" else None):
            if col and col in frame:
                hit |= frame[col].astype("string").str.contains(q, case=False, regex=False).fillna(False)
        frame = frame[hit]
    total = len(frame)
    part = frame.iloc[(page - 1) * PER_PAGE: page * PER_PAGE]
    cols = [c for c in SHOWN + [who, "requester_organization"] if c in part]
    rows = []
    for rec in part[cols].to_dict("records"):
        rows.append({k: (None if pd.isna(v) else v) for k, v in rec.items()} | {"who": rec.get(who)})
    return rows, total, note


def _number_order(s: pd.Series) -> pd.Series:
    """0012/PPID/2026 after 0011/PPID/2026 and after 0450/PPID/2025: year, then number."""
    text = s.astype("string").fillna("")
    year = text.str.extract(r"(\d{4})\D*$")[0].fillna("0")
    seq = text.str.extract(r"^\D*(\d+)")[0].fillna("0")
    return year.str.zfill(4) + seq.str.zfill(8)


def statistics(desk, year: int) -> dict:
    _cache = _caches(desk)[2]
    book = desk.book()
    key = ("stats", desk.book_version(), year, desk.today())
    if len(_cache) > 8:
        _cache.clear()
    if key not in _cache:
        _cache[key] = desk.office.stats(year=year, book=book)  # as `ppid stats` counts
    return _cache[key]


def charts(r: dict) -> list[dict]:
    """Bar charts (drawn as SVG by the template): title and (label, value) pairs."""
    from .labels import CHOICES

    import datetime as dt

    from babel.dates import format_date
    from flask_babel import get_locale
    from flask_babel import gettext as _

    from .labels import OUTCOMES

    req, t = r["requests"], r["timeliness"]
    locale = str(get_locale() or "id")
    month = lambda m: format_date(dt.date(2000, int(m[5:7]), 1), "MMM", locale=locale)  # noqa: E731
    out = [
        {"title": _("Requests received per month"), "bars": [(month(m["month"]), m["received"]) for m in r["monthly"]]},
        {"title": _("Channel"), "bars": [(CHOICES["channel"].get(k, k), v) for k, v in req["by_channel"].items()]},
        {"title": _("Outcome of the decided requests"), "bars": [
            (OUTCOMES.get(k, k), v) for k, v in req["by_outcome"].items()]},
        {"title": _("Working days until the written notice"), "bars": [
            (k.replace("over_", ">"), v) for k, v in t["histogram"].items()]},
    ]
    for c in out:
        c["max"] = max([v for _, v in c["bars"]] + [1])
    return out


def export_file(desk, fmt: str) -> Path:
    from pipeline import export as E

    settings = E.load_settings(desk.s.config)
    folder = desk.s.records / ".desk" / "export"  # owner only, like the records
    files.make_dir(folder, 0o700)  # no link at it or above it (pipeline.files)
    return E.export_book(desk.book(), folder / f"register-export.{fmt}", fmt, key=settings["pseudonym_key"],
                         drop=settings["drop_columns"], scrub=settings["scrub_columns"])
