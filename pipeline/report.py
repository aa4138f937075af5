"""The annual report (Laporan Layanan Informasi Publik, Perki 1/2021 Pasal 56) as DOCX and PDF.

`build_report` computes the year's statistics (`stats.compute_year`), draws the charts
with matplotlib, fills ``templates/annual_report.docx`` (docxtpl; the office edits its
fixed text in Word) with `context`, and converts it with LibreOffice. Every Indonesian
label and sentence is in `pipeline.report_text` (or the template); this module computes
and draws. Every period the report states comes from the office's `deadlines` (config).

Only aggregates go in: counts, working days, register numbers of the oldest pending
requests and survey scores. No name, subject, contact or identity number of a
requester is read from the book (UU 27/2022).

Variables of the template (all strings already written the Indonesian way unless said):

- ``title`` (also the document's title property), ``year``, ``prev_year`` (int), ``date`` (report date, "15 Januari 2027"),
  ``issued_month`` ("Januari 2027"), ``as_of``, ``backlog_date``.
- ``d``: the office's periods (config ``deadlines``): notice, extension, extended
  (notice + extension), objection_window, objection_answer, commission, each in figures
  and words as `formatting.working_days_id` writes them; notice_short and extended_short
  in figures only ("<n> hari kerja").
- ``office``: name, short, address, city, ppid_name, ppid_name_upper, eppid,
  contact_line, logo (InlineImage or "").
- ``signatory``: title, office, name, nip.
- ``narrative``: facilities, staff (lists), budget (string: the office's ``report.budget``,
  else a sentence saying there is no data).
- Tables, each a list of rows ``{label, value, previous}`` unless said: ``summary``,
  ``by_channel``, ``by_service``, ``by_state``, ``by_kind``, ``outcomes``,
  ``timeliness_rows``, ``bands`` (+ pct), ``monthly`` ({month, previous, received,
  answered, on_time}), ``grounds`` ({letter, text, value}), ``missing`` ({label, value}),
  ``oldest`` ({register_no, service, received, due, state}), ``objection_grounds``
  ({letter, text, value}), ``objection_results`` ({label, value}); totals in ``totals``
  and ``monthly_total``.
- Sentences: ``channel_text``, ``incomplete_text``, ``backlog_text``,
  ``consultation_text``, ``complaint_text``, ``objection_text``, ``dispute_text``,
  ``lawsuit_text`` (lawsuits at court and their rulings), ``rulings_text`` (how Komisi
  Informasi and court rulings were carried out); lists ``obstacles``, ``recommendations``.
- ``s`` (received by service) and ``t`` (timeliness figures) for the summary sentence.
- ``survey``: None, or {respondents, index, ikm, grade, label, left_out, elements: [{code,
  name, nrr, weight, converted}]}.
- ``charts``: channels, monthly, outcomes, days, survey (InlineImage, or "" when absent).

The office's own text comes from ``report:`` in config/office.yaml (`narrative`):
facilities, staff, budget, disputes, lawsuits, rulings, obstacles, recommendations.
"""

from __future__ import annotations

import datetime as dt
import inspect
import io
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline import files
from pipeline import report_text as W
from pipeline import stats
from pipeline.errors import ConversionError, TemplateError
from pipeline.formatting import MONTHS, date_id
from pipeline.letters import CHANNEL_LABELS, DISPUTE_RESULT_LABELS, KIND_LABELS, OBJECTION_RESULT_LABELS, PASAL35
from pipeline.model import CHANNELS, REQUESTER_KINDS, SERVICES
from pipeline.report_text import DASH, dec, num, pct
from pipeline.wording import REPORT_DEADLINE

TEMPLATE = Path(__file__).resolve().parent.parent / "templates" / "annual_report.docx"
CHART_WIDTH_MM = 150
# A ruling the office must carry out: the requester won at the Komisi Informasi.
FOR_REQUESTER = ("granted", "partially_granted", "mediated")
_cap = W.cap


def _iso_id(iso: str | None) -> str:
    return date_id(dt.date.fromisoformat(iso)) if iso else DASH


# --- the context --------------------------------------------------------------------------


def _rows(now: dict, before: dict, keys, labels: dict) -> list[dict]:
    return [{"label": labels.get(k, k), "value": num(now.get(k, 0)),
             "previous": num(before.get(k, 0)) if before is not None else DASH} for k in keys]


