"""Which roles may open a page: `@role("clerk", "ppid")` on a view.

A visitor who is not logged in (or whose session was ended) goes to the login page and
comes back; a user of another role gets 403. The allowed roles stay on the view as
`view.roles`, so a test can list every page and its roles."""

from __future__ import annotations

import functools

from flask import abort, g, redirect, request, url_for
from flask_login import current_user


def role(*allowed: str):
    def wrap(fn):
        @functools.wraps(fn)
        def inner(*a, **kw):
            if not current_user.is_authenticated:
                return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
            g.user, g.role = current_user.name, current_user.role
            if current_user.role not in allowed:
                abort(403)
            return fn(*a, **kw)
        inner.roles = allowed
        return inner
    return wrap


# The page each role lands on after login
HOME = {"clerk": "intake.start", "ppid": "review.queue", "atasan_ppid": "review.queue", "analyst": "records.stats"}


# The keys of a request file that record an officer's act, and the role whose page writes each
# (review.item, tasks.pages). The file editor refuses any other role's change to them: an
# unchanged key passes, so a clerk can still mend a file that already holds a decision.
# An objection's decision is the Atasan PPID's (UU 14/2008 Pasal 36 ayat 1; review._decider_role),
# and the Atasan PPID has no file editor: nobody writes it as text. A clerk records a withdrawal
# or the day a notice was received on their task forms, which check the register first (an
# answered request is not withdrawn); as text, only the PPID writes them.
ACT_KEYS = {"decision": ("ppid",), "answer": ("ppid",), "response": ("ppid",), "dispute": ("ppid",),
            "disposition": ("ppid",), "withdrawn": ("ppid",), "notice_received": ("ppid",)}


def owners(key: str, services: set) -> tuple[str, ...]:
    """The roles that may change `key` of a request of one of `services` (old and new, when a
    change of service would move the key to another owner: only a role owning both)."""
    if key == "decision" and "objection" in services:
        return ("atasan_ppid",)
    return ACT_KEYS.get(key, ())
