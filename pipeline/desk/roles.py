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