def _survey_dict(survey) -> dict | None:
    if survey is None:
        return None
    return survey.to_dict() if hasattr(survey, "to_dict") else dict(survey)


def context(result: dict, year: int, *, office: dict, deadlines: Mapping[str, int] | Any,
            survey=None, as_of: dt.date, narrative: dict | None = None,
            requirement_titles: dict | None = None, lawsuits: dict | None = None) -> dict:
    """The template's variables from a `stats.compute_year` result (see the module doc).

    `deadlines` is the office's `Config.deadlines`; `lawsuits` the book's lawsuit record
    (`lawsuit_record`) or None when the book has no lawsuit columns.
    """
    narrative = dict(narrative or {})
    d = W.Days.of(deadlines)
    survey = _survey_dict(survey)
    office_ctx = _office(office)
    req, tim, back = result["requests"], result["timeliness"], result["backlog"]
    received, decided = req["received"], tim["decided"]
    titles = W.REQUIREMENT_TITLES | dict(requirement_titles or {})
    backlog_date = _iso_id(back["date"])
    survey_ctx = _survey_context(survey)
    election = _election(narrative.get("election"), year)
    internal, external, recommendations = W.findings(result, survey, year, titles, office_ctx["short"],
                                                     d, _iso_id, election)
    return {
        "title": W.title(year, office_ctx["short"]),
        "year": year, "prev_year": year - 1, "date": date_id(as_of),
        "issued_month": f"{MONTHS[as_of.month - 1]} {as_of.year}", "as_of": date_id(as_of),
        "backlog_date": backlog_date, "d": d.words(),
        "office": office_ctx, "signatory": _signatory(narrative.get("signatory"), office_ctx),
        "narrative": {"facilities": list(narrative.get("facilities") or W.FACILITIES),
                      "staff": list(narrative.get("staff") or W.STAFF),
                      "budget": W.budget_text(narrative.get("budget"))},
        "summary": _summary(result, survey_ctx),
        "s": {k: num(req["by_service"].get(k, 0)) for k in SERVICES} | {"received": num(received)},
        "t": {"decided_n": decided, "decided": num(decided), "on_time": num(tim["on_time"]),
              "on_time_pct": pct(tim["on_time_pct"]), "median": dec(tim["working_days"]["median"])},
        **_requests_context(result, year),
        "timeliness_rows": _timeliness_rows(result),
        "bands": _bands(tim, result.get("previous") or {}, d),
        "incomplete_text": W.incomplete_text(year, result["incomplete"], as_of),
        "missing": _missing(result["incomplete"], titles),
        "backlog_text": W.backlog_text(back, backlog_date), "oldest": _oldest(back),
        "consultation_text": W.consultation_text(year, result["consultations"]),
        "complaint_text": W.complaint_text(year, result["complaints"]),
        **_objections_context(result["objections"], year, d),
        **_rulings_context(result["disputes"], year, narrative, lawsuits, office_ctx["short"], d),
        "survey": survey_ctx,
        # Perki 1/2021 Pasal 56: obstacles internal and external; the office's own come first
        "obstacles": list(narrative.get("obstacles") or []) + internal,
        "obstacles_external": list(narrative.get("obstacles_external") or []) + external,
        "regime_text": W.regime_text(year, election),
        "responses_text": W.responses_text(year, narrative.get("responses")),
        "submission_text": REPORT_DEADLINE.format(deadline=date_id(dt.date(year + 1, 3, 31))),
        "recommendations": list(narrative.get("recommendations") or []) + recommendations,
    }


