"""Logging in and out, and the language a user reads the desk in."""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from . import users as U
from .forms import LoginForm
from .roles import HOME, role
from .sessions import DeskUser, safe_next
from .web import settings

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm(request.form if request.method == "POST" else None)
    error, status = None, 200
    if request.method == "POST" and form.validate():
        throttle = current_app.extensions["desk_throttle"]
        name, addr = form.username.data.strip().lower()[:64], request.remote_addr or ""
        wait = throttle.wait(name, addr)
        if wait:
            error, status = _("Too many wrong passwords; wait %(s).0f seconds and try again.", s=wait), 429
        elif U.verify(settings().users, name, form.password.data or ""):
            throttle.succeeded(name, addr)
            lang = session.get("lang")
            session.clear()
            if lang:
                session["lang"] = lang
            login_user(DeskUser(name, U.role_of(settings().users, name), U.epoch(settings().users, name)))
            session.permanent = True
            return redirect(safe_next(request.args.get("next")) or url_for("auth.home"))
        else:
            throttle.failed(name, addr)
            error, status = _("Wrong user name or password."), 401
    elif request.method == "POST":
        status = 422
    return render_template("login.html", form=form, error=error), status


@bp.post("/logout")
def logout():
    if current_user.is_authenticated:
        U.end_sessions(settings().users, current_user.name)  # a copied cookie ends with this one
    logout_user()
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    return redirect(url_for("auth.login"))


@bp.get("/")
@role(*HOME)
def home():
    return redirect(url_for(HOME[current_user.role]))
