"""The `ppid` command: parse options, call one core function, print, map errors to exit codes."""

from __future__ import annotations

import datetime as dt
import functools
import json
import sys
import time
from collections import Counter
from pathlib import Path

import click

from pipeline.errors import ExitCode, PpidError

EXIT_HELP = """Exit codes: 0 all went through; 1 some requests were incomplete, rejected or
failed (the batch still finished the rest); 2 bad usage or bad config."""


def today_wita() -> dt.date:
    from pipeline.loading import WITA
    return dt.datetime.now(WITA).date()


def common(fn):
    """--config, --records and --date, which every command takes (spec section 7)."""
    @click.option("--config", "config_dir", type=click.Path(path_type=Path), default=Path("config"),
                  show_default=True, help="Folder of the office's rules.")
    @click.option("--records", "records_dir", type=click.Path(path_type=Path), default=Path("records"),
                  show_default=True, help="Folder of the register.")
    @click.option("--date", "date", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
                  help="Processing date YYYY-MM-DD [default: today in Asia/Makassar].")
    @functools.wraps(fn)
    def wrapper(*args, date=None, **kwargs):
        kwargs["date"] = date.date() if date else today_wita()
        try:
            return fn(*args, **kwargs)
        except PpidError as exc:
            click.echo(f"Error: {exc}", err=True)
            sys.exit(int(exc.exit_code))
    return wrapper


@click.group(epilog=EXIT_HELP, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="ppid")
def main():
    """Records pipeline for the PPID of KPU Provinsi Nusa Tenggara Timur."""
    import os
    os.umask(0o077)  # records and letters hold personal data: owner only (UU 27/2022)


class Progress:
    """A one-line progress bar with rate and time left, on stderr when it is a terminal."""

    def __init__(self, total: int, enabled: bool):
        self.total, self.done, self.start = total, 0, time.monotonic()
        self.enabled = enabled and total > 1

    def __call__(self, n: int) -> None:
        self.done += n
        if not self.enabled:
            return
        elapsed = time.monotonic() - self.start
        rate = self.done / elapsed if elapsed else 0.0
        left = (self.total - self.done) / rate if rate else 0.0
        width = 30
        fill = int(width * self.done / self.total)
        click.echo(f"\r[{'#' * fill}{'.' * (width - fill)}] {self.done}/{self.total} "
                   f"{rate:5.1f} files/s, {left:4.0f} s left", err=True, nl=False)
        if self.done >= self.total:
            click.echo("", err=True)


@main.command()
@click.argument("inbox", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--out", type=click.Path(path_type=Path), default=Path("out"), show_default=True,
              help="Folder for the letters (DOCX and PDF).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per request file (JSON Lines).")
@click.option("--no-pdf", is_flag=True, help="Fill the DOCX letters only; skip LibreOffice and stamping.")
@click.option("--templates", type=click.Path(path_type=Path), default=Path("templates"), show_default=True,
              help="Folder of the letter templates.")
@click.option("--workers", type=click.IntRange(1, 8), default=2, show_default=True,
              help="LibreOffice processes converting in parallel.")
@common
def run(inbox, out, as_json, no_pdf, templates, workers, config_dir, records_dir, date):
    """Process every request file in INBOX: check, register, decide, write letters."""
    from pipeline.batch import Batch, find_request_files
    from pipeline.config import load_config
    from pipeline.register import Register, private_mkdir

    cfg = load_config(config_dir)
    files = find_request_files(inbox)
    reg = Register(records_dir, numbering=cfg.numbering)
    counts, letters, failed, lines = Counter(), Counter(), False, []
    private_mkdir(out)
    with reg.locked():
        for stale in out.rglob(".*.tmp"):  # half-written by a run that was killed
            stale.unlink(missing_ok=True)
        batch = Batch(cfg, reg, today=date, out=out, templates=templates, pdf=not no_pdf, workers=workers)
        progress = Progress(len(files), enabled=sys.stderr.isatty() and not as_json)
        for result in batch.run(files, inbox, progress=progress):
            failed |= result.failed
            counts[result.status] += 1
            for j in result.jobs:
                letters[j.kind] += 1
            if as_json:
                click.echo(json.dumps(result.to_json(), ensure_ascii=False))
            else:
                lines.append(result)
        csv_path, pq_path = reg.write_book(cfg.calendar, cfg.deadlines)
    if not as_json:
        _summary(lines, counts, letters, out, csv_path, pq_path, date)
    sys.exit(int(ExitCode.SOME_FAILED if failed else ExitCode.OK))