def _requests_context(result: dict, year: int) -> dict:
    """The requests' tables: by channel, service, state, requester kind, month and outcome, and the grounds."""
    req = result["requests"]
    prev = result.get("previous") or {}
    preq = prev.get("requests", {})
    received = req["received"]
    top = max(CHANNELS, key=lambda c: req["by_channel"].get(c, 0))
    pmonths = prev.get("monthly", [])
    monthly = []
    for i, m in enumerate(result["monthly"]):
        mm = int(m["month"][5:7])
        monthly.append({"month": MONTHS[mm - 1], "received": num(m["received"]),
                        "answered": num(m["answered"]), "on_time": num(m["on_time"]),
                        "previous": num(pmonths[i]["received"]) if i < len(pmonths) else DASH})
    monthly_total = {k: num(sum(m[k] for m in result["monthly"])) for k in ("received", "answered", "on_time")}
    monthly_total["previous"] = num(sum(m["received"] for m in pmonths))
    grounds = [{"letter": g, "text": _cap(W.PASAL17[g]), "value": num(n)}
               for g, n in result["grounds"].items() if n and g in W.PASAL17]
    return {
        "channel_text": W.channel_text(year, received, CHANNEL_LABELS[top], req["by_channel"].get(top, 0)),
        "by_channel": _rows(req["by_channel"], preq.get("by_channel", {}), CHANNELS,
                            {k: _cap(v) for k, v in CHANNEL_LABELS.items()}),
        "totals": {"value": num(received), "previous": num(preq.get("received"))},
        "by_service": _rows(req["by_service"], preq.get("by_service", {}), SERVICES, W.SERVICE_TITLES),
        "by_state": [{"label": W.STATE_LABELS[k], "value": num(req[k]), "previous": num(preq.get(k))}
                     for k in ("decided", "pending", "incomplete", "withdrawn")],
        "by_kind": _rows(req["by_requester_kind"], preq.get("by_requester_kind", {}),
                         REQUESTER_KINDS, {k: _cap(v) for k, v in KIND_LABELS.items()}),
        "monthly": monthly, "monthly_total": monthly_total,
        "outcomes": _rows(req["by_outcome"], preq.get("by_outcome", {}), W.OUTCOME_TITLES, W.OUTCOME_TITLES),
        "grounds": grounds or [{"letter": DASH, "text": W.NO_GROUNDS, "value": "0"}],
    }


def _timeliness_rows(result: dict) -> list[dict]:
    """How fast requests were decided, this year and the previous, and the notices' delivery."""
    tim = result["timeliness"]
    prev = result.get("previous") or {}
    ptim = prev.get("timeliness", {})
    wd, pwd = tim["working_days"], ptim.get("working_days", {})
    figures = [
        (num(tim["decided"]), num(ptim.get("decided"))),
        (dec(wd["median"]), dec(pwd.get("median"))),
        (dec(wd["mean"]), dec(pwd.get("mean"))),
        (num(wd["min"]), num(pwd.get("min"))),
        (num(wd["max"]), num(pwd.get("max"))),
        (_count_pct(tim["on_time"], tim["on_time_pct"]),
         _count_pct(ptim.get("on_time"), ptim.get("on_time_pct"))),
        (num(tim["late"]), num(ptim.get("late"))),
        (num(tim["extended"]), num(ptim.get("extended"))),
    ]
    rows = [(label, a, b) for label, (a, b) in zip(W.timeliness_labels(), figures)]
    dl, pdl = result.get("delivery") or {}, prev.get("delivery") or {}
    if dl:  # the notice's way to the requester (spec section 9): sent is not received (UU ITE Pasal 8)
        rows += [
            ("Pemberitahuan tertulis terkirim", _count_pct(dl["sent"], dl["sent_pct"]),
             _count_pct(pdl.get("sent"), pdl.get("sent_pct"))),
            ("Pemberitahuan tertulis tercatat diterima pemohon", _count_pct(dl["received"], dl["received_pct"]),
             _count_pct(pdl.get("received"), pdl.get("received_pct"))),
            ("Median hari kerja hingga pemberitahuan diterima", dec(dl["receipt_days"]["median"]),
             dec((pdl.get("receipt_days") or {}).get("median"))),
        ]
    return [{"label": a, "value": b, "previous": c} for a, b, c in rows]


def _bands(tim: dict, prev: dict, d) -> list[dict]:
    """Decided requests by how many working days they took, in the deadlines' bands."""
    decided = tim["decided"]
    ptim = prev.get("timeliness", {})
    return [{"label": W.band_title(k, d), "value": num(v),
             "previous": num(ptim.get("bands", {}).get(k)),
             "pct": pct(100.0 * v / decided) if decided else DASH}
            for k, v in tim["bands"].items()]


def _missing(inc: dict, titles: dict) -> list[dict]:
    """What incomplete requests lacked, by requirement."""
    missing = [{"label": _cap(titles.get(code, code.replace("_", " "))), "value": num(n)}
               for code, n in inc["by_missing"].items() if n]
    return missing or [{"label": W.NO_MISSING, "value": "0"}]


