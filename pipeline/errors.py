"""The exception hierarchy and the exit codes, in one place."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class ExitCode(enum.IntEnum):
    """Process exit codes of every ``ppid`` command."""

    OK = 0  # all went through
    SOME_FAILED = 1  # some requests incomplete, rejected or failed; the rest finished
    USAGE = 2  # bad usage or bad config


class PpidError(Exception):
    """Base of every error ppid raises on purpose."""

    exit_code = ExitCode.SOME_FAILED


class ConfigError(PpidError):
    """A file in the config folder is missing or wrong; nothing was processed."""

    exit_code = ExitCode.USAGE


class TemplateError(ConfigError):
    """A letter template cannot be filled (syntax error, unknown variable)."""


class UsageError(PpidError):
    """The command was called wrongly."""

    exit_code = ExitCode.USAGE


class RegisterError(PpidError):
    """The records folder is unreadable or inconsistent."""

    exit_code = ExitCode.USAGE


class LockTimeout(RegisterError):
    """Another ppid process holds the records lock for too long."""


class ConversionError(PpidError):
    """LibreOffice failed or timed out on a document."""


class LetterError(PpidError):
    """An outgoing letter's PDF cannot be stamped or signed (what LibreOffice wrote is unusable)."""


class ProblemCode(str, enum.Enum):
    """What kind of problem makes a file no request (`errors[].code` in --json output)."""

    FILE = "file"  # unreadable, not a regular file, too large, a symlink out of the inbox
    ENCODING = "encoding"  # not UTF-8
    YAML = "yaml"  # not valid YAML, or an alias/tag that is refused
    EMPTY = "empty"  # nothing in it
    FIELD = "field"  # a field of the wrong type, an unknown field or value
    MISSING = "missing"  # a field the file must have
    FUTURE = "future"  # a date after the processing date
    ORDER = "order"  # dates in the wrong order
    RANGE = "range"  # a number or list out of bounds
    DUPLICATE = "duplicate"  # the same item decided twice; a file asking what another file or request asks
    REFERENCE = "reference"  # a register number that is not in the register, or not one this file may name
    OWNER = "owner"  # names a request of another requester (spec section 3)
    FIXED = "fixed"  # changes what can no longer change (`received` once a letter is out)


@dataclass(frozen=True)
class Problem:
    """One problem found in a file: what, where, and how to fix it."""

    code: ProblemCode
    path: str  # field path, e.g. "requester.identity.copy" ("" for the whole file)
    line: int | None  # 1-based line in the file, when known
    message: str  # plain words, says how to fix it (after a "; ")

    def __post_init__(self):
        object.__setattr__(self, "code", ProblemCode(self.code))  # an unknown code is a bug: fail loudly

    def render(self, file: str) -> str:
        where = file if self.line is None else f"{file}:{self.line}"
        field = f" field '{self.path}'" if self.path else ""
        return f"{where}:{field} {self.message}"

    def as_dict(self, file: str) -> dict:
        """The problem as data: code, field, line, message, hint (what to do), and the one-line text."""
        what, _, hint = self.message.partition("; ")
        return {"code": self.code.value, "field": self.path, "line": self.line, "message": what,
                "hint": hint, "text": self.render(file)}


class RequestFileError(PpidError):
    """A request file is malformed: it is `rejected_file`, not a request."""

    def __init__(self, file: str, problems: list[Problem]):
        self.file = file
        self.problems = problems
        super().__init__("; ".join(p.render(file) for p in problems))
