"""The desk's commands: `ppid schema`, `ppid users add`, `ppid desk`. Thin: parse, call, print."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from pipeline.cliopts import common, trusted_proxy
from pipeline.errors import ExitCode


@click.command()
def schema():
    """Print the JSON Schema of request files (docs/request.schema.json is this output)."""
    from pipeline.loading import json_schema

    click.echo(schema_text(json_schema()), nl=False)


def schema_text(s: dict) -> str:
    return json.dumps(s, indent=2, ensure_ascii=False) + "\n"



@click.group()
def users():
    """Users of `ppid desk`: name, role (clerk, ppid, atasan_ppid, analyst) and a hashed password."""


@users.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(["clerk", "ppid", "atasan_ppid", "analyst"]), required=True)
@click.option("--users", "users_file", type=click.Path(path_type=Path), default=None,
              help="Users file [default: RECORDS/users.json].")
@common
def users_add(name, role, users_file, config_dir, records_dir, date):
    """Add a user (or set an existing user's role and password). The password comes from
    the environment variable PPID_DESK_PASSWORD, else it is asked for."""
    from pipeline.desk import users as U

    password = os.environ.get("PPID_DESK_PASSWORD")
    if not password:
        password = click.prompt(f"Password for {name}", hide_input=True, confirmation_prompt=True)
    path = users_file or records_dir / "users.json"
    U.add(path, name.lower(), role, password)
    click.echo(f"User {name.lower()} ({role}) saved in {path}")


@users.command("list")
@click.option("--users", "users_file", type=click.Path(path_type=Path), default=None)
@common
def users_list(users_file, config_dir, records_dir, date):
    """List the desk's users and their roles."""
    from pipeline.desk import users as U

    for name, u in sorted(U.load(users_file or records_dir / "users.json").items()):
        click.echo(f"{name}\t{u.get('role')}")


@click.command()
@click.option("--inbox-root", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Folder of the day inboxes; requests are filed in INBOX_ROOT/YYYY-MM-DD/.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; the desk is for this machine unless you change it (put a TLS "
                   "reverse proxy in front before opening it to the office network: README).")
@click.option("--port", type=click.IntRange(1, 65535), default=8470, show_default=True)
@click.option("--threads", type=click.IntRange(1, 64), default=8, show_default=True,
              help="Requests served at once (waitress worker threads).")
@trusted_proxy
@click.option("--out", type=click.Path(path_type=Path), default=Path("out"), show_default=True,
              help="Folder of the letters (as ppid run --out).")
@click.option("--templates", type=click.Path(path_type=Path), default=Path("templates"), show_default=True)
@click.option("--mail-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder where .eml files are dropped for mail-in.")
@click.option("--users", "users_file", type=click.Path(path_type=Path), default=None,
              help="Users file [default: RECORDS/users.json].")
@click.option("--workers", type=click.IntRange(1, 4), default=2, show_default=True,
              help="LibreOffice processes kept warm.")
@common
def desk(inbox_root, host, port, threads, trusted_proxies, out, templates, mail_dir, users_file, workers,
         config_dir, records_dir, date):
    """The office desk: intake, mail-in, decisions, the batch, the register, in a browser
    (served by waitress)."""
    from waitress.server import create_server

    from pipeline.desk import users as U
    from pipeline.desk.app import create_app
    from pipeline.desk.state import Desk, Settings

    fixed = click.get_current_context().params.get("date")  # None: follow the calendar day
    settings = Settings(config=config_dir, records=records_dir, inbox_root=inbox_root, out=out,
                        templates=templates, mail_dir=mail_dir, users=users_file, workers=workers,
                        date=fixed.date() if fixed else None, trusted_proxies=list(trusted_proxies))
    if not U.load(settings.users):
        click.echo(f"Error: no users in {settings.users}; add one with: ppid users add NAME --role ppid", err=True)
        sys.exit(int(ExitCode.USAGE))
    state = Desk(settings)
    app = create_app(settings, desk=state)
    try:
        server = create_server(app, host=host, port=port, threads=threads, ident="ppid-desk",
                               clear_untrusted_proxy_headers=False)
    except OSError as exc:
        click.echo(f"Error: cannot listen on {host}:{port} ({exc.strerror}); choose another --port", err=True)
        sys.exit(int(ExitCode.USAGE))
    import signal

    def stop(signum, frame):
        raise KeyboardInterrupt  # SIGTERM stops the desk as Ctrl+C does: LibreOffice closed

    signal.signal(signal.SIGTERM, stop)
    state.start_converters()
    state.warm()
    click.echo(f"ppid desk on http://{host}:{port}/ ({threads} threads) — inbox {settings.inbox_root}, records "
               f"{settings.records}" + (f", processing date {fixed.date()}" if fixed else "") + " (Ctrl+C stops it)")
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
        state.close()


COMMANDS = [schema, users, desk]