def _oldest(back: dict) -> list[dict]:
    """The oldest requests still open."""
    oldest = [{"register_no": o["register_no"], "service": W.SERVICE_TITLES.get(o["service"], o["service"]),
               "received": _iso_id(o["received"]), "due": _iso_id(o["due_date"]),
               "state": W.OVERDUE if o["overdue"] else W.IN_PROGRESS}
              for o in back["oldest"]]
    return oldest or [{"register_no": DASH, "service": W.NONE, "received": DASH, "due": DASH, "state": DASH}]


def _objections_context(obj: dict, year: int, d) -> dict:
    """Objections: the text, their grounds (UU KIP Pasal 35) and results."""
    grounds = [{"letter": g, "text": _cap(PASAL35[g]), "value": num(n)}
               for g, n in obj["by_ground"].items() if n and g in PASAL35]
    res = obj["by_result"]
    # every objection of the year is accounted for, the incomplete and withdrawn ones too
    results = [
        {"label": _cap(OBJECTION_RESULT_LABELS["overturned"]), "value": num(res.get("overturned", 0))},
        {"label": _cap(OBJECTION_RESULT_LABELS["upheld"]), "value": num(res.get("upheld", 0))},
        {"label": _cap(OBJECTION_RESULT_LABELS.get("inadmissible", W.INADMISSIBLE)),
         "value": num(res.get("inadmissible", 0))},
        {"label": W.NOT_ANSWERED, "value": num(obj["pending"])},
        {"label": W.STATE_LABELS["incomplete"], "value": num(obj.get("incomplete", 0))},
        {"label": W.STATE_LABELS["withdrawn"], "value": num(obj.get("withdrawn", 0))},
    ]
    return {"objection_text": W.objection_text(year, obj, d),
            "objection_grounds": grounds or [{"letter": DASH, "text": W.NO_OBJECTIONS, "value": "0"}],
            "objection_results": results}


def _rulings_context(dis: dict, year: int, narrative: dict, lawsuits: dict | None, short: str, d) -> dict:
    """Disputes at the Komisi Informasi, lawsuits, and how rulings for the requester were carried out."""
    owed = sum(n for k, n in dis["by_result"].items() if k in FOR_REQUESTER)
    owed += sum(n for k, n in (lawsuits or {}).get("by_result", {}).items() if k in FOR_REQUESTER)
    return {"dispute_text": W.dispute_text(year, narrative.get("disputes"), dis, DISPUTE_RESULT_LABELS, d),
            "lawsuit_text": W.lawsuit_text(year, narrative.get("lawsuits"), lawsuits),
            "rulings_text": W.rulings_text(year, narrative.get("rulings"), owed, short)}


def _survey_context(survey: dict | None) -> dict | None:
    """The survey's index (IKM) and its elements, as the report prints them; None without a survey."""
    if not survey:
        return None
    return {
        "respondents": num(survey["respondents"]), "index": dec(survey["index"], 4),
        "ikm": dec(survey["ikm"], 2), "grade": survey["grade"], "label": survey["label"],
        "left_out": W.survey_left_out(len(survey.get("bad_rows") or [])),
        "elements": [{"code": e["code"], "name": e["name"], "nrr": dec(e["nrr"], 2),
                      "weight": dec(e["weight"], 3), "converted": dec(e["converted"], 2)}
                     for e in survey["elements"]],
    }


def _summary(result: dict, survey_ctx: dict | None) -> list[dict]:
    """The summary table: the year's main figures beside the previous year's."""
    req, tim, back, obj = result["requests"], result["timeliness"], result["backlog"], result["objections"]
    prev = result.get("previous") or {}
    preq, ptim = prev.get("requests", {}), prev.get("timeliness", {})
    figures = [
        (num(req["received"]), num(preq.get("received"))),
        (num(tim["received"]), num(ptim.get("received"))),
        (num(tim["decided"]), num(ptim.get("decided"))),
        (_count_pct(tim["on_time"], tim["on_time_pct"]),
         _count_pct(ptim.get("on_time"), ptim.get("on_time_pct"))),
        (dec(tim["working_days"]["median"]), dec(ptim.get("working_days", {}).get("median"))),
        (num(back["pending"]), num(prev.get("backlog", {}).get("pending"))),
        (num(obj["received"]), num(prev.get("objections", {}).get("received"))),
    ]
    summary = [(label, a, b) for label, (a, b) in zip(W.summary_labels(), figures)]
    if survey_ctx:
        summary.append((W.SURVEY_LABEL, f"{survey_ctx['ikm']} ({survey_ctx['grade']})", DASH))
    return [{"label": a, "value": b, "previous": c} for a, b, c in summary]