def _summary(results, counts, letters, out, csv_path, pq_path, date):
    click.echo(f"ppid run — processing date {date}, {len(results)} request file(s)")
    for r in results:
        if r.status == "rejected_file":
            click.echo(f"  REJECTED  {r.error}")
            continue
        extra = f" missing: {', '.join(r.missing)}" if r.missing else ""
        extra += f" outcome: {r.outcome}" if r.outcome else ""
        extra += f" due {r.due}" if r.due else ""
        extra += " (unchanged)" if r.unchanged else ""
        click.echo(f"  {r.status:<11} {r.register_no:<16} {r.file}{extra}")
        for w in r.warnings:
            click.echo(f"              warning: {w}")
        for j in r.jobs:
            if j.error:
                click.echo(f"              letter {j.kind} failed: {j.error}")
    click.echo("Status: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    click.echo("Letters: " + (", ".join(f"{k} {v}" for k, v in sorted(letters.items())) or "none new") + f" → {out}/")
    click.echo(f"Register: {csv_path} and {pq_path}")


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="JSON Lines output.")
@common
def validate(files, as_json, config_dir, records_dir, date):
    """Check request FILES against the format and the requirements; write nothing."""
    from pipeline import requirements
    from pipeline.config import load_config
    from pipeline.errors import RequestFileError
    from pipeline.loading import load_request

    cfg = load_config(config_dir)
    failed = False
    for f in files:
        if f.is_dir():
            from pipeline.batch import find_request_files
            paths, inbox = find_request_files(f), f
        else:
            paths, inbox = [f], f.parent
        for path in paths:
            try:
                req = load_request(path, inbox, date)
            except RequestFileError as exc:
                failed = True
                line = {"file": str(path), "status": "rejected_file", "error": str(exc)}
            else:
                fails = requirements.check(req, cfg)
                failed |= bool(fails)
                line = {"file": str(path), "status": "incomplete" if fails else "ok",
                        "missing": [x.code for x in fails],
                        "details": {x.code: x.detail for x in fails}}
            if as_json:
                click.echo(json.dumps(line, ensure_ascii=False))
            elif line["status"] == "rejected_file":
                click.echo(f"REJECTED {line['error']}")
            elif line["status"] == "incomplete":
                click.echo(f"INCOMPLETE {path}: " + "; ".join(f"{k}: {v}" for k, v in line["details"].items()))
            else:
                click.echo(f"OK {path}")
    sys.exit(int(ExitCode.SOME_FAILED if failed else ExitCode.OK))


