"""What reaches the terminal: values from request files and the register, made inert.

A request file or a register field may hold escape sequences (`\\e[2J` clears the screen,
`\\e]0;…\\a` retitles the window), carriage returns and newlines that forge a line of
output, or bidirectional overrides that reverse it. Every value ppid echoes back goes
through `printable`, which shows such characters as Python-style escapes (\\x1b, \\n,
\\u202e), so a one-line message stays one line and shows what the file really holds.
"""

from __future__ import annotations

import json
import re
from typing import Any

# bidirectional controls (Unicode TR9) and the line/paragraph separators
_FORMAT = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u2028\u2029\u0085"
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f" + _FORMAT + "]")
_UNSAFE_KEEP_NL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f" + _FORMAT + "]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(m: re.Match) -> str:
    c = m.group(0)
    if c in _NAMED:
        return _NAMED[c]
    return f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}"


def printable(value: Any) -> str:
    """One line: every control, bidi-override and line-break character shown escaped."""
    return _UNSAFE.sub(_escape, str(value))


def printable_text(value: Any) -> str:
    """Several lines: as `printable`, but the newlines between lines are kept."""
    return _UNSAFE_KEEP_NL.sub(_escape, str(value))


def json_line(obj: Any) -> str:
    """JSON on one line, readable (non-ASCII kept) but with C1 controls, DEL and bidi
    overrides escaped too: json.dumps escapes only U+0000-U+001F."""
    text = json.dumps(obj, ensure_ascii=False)
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)