def _signatory(sign: dict | None, office_ctx: dict) -> dict:
    """Who signs the report: the office's `report.signatory`, else the PPID by title."""
    sign = dict(sign or {})
    return {
        "title": sign.get("title") or office_ctx["ppid_name"],
        "office": sign.get("office") or office_ctx["name"].title(),
        "name": sign.get("name") or "", "nip": sign.get("nip") or "",
    }


def _election(value, year: int) -> dict | None:
    """The election stages that touch `year` and their periods ({names, notice, extension}),
    from `narrative["election"]` = {periods: [{name, from, to}], notice, extension}."""
    if not value:
        return None
    names = [p["name"] for p in value.get("periods") or []
             if p["from"].year <= year <= p["to"].year]
    if not names:
        return None
    return {"names": names, "notice": int(value["notice"]), "extension": int(value["extension"])}


def responses_record(book: pd.DataFrame, year: int) -> dict | None:
    """Objections of `year` the Atasan PPID overturned, and how many were carried out: the
    request they reopened is answered again (a new written notice; until then it is `review`)."""
    need = {"service", "objection_result", "objection_to", "answered_at", "received_at", "register_no"}
    if not need <= set(book.columns) or book.empty:
        return None
    rows = book[(book["service"].astype("string") == "objection")
                & (book["objection_result"].astype("string") == "overturned")
                & (book["received_at"].astype("string").str[:4] == str(year))]
    by_no = book.set_index(book["register_no"].astype("string"))
    done = 0
    for _, r in rows.iterrows():
        target = str(r["objection_to"] or "")
        if target in by_no.index:
            status = by_no.loc[target, "status"]
            done += str(status.iloc[0] if isinstance(status, pd.Series) else status) == "answered"
    return {"overturned": int(len(rows)), "carried_out": done}


def _count_pct(count, percent) -> str:
    if count is None:
        return DASH
    return f"{num(count)} ({pct(percent)})" if percent is not None else num(count)


def _office(office: dict) -> dict:
    o = {k: ("" if v is None else v) for k, v in (office or {}).items()}
    name = o.get("name") or "KOMISI PEMILIHAN UMUM PROVINSI NUSA TENGGARA TIMUR"
    ppid = o.get("ppid_name") or "Pejabat Pengelola Informasi dan Dokumentasi"
    contact = [f"WhatsApp {o['whatsapp']}" if o.get("whatsapp") else "",
               f"Telepon {o['phone']}" if o.get("phone") else "",
               f"Pos-el {o['email']}" if o.get("email") else "",
               f"Laman {o['website']}" if o.get("website") else ""]
    return {
        "name": name, "short": o.get("short") or "KPU Provinsi Nusa Tenggara Timur",
        "address": o.get("address") or "", "city": o.get("city") or "Kupang",
        "ppid_name": ppid, "ppid_name_upper": ppid.upper(),
        "eppid": o.get("eppid") or "e-PPID", "contact_line": "   ".join(c for c in contact if c),
        "logo": o.get("logo") or "",
    }


# --- charts -------------------------------------------------------------------------------

RED, GREY, AMBER, GREEN = "#9B1C1C", "#9AA5B1", "#D97706", "#2F7D4A"


