"""The `ppid` command: parse options, build one Office, call one method, print, map errors to exit codes."""

from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path

import click

from pipeline.cliopts import common
from pipeline.cliopts import echo as _echo
from pipeline.delivery.cli import COMMANDS as DELIVERY_COMMANDS
from pipeline.desk.cli import COMMANDS as DESK_COMMANDS
from pipeline.errors import ExitCode, UsageError
from pipeline.outcome import Output
from pipeline.terminal import json_line, printable_text

EXIT_HELP = """Exit codes: 0 all went through; 1 some requests were incomplete, rejected or failed
(the batch still finished the rest); 2 bad usage or bad config."""


# A year of the register: requests are dated 2000 or later (loading.MIN_YEAR); statistics
# look one year back, working-day counts a few weeks ahead, within Python's year 9999.
YEAR = click.IntRange(2000, 9998)


def _office(config_dir: Path, records_dir: Path, *, date):
    """The one application object of a command (pipeline.office), imported when a command runs
    so that `ppid --help` stays quick."""
    from pipeline.office import Office as _Office

    return _Office(config_dir, records_dir, date=date)


def _exit(failed: bool) -> None:
    sys.exit(int(ExitCode.SOME_FAILED if failed else ExitCode.OK))


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
    from pipeline import rules

    office = _office(config_dir, records_dir, date=date)
    if sys.stderr.isatty():  # once, at the start; the summary says it too (stderr keeps one-line errors)
        _say_proposing(office.cfg)
    progress = Progress(office.count(inbox), enabled=sys.stderr.isatty() and not as_json)
    report = office.run(inbox, out, templates=templates, output=Output.DOCX if no_pdf else Output.PDF,
                        workers=workers, progress=progress,
                        on_outcome=(lambda o: click.echo(json_line(o.to_json()))) if as_json else None)
    if not as_json:
        from pipeline.letters import appointment_note

        note = "; ".join(n for n in (rules.proposing_note(office.cfg.rules), appointment_note(office.cfg)) if n)
        _summary(report, out, office.today(), note=note or None)
        if report.delivery is not None:
            _echo(report.delivery.summary())
    _exit(report.failed)


def _say_proposing(cfg) -> None:
    """Once, at the start: closing rules without the office's decree only propose (UU KIP Pasal 19)."""
    from pipeline import rules

    note = rules.proposing_note(cfg.rules)
    if note:
        click.echo(f"ppid run: {note}", err=True)


def _summary(report, out, date, note=None):
    results = report.outcomes
    counts = Counter(r.status for r in results)
    letters = Counter(j.kind for r in results for j in r.jobs if not j.error)  # a letter without its PDF is not issued
    _echo(f"ppid run — processing date {date}, {len(results)} request file(s)")
    if note:
        _echo(f"Note: {note}")
    for r in results:
        if r.status == "rejected_file":
            _echo(f"  REJECTED  {r.error}")
            continue
        extra = f" missing: {', '.join(r.missing)}" if r.missing else ""
        extra += f" outcome: {r.outcome}" if r.outcome else ""
        extra += f" due {r.due}" if r.due else ""
        extra += " (unchanged)" if r.unchanged else ""
        _echo(f"  {r.status:<11} {r.register_no:<18} {r.file}{extra}")
        for w in r.warnings:
            _echo(f"              warning: {w}")
        for j in r.jobs:
            if j.error:
                _echo(f"              letter {j.kind} {j.letter_no} failed: {j.error}; "
                      "not issued, retried on the next run")
            elif j.retry:
                _echo(f"              letter {j.kind} {j.letter_no}: PDF made on retry")
    _echo("Status: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    _echo("Letters: " + (", ".join(f"{k} {v}" for k, v in sorted(letters.items())) or "none new") + f" → {out}/")
    owed = sum(1 for r in results for j in r.jobs if j.error)
    if owed:
        _echo(f"Letters failed: {owed} (numbered but without a PDF; `ppid due` lists them, the next run retries them)")
    _echo(f"Register: {report.csv} and {report.parquet}")
    if report.new_register:
        _echo(f"          a new register: {Path(report.csv).parent} held none before this run (numbers start at 1); "
              "if the office's register is elsewhere, give its folder with --records")


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="JSON Lines output.")
@common
def validate(files, as_json, config_dir, records_dir, date):
    """Check request FILES (or folders of them) as `ppid run` would, against the register; write nothing."""
    office = _office(config_dir, records_dir, date=date)  # read only: no lock, nothing written
    failed = False
    stdout = sys.stdout  # CliRunner swaps it too
    for o in office.validate(files):
        failed |= o.status in ("rejected_file", "incomplete")
        if as_json:
            stdout.write(json_line(o.validate_json()) + "\n")  # flushed once, at the end
        elif o.status == "rejected_file":
            _echo(f"REJECTED {o.error}")
        elif o.status == "incomplete":
            _echo(f"INCOMPLETE {o.file}: " + "; ".join(f"{k}: {v}" for k, v in o.details.items()))
        else:
            _echo(f"OK {o.file}: {o.status}" + (f" ({o.outcome})" if o.outcome else ""))
            for w in o.warnings:
                _echo(f"   warning: {w}")
    stdout.flush()
    _exit(failed)


