"""The desk's commands: `ppid schema`, `ppid users add`, `ppid desk`. Thin: parse, call, print."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from pipeline.cli import common
from pipeline.errors import ExitCode


@click.command()
def schema():
    """Print the JSON Schema of request files (docs/request.schema.json is this output)."""
    from pipeline.loading import json_schema

    click.echo(schema_text(json_schema()), nl=False)


def schema_text(s: dict) -> str:
    return json.dumps(s, indent=2, ensure_ascii=False) + "\n"


COMMANDS = [schema]