def draw_charts(result: dict, survey, folder: Path, year: int,
                deadlines: Mapping[str, int] | Any) -> dict[str, Path]:
    """PNG charts of the figures, labelled in Indonesian (`report_text.chart_text`); the
    survey chart only with a survey. The day chart's lines sit at the configured notice
    and extended deadlines."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    d = W.Days.of(deadlines)
    txt = W.chart_text(year, d)
    plt.rcParams.update({"font.size": 9, "axes.spines.top": False, "axes.spines.right": False,
                         "axes.titleweight": "bold", "axes.titlesize": 10})
    folder.mkdir(parents=True, exist_ok=True)
    req = result["requests"]
    prev = result.get("previous") or {}
    charts = [("channels", lambda: _channels_chart(plt, req["by_channel"], txt)),
              ("monthly", lambda: _monthly_chart(plt, result["monthly"], prev.get("monthly", []), txt)),
              ("outcomes", lambda: _outcomes_chart(plt, req["by_outcome"], txt)),
              ("days", lambda: _days_chart(plt, result["timeliness"].get("histogram") or {}, d, txt))]
    if survey:
        charts.append(("survey", lambda: _survey_chart(plt, survey, txt)))
    out: dict[str, Path] = {}
    for name, draw in charts:  # one figure at a time: each is closed once saved
        fig = draw()
        out[name] = folder / f"{name}.png"
        fig.tight_layout()
        fig.savefig(out[name], dpi=200)
        plt.close(fig)
    return out


def _hbars(ax, labels, values, color) -> None:
    """Horizontal bars, each with its count beside it."""
    from matplotlib.ticker import MaxNLocator

    ypos = range(len(labels))[::-1]
    ax.barh(list(ypos), values, color=color, height=0.6)
    ax.set_yticks(list(ypos), labels)
    top = max(values) if values and max(values) > 0 else 1
    ax.set_xlim(0, top * 1.15)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    for y, v in zip(ypos, values):
        ax.text(v + top * 0.01, y, num(v), va="center", fontsize=8.5)


def _channels_chart(plt, by_channel: dict, txt: dict):
    fig, ax = plt.subplots(figsize=(6.3, 2.6))
    _hbars(ax, [_cap(CHANNEL_LABELS[c]) for c in CHANNELS], [by_channel.get(c, 0) for c in CHANNELS], RED)
    ax.set_xlabel(txt["channels_x"])
    ax.set_title(txt["channels_title"])
    return fig


def _monthly_chart(plt, months: list, previous: list, txt: dict):
    """Requests per month against the previous year."""
    from matplotlib.ticker import MaxNLocator

    fig, ax = plt.subplots(figsize=(6.3, 2.9))
    xs = range(len(months))
    ax.bar(xs, [m["received"] for m in months], color=RED, width=0.65, label=txt["monthly_year"])
    if previous:
        ax.plot(list(xs)[:len(previous)], [m["received"] for m in previous][:len(months)], color=GREY,
                marker="o", markersize=3.5, linewidth=1.5, label=txt["monthly_prev"])
    ax.set_xticks(list(xs), [W.MONTH_SHORT[int(m["month"][5:7]) - 1] for m in months])
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylabel(txt["monthly_y"])
    ax.set_title(txt["monthly_title"])
    ax.legend(frameon=False, fontsize=8)
    return fig


def _outcomes_chart(plt, by_outcome: dict, txt: dict):
    """Outcomes of information requests."""
    fig, ax = plt.subplots(figsize=(6.3, 2.2))
    _hbars(ax, list(W.OUTCOME_TITLES.values()), [by_outcome.get(k, 0) for k in W.OUTCOME_TITLES], RED)
    ax.set_xlabel(txt["outcomes_x"])
    ax.set_title(txt["outcomes_title"])
    return fig


def _days_chart(plt, hist: dict, d, txt: dict):
    """Working days against the notice line (UU KIP Pasal 22 ayat 7) and the extended one."""
    from matplotlib.ticker import MaxNLocator

    fig, ax = plt.subplots(figsize=(6.3, 2.9))
    days = [(int(k), v) for k, v in hist.items() if k.isdigit()]
    over_keys = [k for k in hist if not k.isdigit()]
    over = sum(hist[k] for k in over_keys)
    top_day = max([day for day, _ in days] + [d.extended + 1])
    xs = list(range(top_day + 1))
    counts = dict(days)
    colors = [GREEN if x <= d.notice else AMBER if x <= d.extended else RED for x in xs]
    ax.bar(xs, [counts.get(x, 0) for x in xs], color=colors, width=0.8)
    if over:
        ax.bar([top_day + 1.5], [over], color=RED, width=0.8)
        ax.text(top_day + 1.5, over, ">" + over_keys[0].rsplit("_", 1)[-1], ha="center",
                va="bottom", fontsize=7)
    ax.axvline(d.notice + 0.5, color="black", linestyle="--", linewidth=1.1)
    ax.axvline(d.extended + 0.5, color="black", linestyle=":", linewidth=1.1)
    ymax = max([counts.get(x, 0) for x in xs] + [over, 1])
    ax.set_ylim(0, ymax * 1.25)
    ax.text(d.notice + 0.35, ymax * 1.18, txt["days_notice"], ha="right", va="top", fontsize=7.5)
    ax.text(d.extended + 0.65, ymax * 1.18, txt["days_extended"], ha="left", va="top",
            fontsize=7.5)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xticks(range(0, top_day + 1, 1 if top_day <= 20 else 2))
    ax.set_xlim(-0.7, top_day + (2.3 if over else 0.7))
    ax.set_xlabel(txt["days_x"])
    ax.set_ylabel(txt["days_y"])
    ax.set_title(txt["days_title"])
    return fig


def _survey_chart(plt, survey: dict, txt: dict):
    """The survey's index per element, against the grade lines."""
    elements = survey["elements"]
    fig, ax = plt.subplots(figsize=(6.3, 3.4))
    labels = [f"{e['code']} {e['name']}" for e in elements]
    values = [e["converted"] for e in elements]
    ypos = list(range(len(labels)))[::-1]
    ax.barh(ypos, values, color=RED, height=0.6)
    ax.set_yticks(ypos, labels, fontsize=8)
    ax.set_xlim(25, 100)
    ax.axvline(88.31, color=GREEN, linestyle="--", linewidth=1, label=txt["survey_a"])
    ax.axvline(76.61, color=AMBER, linestyle=":", linewidth=1.2, label=txt["survey_b"])
    ax.legend(frameon=False, fontsize=7, loc="lower left", bbox_to_anchor=(0, -0.32), ncol=2)
    for y, v in zip(ypos, values):
        ax.text(min(v, 100) - 1, y, dec(v, 2), va="center", ha="right", fontsize=7.5,
                color="white")
    ax.set_xlabel(txt["survey_x"])
    ax.set_title(W.survey_title(survey["ikm"], survey["grade"]))
    return fig


