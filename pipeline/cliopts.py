"""What every `ppid` command shares: --config, --records, --date, and errors as exit codes.

Its own module so that the command groups (pipeline.cli, pipeline.desk.cli) import it and
not each other."""

from __future__ import annotations

import functools
import sys
from pathlib import Path

import click

from pipeline.errors import ExitCode, PpidError
from pipeline.terminal import printable


def echo(message: str = "", **kwargs) -> None:
    """click.echo of one line that may hold values from files or the register: escaped."""
    click.echo(printable(message), **kwargs)


def fail(message: str, code: ExitCode) -> None:
    """One line on stderr, then exit with `code`: never a traceback."""
    click.echo(f"Error: {printable(message)}", err=True)
    sys.exit(int(code))


MIN_DATE_YEAR, MAX_DATE_YEAR = 2000, 2100  # as request dates (pipeline.loading.MIN_YEAR): UU KIP is of 2008


def common(fn):
    """--config, --records and --date, which every command takes (spec section 7).

    The command gets `config_dir`, `records_dir` and `date` (None: today in Asia/Makassar,
    which pipeline.office.Office decides); a PpidError, a date past the calendar's end and
    an OSError become one line and an exit code (ExitCode)."""
    @click.option("--config", "config_dir", type=click.Path(path_type=Path), default=Path("config"),
                  show_default=True, help="Folder of the office's rules.")
    @click.option("--records", "records_dir", type=click.Path(path_type=Path), default=Path("records"),
                  show_default=True, help="Folder of the register.")
    @click.option("--date", "date", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
                  help="Processing date YYYY-MM-DD [default: today in Asia/Makassar].")
    @functools.wraps(fn)
    def wrapper(*args, date=None, **kwargs):
        kwargs["date"] = date.date() if date else None
        if date and not MIN_DATE_YEAR <= date.year <= MAX_DATE_YEAR:
            fail(f"--date {date.date().isoformat()}: a processing date before {MIN_DATE_YEAR} or after {MAX_DATE_YEAR} is a typo in "
                 "the year; write it like 2026-11-27", ExitCode.USAGE)
        from pipeline import files

        try:
            # the folders given (--records, --out, the inbox …) root the writer: no link is
            # followed at them or below them (pipeline.files)
            with files.rooted(*(v for v in kwargs.values() if isinstance(v, Path))):
                return fn(*args, **kwargs)
        except PpidError as exc:
            fail(str(exc), exc.exit_code)
        except OverflowError:  # date arithmetic past the year 9999
            fail("the dates given run past the calendar's end (year 9999); check --date, --from and --days",
                 ExitCode.USAGE)
        except OSError as exc:  # a full disk, a read-only folder: one line, not a traceback
            from pipeline.durable import os_error_message

            fail(os_error_message(exc), ExitCode.USAGE)
    return wrapper


def _networks(ctx, param, values):
    import ipaddress

    for p in values:
        try:
            ipaddress.ip_network(p, strict=False)
        except ValueError:
            raise click.BadParameter(f"{p}: not an address or network (like 127.0.0.1 or 10.0.0.0/24)") from None
    return list(values)


def trusted_proxy(fn):
    """--trusted-proxy, repeatable: the reverse proxies whose X-Forwarded-For/-Proto a web
    command (`ppid desk`, `ppid public`) believes (pipeline.desk.sessions.TrustedProxies)."""
    return click.option("--trusted-proxy", "trusted_proxies", multiple=True, metavar="ADDRESS", callback=_networks,
                        help="A reverse proxy (address or network) whose X-Forwarded-For/-Proto is believed; "
                             "repeatable.")(fn)