@main.command()
@click.argument("pdf", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@common
def verify(pdf, config_dir, records_dir, date):
    """Check a letter: its electronic signature, if signed, then its code and digests against the register."""
    verdict = _office(config_dir, records_dir, date=date).verify(pdf)
    if verdict.ok:
        e = verdict.entry
        _echo(f"VERIFIED: letter {e['letter_no']} ({e['kind']}) of register {e['register_no']}, "
              f"issued {e['date']}")
    for c in verdict.checks:
        _echo(f"  {'holds' if c.holds else 'does not hold'}: {c.name}: {c.detail}")
    if not verdict.ok:
        _echo(f"NOT VERIFIED: {verdict.reason}", err=True)
        sys.exit(int(ExitCode.SOME_FAILED))


@main.group()
def templates():
    """Letter templates."""


@templates.command("check")
@click.option("--templates", "folder", type=click.Path(path_type=Path), default=Path("templates"), show_default=True)
@common
def templates_check(folder, config_dir, records_dir, date):
    """List variables templates use that the pipeline does not give, and the reverse."""
    problems = _office(config_dir, records_dir, date=date).check_templates(folder)
    for line in problems:
        _echo(line)
    if problems:
        sys.exit(int(ExitCode.SOME_FAILED))
    _echo(f"All templates in {folder} use exactly the variables the pipeline gives.")


@main.command()
@click.option("--within", type=click.IntRange(0, 365), default=None,
              help="Only what is due within N working days (overdue always shown).")
@click.option("--json", "as_json", is_flag=True, help="JSON Lines output.")
@common
def due(within, as_json, config_dir, records_dir, date):
    """Open requests and objections by deadline, overdue first, and letters owed (PDF failed).
    Exits 1 when any is overdue or owed."""
    office = _office(config_dir, records_dir, date=date)
    due_report = office.due(within)
    items, owed, date = due_report.items, due_report.owed, office.today()
    if as_json:
        for d in items:
            click.echo(json_line({"register_no": d.register_no, "service": d.service, "status": d.status,
                                   "received_at": d.received_at, "due": d.due.isoformat(),
                                   "days_left": d.days_left, "overdue": d.overdue,
                                   "regime": d.regime, "proposed": d.proposed or None}))
        for e in owed:
            click.echo(json_line({"register_no": e["register_no"], "letter_owed": e["letter_no"], "kind": e["kind"],
                                  "date": e.get("date"), "error": e.get("error")}))
    elif not items:
        _echo(f"Nothing open{'' if within is None else f' within {within} working days'} on {date}.")
    else:
        _echo(f"Open on {date} (working days left; negative = overdue):")
        for d in items:
            flag = "OVERDUE" if d.overdue else "       "
            _echo(f"  {flag} {d.due}  {d.days_left:>4}  {d.register_no:<16} {d.service:<12} {d.subject}")
            if d.regime:
                _echo(f"              election-stage regime: {d.regime}")
            if d.proposed:
                _echo(f"              proposed by rules, awaiting the PPID: {d.proposed}")
        overdue = sum(d.overdue for d in items)
        _echo(f"{len(items)} open, {overdue} overdue.")
    if owed and not as_json:
        _echo(f"Letters owed (numbered, but their PDF failed; `ppid run` retries them): {len(owed)}")
        for e in owed:
            _echo(f"  {e['letter_no']:<16} {e['kind']:<20} {e['register_no']:<16} {e.get('error') or ''}")
    deliveries, deliveries_owed = office.deliveries_due(as_json=as_json)
    for line in deliveries:
        _echo(line)
    _exit(due_report.failed or deliveries_owed)


@main.command()
@click.argument("register_no", required=False)
@click.option("--from", "start", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Count from this date instead of a register number's clock.")
@click.option("--days", type=click.IntRange(1, 365), default=None, help="Working days to count (with --from).")
@common
def deadline(register_no, start, days, config_dir, records_dir, date):
    """Explain a deadline day by day: what was counted and every day skipped, and why."""
    from pipeline.formatting import DAY_NAMES

    office = _office(config_dir, records_dir, date=date)
    if register_no and start:
        raise UsageError("give a register number or --from DATE --days N, not both")
    if register_no:
        ex = office.explain(register_no)
        title = f"{register_no}: complete on {ex.start}, {ex.days} working days, {ex.what}"
    elif start:
        ex = office.explain_from(start.date(), days)
        title = f"From {ex.start}, {ex.days} working days" + (f", {ex.what}" if ex.what else "")
    else:
        raise UsageError("name a register number, or give --from DATE [--days N]")
    _echo(title)
    _echo(f"Regime: {ex.regime.label}")
    for d in ex.steps:
        label = f"day {d.count:>2}" if d.count else "skipped"
        _echo(f"  {d.date} {DAY_NAMES[d.date.weekday()]:<6} {label}  {d.reason}")
    _echo(f"Due: {ex.due}")


@main.command()
@click.option("--before", "before", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Purge closed requests received before this date [default: today less the retention period].")
@click.option("--inbox", "inboxes", type=click.Path(path_type=Path), multiple=True,
              help="An inbox folder whose attachments purge may delete (repeat for several).")
@click.option("--out", "outs", type=click.Path(path_type=Path), multiple=True,
              help="An output folder of `ppid run` whose stamped copies purge may delete [default: out].")
@common
def purge(before, inboxes, outs, config_dir, records_dir, date):
    """Erase identity numbers, contacts, addresses and attachments of old closed requests.

    Files are deleted only inside the records folder and the --inbox and --out folders:
    the log holds absolute paths, and a copy of the records must not reach the original's
    files. A request with a file elsewhere is kept and named."""
    folders = [*inboxes, *(outs or [Path("out")])]
    report = _office(config_dir, records_dir, date=date).purge(before.date() if before else None, folders=folders)
    for rno, why in report.held.items():
        _echo(f"kept {rno}: {why}")
    for line in report.skipped:
        _echo(f"skipped {line}")
    for r in report.purged:
        _echo(f"purged {r['register_no']}: {', '.join(r['fields']) or 'no fields'}; {len(r['files'])} file(s) deleted")
    _echo(f"{len(report.purged)} request(s) received before {report.limit} purged.")


@main.command()
@click.option("--year", type=YEAR, default=None, help="Calendar year [default: the processing date's year].")
@click.option("--from", "start", type=click.DateTime(formats=["%Y-%m-%d"]), default=None, help="Start of a date range.")
@click.option("--to", "end", type=click.DateTime(formats=["%Y-%m-%d"]), default=None, help="End of a date range.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@common
def stats(year, start, end, fmt, config_dir, records_dir, date):
    """Compliance statistics of the register, with the previous year beside them."""
    from pipeline import stats as S

    result = _office(config_dir, records_dir, date=date).stats(
        year=year, start=start.date() if start else None, end=end.date() if end else None)
    click.echo(printable_text(S.render(result, fmt)), nl=False)


@main.command()
@click.option("--year", type=YEAR, required=True, help="The year reported on.")
@click.option("--out", type=click.Path(path_type=Path), default=Path("out/report"), show_default=True)
@click.option("--no-pdf", is_flag=True, help="Write the DOCX only.")
@common
def report(year, out, no_pdf, config_dir, records_dir, date):
    """The annual report (Laporan Layanan Informasi Publik) as DOCX and PDF, with charts."""
    docx, pdf = _office(config_dir, records_dir, date=date).report(
        year, out, output=Output.DOCX if no_pdf else Output.PDF)
    _echo(f"Report: {docx}" + (f" and {pdf}" if pdf else ""))


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
    office = _office(config_dir, records_dir, date=date)
    path = office.export(fmt, dest or Path("out") / f"register-export.{fmt}")
    _echo(f"Exported: {path}")


@main.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--year", type=YEAR, default=None, help="Year the survey belongs to [default: the processing date's year].")
@common
def survey(file, year, config_dir, records_dir, date):
    """Satisfaction index (IKM, PermenPANRB 14/2017) from survey responses (CSV or xlsx)."""
    from pipeline import survey as V

    result, path = _office(config_dir, records_dir, date=date).survey(file, year)
    click.echo(printable_text(V.render(result)), nl=False)
    _echo(f"Stored: {path}")
    _exit(bool(result.bad_rows))


# The desk's commands (pipeline/desk/cli.py): `ppid schema`, `ppid users`, `ppid desk`; and the
# delivery commands (pipeline/delivery/cli.py): `ppid deliver`, `ppid remind`, `ppid public`.
for _cmd in (*DESK_COMMANDS, *DELIVERY_COMMANDS):
    main.add_command(_cmd)