# --- lawsuits -----------------------------------------------------------------------------

LAWSUIT_COLUMNS = ("lawsuit_filed", "lawsuit_decided", "lawsuit_result")


def _days(book: pd.DataFrame, column: str) -> pd.Series:
    """A date column as naive timestamps (NaT where empty or missing)."""
    if column not in book.columns:
        return pd.Series(pd.NaT, index=book.index, dtype="datetime64[ns]")
    out = pd.to_datetime(book[column].astype("string"), errors="coerce")
    return out.dt.tz_localize(None) if out.dt.tz is not None else out


def lawsuit_record(book: pd.DataFrame, year: int, as_of: dt.date) -> dict | None:
    """Lawsuits at court over a Komisi Informasi ruling (Perki 1/2021 Pasal 56), by the date
    they were filed: {filed, pending, by_result}; None when the book has no lawsuit columns
    (then the office's narrative `report.lawsuits` is used)."""
    if "lawsuit_filed" not in book.columns:
        return None
    filed = _days(book, "lawsuit_filed")
    start = pd.Timestamp(year, 1, 1)
    end = pd.Timestamp(min(dt.date(year, 12, 31), as_of))
    in_year = filed.notna() & (filed >= start) & (filed <= end)
    result = (book["lawsuit_result"].astype("string").fillna("") if "lawsuit_result" in book.columns
              else pd.Series("", index=book.index))
    decided_at = _days(book, "lawsuit_decided")
    decided = in_year & (result != "") & (decided_at.isna() | (decided_at <= pd.Timestamp(as_of)))
    return {"filed": int(in_year.sum()), "pending": int((in_year & ~decided).sum()),
            "by_result": {str(k): int(v) for k, v in result[decided].value_counts().items()}}


# --- building -----------------------------------------------------------------------------