@main.command()
@click.argument("pdf", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@common
def verify(pdf, config_dir, records_dir, date):
    """Check a letter's verification code against the register."""
    from pipeline import pdf as P
    from pipeline.register import Register

    stamp = P.read_stamp(pdf)
    if stamp is None:
        click.echo(f"NOT VERIFIED: {pdf} carries no ppid verification code", err=True)
        sys.exit(int(ExitCode.SOME_FAILED))
    reg = Register(records_dir).load()
    entry = reg.codes.get(stamp.code)
    if entry is None:
        click.echo(f"NOT VERIFIED: code {stamp.code} is not in the register {records_dir}", err=True)
        sys.exit(int(ExitCode.SOME_FAILED))
    if P.sha256_file(pdf) != entry["sha256"]:
        click.echo(f"NOT VERIFIED: {pdf} was altered after it was issued (letter {entry['letter_no']}, code {stamp.code})", err=True)
        sys.exit(int(ExitCode.SOME_FAILED))
    click.echo(f"VERIFIED: letter {entry['letter_no']} ({entry['kind']}) of register {entry['register_no']}, "
               f"issued {entry['date']}, code {stamp.code}")


@main.group()
def templates():
    """Letter templates."""


@templates.command("check")
@click.option("--templates", "folder", type=click.Path(path_type=Path), default=Path("templates"), show_default=True)
@common
def templates_check(folder, config_dir, records_dir, date):
    """List variables templates use that the pipeline does not give, and the reverse."""
    from pipeline.templatecheck import check_templates

    problems = check_templates(folder)
    for line in problems:
        click.echo(line)
    if problems:
        sys.exit(int(ExitCode.SOME_FAILED))
    click.echo(f"All templates in {folder} use exactly the variables the pipeline gives.")


@main.command()
@click.option("--within", type=click.IntRange(0, 365), default=None,
              help="Only what is due within N working days (overdue always shown).")
@click.option("--json", "as_json", is_flag=True, help="JSON Lines output.")
@common
def due(within, as_json, config_dir, records_dir, date):
    """Open requests and objections by deadline, overdue first. Exits 1 when any is overdue."""
    from pipeline.config import load_config
    from pipeline.deadlines import due_list
    from pipeline.register import Register

    cfg = load_config(config_dir)
    items = due_list(Register(records_dir).load(), cfg, date, within=within)
    if as_json:
        for d in items:
            click.echo(json.dumps({"register_no": d.register_no, "service": d.service, "status": d.status,
                                   "received_at": d.received_at, "due": d.due.isoformat(),
                                   "days_left": d.days_left, "overdue": d.overdue}))
    elif not items:
        click.echo(f"Nothing open{'' if within is None else f' within {within} working days'} on {date}.")
    else:
        click.echo(f"Open on {date} (working days left; negative = overdue):")
        for d in items:
            flag = "OVERDUE" if d.overdue else "       "
            click.echo(f"  {flag} {d.due}  {d.days_left:>4}  {d.register_no:<16} {d.service:<12} {d.subject}")
        overdue = sum(d.overdue for d in items)
        click.echo(f"{len(items)} open, {overdue} overdue.")
    sys.exit(int(ExitCode.SOME_FAILED if any(d.overdue for d in items) else ExitCode.OK))


@main.command()
@click.argument("register_no", required=False)
@click.option("--from", "start", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Count from this date instead of a register number's clock.")
@click.option("--days", type=click.IntRange(1, 365), default=None, help="Working days to count (with --from).")
@common
def deadline(register_no, start, days, config_dir, records_dir, date):
    """Explain a deadline day by day: what was counted and every day skipped, and why."""
    from pipeline.config import load_config
    from pipeline.deadlines import explain_register_no
    from pipeline.errors import UsageError
    from pipeline.formatting import DAY_NAMES
    from pipeline.register import Register

    cfg = load_config(config_dir)
    if register_no and start:
        raise UsageError("give a register number or --from DATE --days N, not both")
    if register_no:
        begin, n, days_list = explain_register_no(Register(records_dir).load(), cfg, register_no)
        title = f"{register_no}: complete on {begin}, {n} working days"
    elif start:
        begin, n = start.date(), days or cfg.deadlines["notice"]
        days_list = cfg.calendar.explain(begin, n)
        title = f"From {begin}, {n} working days"
    else:
        raise UsageError("name a register number, or give --from DATE [--days N]")
    click.echo(title)
    for d in days_list:
        label = f"day {d.count:>2}" if d.count else "skipped"
        click.echo(f"  {d.date} {DAY_NAMES[d.date.weekday()]:<6} {label}  {d.reason}")
    click.echo(f"Due: {days_list[-1].date}")


@main.command()
@click.option("--before", "before", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Purge closed requests received before this date [default: today less the retention period].")
@common
def purge(before, config_dir, records_dir, date):
    """Erase identity numbers, contacts, addresses and attachments of old closed requests."""
    from pipeline.config import load_config
    from pipeline.register import Register

    cfg = load_config(config_dir)
    if before is None:
        years = int((cfg.raw.get("retention") or {}).get("years", 5))
        limit = date.replace(year=date.year - years)
    else:
        limit = before.date()
    with Register(records_dir, numbering=cfg.numbering).locked() as reg:
        report = reg.purge(limit, today=date)
        reg.write_book(cfg.calendar, cfg.deadlines)
    for r in report:
        click.echo(f"purged {r['register_no']}: {', '.join(r['fields']) or 'no fields'}; {len(r['files'])} file(s) deleted")
    click.echo(f"{len(report)} request(s) received before {limit} purged.")


@main.command()
@click.option("--year", type=int, default=None, help="Calendar year [default: the processing date's year].")
@click.option("--from", "start", type=click.DateTime(formats=["%Y-%m-%d"]), default=None, help="Start of a date range.")
@click.option("--to", "end", type=click.DateTime(formats=["%Y-%m-%d"]), default=None, help="End of a date range.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@common
def stats(year, start, end, fmt, config_dir, records_dir, date):
    """Compliance statistics of the register, with the previous year beside them."""
    from pipeline import stats as S
    from pipeline.config import load_config
    from pipeline.errors import UsageError

    cfg = load_config(config_dir)
    book = S.load_book(records_dir, columns=S.STATS_COLUMNS)
    if start or end:
        if not (start and end) or year:
            raise UsageError("give --from and --to together, or --year, not both")
        result = S.compute_with_previous(book, start=start.date(), end=end.date(), as_of=date,
                                         calendar=cfg.calendar.working_days)
    else:
        result = S.compute_year(book, year or date.year, date, calendar=cfg.calendar.working_days)
    click.echo(S.render(result, fmt), nl=False)


@main.command()
@click.option("--year", type=int, required=True, help="The year reported on.")
@click.option("--out", type=click.Path(path_type=Path), default=Path("out/report"), show_default=True)
@click.option("--no-pdf", is_flag=True, help="Write the DOCX only.")
@common
def report(year, out, no_pdf, config_dir, records_dir, date):
    """The annual report (Laporan Layanan Informasi Publik) as DOCX and PDF, with charts."""
    from pipeline import report as R
    from pipeline import stats as S
    from pipeline import survey as V
    from pipeline.config import load_config

    cfg = load_config(config_dir)
    office = dict(cfg.office, logo=str(cfg.folder / cfg.office["logo"]) if cfg.office.get("logo") else "")
    docx, pdf = R.build_report(
        S.load_book(records_dir), year, out, office=office, survey=V.load(records_dir, year), as_of=date,
        narrative={"signatory": cfg.signatories["ppid"], **(cfg.raw.get("report") or {})},
        requirement_titles={c: v["title"] for c, v in cfg.requirements.items()},
        calendar=cfg.calendar.working_days, deadlines=cfg.deadlines, pdf=not no_pdf)
    click.echo(f"Report: {docx}" + (f" and {pdf}" if pdf else ""))


@main.group()
def register():
    """The register book."""


@register.command("export")
@click.option("--format", "fmt", type=click.Choice(["csv", "parquet", "xlsx"]), default="csv", show_default=True)
@click.option("--out", "dest", type=click.Path(path_type=Path), default=None,
              help="Output file [default: out/register-export.<format>].")
@common
def register_export(fmt, dest, config_dir, records_dir, date):
    """The register book for analysts: no personal data, names pseudonymised with the office's key."""
    from pipeline import export as E
    from pipeline import stats as S

    settings = E.load_settings(config_dir)
    dest = dest or Path("out") / f"register-export.{fmt}"
    dest.parent.mkdir(parents=True, exist_ok=True)
    path = E.export_book(S.load_book(records_dir), dest, fmt, key=settings["pseudonym_key"],
                         drop=settings["drop_columns"], scrub=settings["scrub_columns"])
    click.echo(f"Exported: {path}")


@main.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--year", type=int, default=None, help="Year the survey belongs to [default: the processing date's year].")
@common
def survey(file, year, config_dir, records_dir, date):
    """Satisfaction index (IKM, PermenPANRB 14/2017) from survey responses (CSV or xlsx)."""
    from pipeline import survey as V

    result = V.score(file, V.load_config(config_dir))
    path = V.store(result, records_dir, year or date.year)
    click.echo(V.render(result), nl=False)
    click.echo(f"Stored: {path}")
    sys.exit(int(ExitCode.SOME_FAILED if result.bad_rows else ExitCode.OK))
