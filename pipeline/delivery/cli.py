"""The delivery commands: `ppid deliver`, `ppid remind`, `ppid public`. Thin: parse, call, print."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from pipeline.cliopts import common, trusted_proxy
from pipeline.cliopts import echo as _echo
from pipeline.errors import ExitCode
from pipeline.terminal import json_line


@click.command()
@click.option("--json", "as_json", is_flag=True, help="One JSON object per letter owed (JSON Lines).")
@click.option("--dsn", "dsn_dir", type=click.Path(exists=True, file_okay=False, path_type=Path), default=None,
              help="Folder of delivery status notifications (.eml) the relay returned: each one that reports "
                   "a letter delivered records its receipt.")
@common
def deliver(as_json, dsn_dir, config_dir, records_dir, date):
    """Send the letters owed to requesters by e-mail (records/outbox), retrying with back-off.
    Exits 1 when a letter could not be sent. Without `mail:` in office.yaml the e-mail
    deliveries are listed as hand-over tasks for the desk."""
    from pipeline.delivery.settings import delivery_settings
    from pipeline.office import Office

    office = Office(config_dir, records_dir, date=date)
    settings = delivery_settings(office.cfg)
    report, received = office.deliver(dsn_dir)
    if as_json:
        for a in report.attempts:
            click.echo(json_line(a.to_json()))
        for r in received:
            click.echo(json_line(r))
    else:
        print_report(report, settings, received)
    sys.exit(int(ExitCode.SOME_FAILED if report.failed else ExitCode.OK))


def print_report(report, settings, received=()) -> None:
    if not settings.mail:
        _echo("No mail server configured (office.yaml mail:): e-mail deliveries are hand-over tasks in the desk.")
    for r in received:
        if "refused" in r:
            about = f"{r['register_no']} letter {r['letter_no']}: " if r.get("letter_no") else ""
            _echo(f"  not recorded: {r.get('file') or 'DSN'}: {about}{r['refused']}")
        else:
            _echo(f"  delivered {r['register_no']:<16} letter {r['letter_no']} ({r['how']}, {r['at']})")
    for a in report.attempts:
        extra = f": {a.error}" if a.error else ""
        if a.next_try:
            extra += f" (next try after {a.next_try})"
        if a.permanent:
            extra += " — refused for good: correct the address in the desk"
        _echo(f"  {a.result:<8} {a.register_no:<16} letter {a.letter_no:<18} {a.kind:<18} {a.method}{extra}")
    if report.stopped:
        _echo(f"Stopped: {report.stopped}; the rest waits for the next `ppid deliver` or `ppid run`.")
    _echo(f"Sent {report.count('sent')}, failed {report.count('failed')}, waiting {report.count('waiting')}, "
          f"hand-over tasks {report.count('handover')}.")


@click.command()
@click.option("--within", type=click.IntRange(0, 365), default=3, show_default=True,
              help="What is due within N working days (overdue always).")
@click.option("--print", "print_only", is_flag=True, help="Print the digests even when a mail server is configured.")
@common
def remind(within, print_only, config_dir, records_dir, date):
    """Each officer in office.yaml `staff:` gets one digest of what is theirs: requests, objections and
    deliveries due within N working days or overdue, and the annual report near 31 March. Without
    `mail:` (or with --print) the digests are printed."""
    from pipeline.config import load_config
    from pipeline.delivery import remind as R
    from pipeline.delivery.settings import delivery_settings
    from pipeline.office import today_wita
    from pipeline.register import Register

    date = date or today_wita()  # cron runs it without --date (README)
    cfg = load_config(config_dir)
    settings = delivery_settings(cfg)
    if not settings.staff:
        click.echo("Error: no staff: in office.yaml; list the officers (name, role, email) to remind", err=True)
        sys.exit(int(ExitCode.USAGE))
    digests, notes = R.digests(Register(records_dir).load(), cfg, date, within=within)
    for n in notes:
        _echo(f"note: {n}")
    if not digests:
        _echo(f"Nothing due within {within} working days on {date} for anyone in staff:.")
        return
    if settings.mail is None or print_only:
        for d in digests:
            _echo(f"=== {d.name} <{d.email or '-'}> ({d.role}) — {d.subject}")
            click.echo(d.text(date))
        return
    failed = False
    for d, error in R.send(digests, settings, date, config_folder=cfg.folder):
        failed |= error is not None
        _echo(f"  {'sent' if error is None else 'failed'}  {d.name} <{d.email}>: {len(d.lines)} item(s)"
              + (f": {error}" if error else ""))
    sys.exit(int(ExitCode.SOME_FAILED if failed else ExitCode.OK))


@click.command("public")
@click.option("--index", "index_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The published status index [default: RECORDS/public/status-index.json]; copy it to the "
                   "web server and point this at it.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(1, 65535), default=8471, show_default=True)
@trusted_proxy
@common
def public_page(index_file, host, port, trusted_proxies, config_dir, records_dir, date):
    """Serve the public status page /cek alone (no desk, no login), from the published index only."""
    import waitress

    from pipeline.delivery.index import index_path
    from pipeline.public import create_public_app

    path = index_file or index_path(records_dir)
    if not path.is_file():
        click.echo(f"Error: {path} not found; `ppid run` or `ppid deliver` writes it", err=True)
        sys.exit(int(ExitCode.USAGE))
    click.echo(f"ppid public: status page on http://{host}:{port}/cek from {path} (Ctrl+C stops it)")
    waitress.serve(create_public_app(path, trusted_proxies), host=host, port=port, threads=4, ident="ppid",
                   clear_untrusted_proxy_headers=False)  # TrustedProxies decides whose headers count


COMMANDS = [deliver, remind, public_page]