def build_report(
    book: pd.DataFrame,
    year: int,
    out_dir: Path,
    *,
    office: dict,
    deadlines: Mapping[str, int] | Any,
    survey=None,
    as_of: dt.date,
    template: Path | None = None,
    narrative: dict | None = None,
    requirement_titles: dict | None = None,
    calendar: stats.WorkingDays | None = None,
    pdf: bool = True,
) -> tuple[Path, Path | None]:
    """Write ``laporan-layanan-informasi-publik-<year>.docx`` and ``.pdf`` in `out_dir`.

    `deadlines` is the office's `Config.deadlines`: every period the report states, its
    day bands and chart lines follow it. `survey` is a `survey.SurveyResult`, its dict, or
    None (the chapter says the survey is not available). `narrative` may carry the office's
    own text (``report:`` in config/office.yaml): facilities, staff (lists), budget (a
    paragraph; without it the report says there is no data), disputes and lawsuits (a
    count or a sentence), rulings (how rulings were carried out, a sentence), obstacles,
    recommendations (lists, put before those read off the figures), signatory ({title,
    office, name, nip}). `requirement_titles` maps requirement codes to their titles
    (config/requirements.yaml). With ``pdf=False`` the second path is None.
    """
    result = _compute_year(book, year, as_of, calendar, deadlines)
    out_dir = Path(out_dir)
    files.make_dir(out_dir, None)  # no link at any folder on the way (pipeline.files)
    survey_d = _survey_dict(survey)
    docx = out_dir / f"laporan-layanan-informasi-publik-{year}.docx"
    ctx = context(result, year, office=office, deadlines=deadlines, survey=survey_d,
                  as_of=as_of, narrative={"responses": responses_record(book, year), **(narrative or {})},
                  requirement_titles=requirement_titles, lawsuits=lawsuit_record(book, year, as_of))
    with tempfile.TemporaryDirectory(prefix="ppid-report-") as tmp:
        charts = draw_charts(result, survey_d, Path(tmp), year, deadlines)
        _render(Path(template) if template else TEMPLATE, ctx, charts, docx)
    if not pdf:
        return docx, None
    return docx, _to_pdf(docx, out_dir)


def _compute_year(book, year, as_of, calendar, deadlines) -> dict:
    """`stats.compute_year`, with the office's deadlines where stats takes them (the
    register book's bands are cut there)."""
    if "deadlines" in inspect.signature(stats.compute_year).parameters:
        return stats.compute_year(book, year, as_of, calendar, deadlines=deadlines)
    return stats.compute_year(book, year, as_of, calendar)


def _render(template: Path, ctx: dict, charts: dict[str, Path], dest: Path) -> Path:
    """Fill the template (sandboxed, autoescaped, undefined variables are errors)."""
    import jinja2
    from docx.shared import Mm
    from docxtpl import DocxTemplate, InlineImage
    from jinja2.sandbox import SandboxedEnvironment

    if not template.is_file():
        raise TemplateError(f"{template}: report template not found; restore the stock "
                            "templates/annual_report.docx")
    tpl = DocxTemplate(io.BytesIO(template.read_bytes()))
    ctx = dict(ctx)
    ctx["charts"] = {name: "" for name in ("channels", "monthly", "outcomes", "days", "survey")}
    for name, path in charts.items():
        ctx["charts"][name] = InlineImage(tpl, str(path), width=Mm(CHART_WIDTH_MM))
    logo = ctx["office"].get("logo")
    ctx["office"] = dict(ctx["office"])
    ctx["office"]["logo"] = InlineImage(tpl, str(logo), height=Mm(30)) \
        if logo and Path(logo).is_file() else ""
    env = SandboxedEnvironment(autoescape=True, undefined=jinja2.StrictUndefined)
    try:
        tpl.render(ctx, env, autoescape=True)
    except jinja2.UndefinedError as exc:
        raise TemplateError(f"{template}: {exc.message}; the report gives no such variable "
                            "(see pipeline/report.py)") from None
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(f"{template}: template error near line {exc.lineno}: "
                            f"{exc.message}; check the {{{{ }}}} and {{% %}} tags in Word") from None
    props = tpl.docx.core_properties
    props.title, props.subject = ctx["title"], "Laporan Layanan Informasi Publik"
    props.author = props.last_modified_by = f"PPID {ctx['office']['short']}"
    from pipeline import files

    return files.write(dest, tpl.save)


def _to_pdf(docx: Path, out_dir: Path) -> Path:
    from pipeline.pdf import convert_to_pdf

    [res] = convert_to_pdf([docx], out_dir, per_doc_timeout=120.0)
    if res.error or res.pdf is None:
        raise ConversionError(f"{docx}: PDF conversion failed: {res.error}")
    return res.pdf
