"""The desk through Flask's test client: users, roles, CSRF, cookies, uploads, mail-in,
decisions written round-trip, the event log. The browser tests are in test_desk_browser.py."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from email.message import EmailMessage

import argon2
import pytest
import yaml
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.config import load_config
from pipeline.desk.forms import IntakeForm
from pipeline.errors import ConfigError
from pipeline.desk import decisions as D
from pipeline.desk import mail as M
from pipeline.desk import requestfile as R
from pipeline.desk import users as U

from desk_support import PASSWORDS, ROOT, TODAY, USERS, jpeg_bytes, make_env, pdf_bytes, write_clerk_file


@pytest.fixture
def env(tmp_path):
    env = make_env(tmp_path)
    yield env
    env.desk.close()  # a book still owed is written; LibreOffice stopped


def token(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def login(client, role: str):
    page = client.get("/login").get_data(as_text=True)
    return client.post("/login", data={"csrf_token": token(page), "username": USERS[role],
                                       "password": PASSWORDS[role]})


def form(client, url: str) -> dict:
    html = client.get(url).get_data(as_text=True)
    out = {"csrf_token": token(html)}
    m = re.search(r'name="staged" value="([0-9a-f]+)"', html)
    if m:
        out["staged"] = m.group(1)
    return out


WALK_IN = {
    "received": "2026-11-27 09:05", "requester.name": "Yohanes Ndun", "requester.kind": "individual",
    "requester.phone": "081298765432", "requester.identity.type": "ktp",
    "requester.identity.number": "5371010107900031",
    "information": "Salinan Keputusan KPU Provinsi NTT tentang penetapan calon terpilih DPRD Provinsi 2024",
    "purpose": "Penelitian skripsi", "source": "Laman resmi KPU Provinsi NTT", "form": "softcopy",
    "delivery": "email", "guest_book": "1",
}


# --- users and login -------------------------------------------------------------------------


@pytest.mark.slow  # real argon2id hashing, slow on purpose: in make test, not the fast loop
def test_passwords_are_stored_as_argon2id_hashes(env):
    data = json.loads(env.settings.users.read_text())
    for role, name in USERS.items():
        assert data["users"][name]["role"] == role
        assert data["users"][name]["hash"].startswith("$argon2id$")
        assert PASSWORDS[role] not in env.settings.users.read_text()
    assert env.settings.users.stat().st_mode & 0o077 == 0
    assert U.verify(env.settings.users, USERS["ppid"], PASSWORDS["ppid"]) == "ppid"
    assert U.verify(env.settings.users, USERS["ppid"], "wrong-password") is None
    assert U.verify(env.settings.users, "nobody", PASSWORDS["ppid"]) is None


@pytest.mark.slow  # real argon2id hashing, slow on purpose: in make test, not the fast loop
def test_a_new_password_is_hashed_with_the_argon2_library_s_parameters(tmp_path):
    users = tmp_path / "users.json"
    U.add(users, "maria", "clerk", PASSWORDS["clerk"])
    stored = json.loads(users.read_text())["users"]["maria"]["hash"]
    assert stored.startswith("$argon2id$")
    assert not argon2.PasswordHasher().check_needs_rehash(stored)  # the library's current parameters
    assert U.verify(users, "maria", PASSWORDS["clerk"]) == "clerk"


@pytest.mark.slow  # real argon2id hashing, slow on purpose: in make test, not the fast loop
def test_ppid_users_add_takes_the_password_from_the_environment(tmp_path):
    result = CliRunner().invoke(main, ["users", "add", "Maria", "--role", "clerk", "--records", str(tmp_path)],
                                env={"PPID_DESK_PASSWORD": "cukup-panjang-123"})
    assert result.exit_code == 0, result.output
    assert U.verify(tmp_path / "users.json", "maria", "cukup-panjang-123") == "clerk"
    bad = CliRunner().invoke(main, ["users", "add", "x", "--role", "boss", "--records", str(tmp_path)],
                             env={"PPID_DESK_PASSWORD": "cukup-panjang-123"})
    assert bad.exit_code == 2 and "boss" in bad.output and "Traceback" not in bad.output
    short = CliRunner().invoke(main, ["users", "add", "ani", "--role", "clerk", "--records", str(tmp_path)],
                               env={"PPID_DESK_PASSWORD": "pendek"})
    assert short.exit_code == 2 and "at least 10" in short.output


def test_desk_listens_on_localhost_unless_told_otherwise():
    from pipeline.desk.cli import desk

    host = next(p for p in desk.params if p.name == "host")
    assert host.default == "127.0.0.1"


def test_session_cookie_is_httponly_and_samesite(env):
    c = env.app.test_client()
    r = login(c, "clerk")
    assert r.status_code == 302
    cookie = r.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert "script-src 'none'" in c.get("/intake").headers["Content-Security-Policy"]


def test_wrong_password_refused_and_the_sixth_failure_from_one_address_throttled(env):
    c = env.app.test_client()
    page = c.get("/login").get_data(as_text=True)
    for _ in range(5):
        r = c.post("/login", data={"csrf_token": token(page), "username": USERS["ppid"], "password": "salah-salah"})
        assert r.status_code == 401 and "Nama pengguna atau kata sandi salah" in r.get_data(as_text=True)
    r = c.post("/login", data={"csrf_token": token(page), "username": USERS["ppid"], "password": PASSWORDS["ppid"]})
    assert r.status_code == 429 and "Terlalu banyak kata sandi salah" in r.get_data(as_text=True)
    assert c.get("/review").status_code == 302  # not logged in
    # nobody elsewhere can lock the PPID out: the same account from another address logs in
    other = env.app.test_client()
    page = other.get("/login").get_data(as_text=True)
    r = other.post("/login", data={"csrf_token": token(page), "username": USERS["ppid"], "password": PASSWORDS["ppid"]},
                   environ_base={"REMOTE_ADDR": "10.0.0.7"})
    assert r.status_code == 302


def test_many_successful_logins_on_one_shared_pc_are_never_throttled(env):
    for _ in range(12):
        c = env.app.test_client()
        assert login(c, "clerk").status_code == 302


def test_every_form_needs_its_csrf_token(env):
    c = env.app.test_client()
    assert c.post("/login", data={"username": USERS["clerk"], "password": PASSWORDS["clerk"]}).status_code == 400
    login(c, "clerk")
    r = c.post("/intake/information/walk_in", data=WALK_IN)
    assert r.status_code == 400 and "Formulir ditolak" in r.get_data(as_text=True)
    assert not env.day.exists() or not list(env.day.glob("*.yaml"))


@pytest.mark.parametrize("role, allowed, refused", [
    ("clerk", ["/intake", "/inbox", "/mail", "/intake/complaint/whatsapp"], ["/review", "/run", "/register", "/stats", "/export", "/due"]),
    ("ppid", ["/review", "/run", "/register", "/stats", "/due", "/export", "/inbox"], ["/intake", "/mail"]),
    ("analyst", ["/stats", "/register", "/due", "/export"], ["/intake", "/inbox", "/mail", "/review", "/run",
                                                            "/request?rno=0001/PPID/2026", "/letter?rno=0001/PPID/2026&n=0"]),
])
def test_each_role_sees_only_its_pages(env, role, allowed, refused):
    c = env.app.test_client()
    login(c, role)
    for url in allowed:
        assert c.get(url).status_code == 200, url
    for url in refused:
        assert c.get(url).status_code == 403, url


# --- intake ------------------------------------------------------------------------------------


def test_every_problem_of_a_form_is_shown_at_its_field_in_one_pass_and_nothing_is_written(env):
    c = env.app.test_client()
    login(c, "clerk")
    data = {**form(c, "/intake/information/walk_in"), **WALK_IN, "received": "2026-11-31 09:00",
            "requester.name": "", "requester.phone": "12", "requester.identity.number": "12345"}
    r = c.post("/intake/information/walk_in", data=data)
    html = r.get_data(as_text=True)
    assert r.status_code == 422
    problems = dict(re.findall(r'<div class="field-problems" id="f-([a-z-]+)-err">(.*?)</div>', html, re.S))
    assert "Tulis tanggal dan jam seperti 20-01-2027 14.22" in problems["received"]
    assert "Identitas pemohon" in problems["requester-name"]  # the requirement, in the same pass
    assert "bukan nomor telepon Indonesia" in problems["requester-phone"]
    assert "NIK terdiri atas 16 angka" in problems["requester-identity-number"]
    assert re.search(r'id="f-received" aria-invalid="true" aria-describedby="f-received-err" autofocus', html)
    assert html.count("autofocus") == 1  # on the first field in error only
    visible = re.sub(r"<[^>]+>", " ", html)
    assert not re.search(r"\b(line|baris) \d+", visible) and "requester." not in visible  # no YAML key, no line
    assert not list(env.day.glob("*.yaml")) and not list(env.day.glob(".*"))


@pytest.mark.parametrize("typed", ["20-11-2026 09.05", "20-11-2026 09:05", "2026-11-20T09:05", "2026-11-20 09:05"])
def test_a_time_is_accepted_as_typed_or_picked(typed):
    from pipeline.desk.forms import parse_when

    assert parse_when(typed).strftime("%Y-%m-%d %H:%M") == "2026-11-20 09:05"


@pytest.mark.parametrize("number, error, doubt", [
    ("5371000000000077", "", "tanggal lahir"),  # the test cards' numbers carry no birth date
    ("5321014101900001", "", ""),  # Kabupaten Malaka, 1 January 1990 (female: day + 40)
    ("12345", "16 angka", ""),
    ("53710A0101900001", "hanya berisi angka", ""),
    ("5399010101900001", "", "kode kabupaten/kota 5399"),
    ("5371013513900001", "", "tanggal lahir"),
])
def test_a_nik_is_looked_at_and_a_doubtful_one_is_only_a_warning(env, number, error, doubt):
    from pipeline.desk import nik

    with env.app.test_request_context("/"):
        v = nik.check(number, nik.known_regions(env.settings.config))
        assert (error in v.error if error else v.error == "")
        assert (any(doubt in d.lower() for d in v.doubts) if doubt else True)


def test_a_doubtful_nik_is_saved_once_the_clerk_confirms_it(env):
    c = env.app.test_client()
    login(c, "clerk")
    data = {**form(c, "/intake/information/letter"), **{k: v for k, v in WALK_IN.items() if k != "guest_book"},
            "requester.identity.number": "5399010101900001", "requester.email": "yohanes@example.org"}
    r = c.post("/intake/information/letter", data=data)
    assert r.status_code == 422 and "Periksa:" in r.get_data(as_text=True)
    r = c.post("/intake/information/letter", data={**data, "confirm_warnings": "1", "save_incomplete": "1"})
    assert r.status_code == 302, r.get_data(as_text=True)[-2000:]
    [path] = env.day.glob("*.yaml")
    assert '5399010101900001' in path.read_text()


@pytest.mark.parametrize("field, value, message", [
    ("requester.email", "bukan-email", "bukan alamat e-mail"),
    ("requester.phone", "12345", "bukan nomor telepon Indonesia"),
])
def test_contacts_are_checked(env, field, value, message):
    c = env.app.test_client()
    login(c, "clerk")
    r = c.post("/intake/information/walk_in", data={**form(c, "/intake/information/walk_in"), **WALK_IN, field: value})
    assert r.status_code == 422 and message in r.get_data(as_text=True)
    assert not list(env.day.glob("*.yaml"))


def test_missing_requirements_shown_at_their_fields_then_saved_as_incomplete(env):
    c = env.app.test_client()
    login(c, "clerk")
    data = {**form(c, "/intake/information/email"), **{k: v for k, v in WALK_IN.items() if k != "guest_book"},
            "requester.email": "yohanes@example.org", "addressed_to": "Ketua KPU Provinsi Nusa Tenggara Timur"}
    files = {"letter": (__import__("io").BytesIO(pdf_bytes()), "surat.pdf")}
    r = c.post("/intake/information/email", data={**data, **files}, content_type="multipart/form-data")
    html = r.get_data(as_text=True)
    assert r.status_code == 422
    assert re.search(r'id="f-requester-identity-copy-err"><p class="missing field-error">Belum ada: Fotokopi/pindaian '
                     'kartu tanda penduduk', html)
    assert "Terlampir: surat.pdf" in html  # the upload is kept for the second try
    r = c.post("/intake/information/email", data={**data, "save_incomplete": "1"})
    assert r.status_code == 302
    [path] = env.day.glob("*.yaml")
    text = path.read_text()
    assert "letter: lampiran/surat-" in text and "identity:\n    type: ktp" in text
    result = CliRunner().invoke(main, ["validate", str(path), "--date", TODAY.isoformat(),
                                       "--config", str(env.settings.config), "--records", str(env.records)])
    assert result.exit_code == 1 and "INCOMPLETE" in result.output and "identity_copy" in result.output
    events = [json.loads(x) for x in (env.records / "events.jsonl").read_text().splitlines()]
    assert events[-1]["type"] == "desk" and events[-1]["user"] == USERS["clerk"]
    assert events[-1]["action"] == "intake" and events[-1]["missing"] == ["identity_copy"]


@pytest.mark.parametrize("name, data, message", [
    ("virus.pdf", b"MZ\x90\x00 not a pdf", "bukan berkas PDF, JPEG, PNG, atau Word"),
    pytest.param("besar.pdf", b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024 + 10), "paling besar 10 MB",
                 marks=pytest.mark.slow),  # a 10 MB upload through the form: in make test
    ("kosong.jpg", b"", "kosong"),
])
def test_uploads_are_checked_like_attachments(env, name, data, message):
    c = env.app.test_client()
    login(c, "clerk")
    fields = {**form(c, "/intake/information/email"), **WALK_IN}
    r = c.post("/intake/information/email", data={**fields, "letter": (__import__("io").BytesIO(data), name)},
               content_type="multipart/form-data")
    assert r.status_code == 422 and message in r.get_data(as_text=True)
    assert not list(env.day.glob("*.yaml"))


def test_a_staging_token_cannot_name_a_path():
    staging = R.Staging(__import__("pathlib").Path("/tmp/none"))
    with pytest.raises(R.UploadError):
        staging.folder("../../etc")
    assert staging.files("../x") == {}


def test_edit_refuses_a_file_outside_the_inbox_root(env):
    c = env.app.test_client()
    login(c, "clerk")
    (env.root / "secret.yaml").write_text("service: information\n")
    assert c.get("/inbox/edit?file=../secret.yaml").status_code == 404
    assert c.get("/inbox/edit?file=/etc/passwd").status_code == 404


# --- mail in -------------------------------------------------------------------------------------


def _eml(**kw) -> bytes:
    msg = EmailMessage()
    msg["From"] = kw.get("sender", "Maria Goreti Bria <maria.bria@example.org>")
    msg["To"] = "ppid.ntt@example.org"
    msg["Subject"] = kw.get("subject", "Permohonan informasi")
    msg["Date"] = kw.get("date", "Thu, 26 Nov 2026 08:15:00 +0800")
    msg.set_content(kw.get("body", "Dengan hormat, saya memohon salinan keputusan penetapan calon terpilih."))
    for name, data, mt in kw.get("attachments", []):
        maintype, subtype = mt.split("/")
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return msg.as_bytes()


def test_eml_gives_sender_date_body_and_attachments():
    d = M.read_eml(_eml(attachments=[("surat.pdf", pdf_bytes(), "application/pdf"),
                                     ("ktp.jpg", jpeg_bytes(), "image/jpeg")]), "a.eml", max_attachment=10 << 20)
    assert (d.sender_name, d.sender_email, d.received) == ("Maria Goreti Bria", "maria.bria@example.org", "2026-11-26 08:15")
    assert "salinan keputusan" in d.body and d.notes == []
    assert [a.name for a in d.attachments] == ["surat.pdf", "ktp.jpg"]


@pytest.mark.slow  # over 1.4 s: in make test, not the fast loop
def test_eml_with_odd_encoding_and_a_20_mb_attachment_gets_clear_notes():
    raw = (b"From: =?x-unknown?q?Budi?= <budi@example.org>\r\nSubject: =?utf-8?b?UGVybW9ob25hbg==?=\r\n"
           b"Date: not a date\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=XX\r\n\r\n"
           b"--XX\r\nContent-Type: text/plain; charset=x-klingon\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
           b"Mohon data \xff\xfe pemilih\r\n--XX\r\nContent-Type: application/pdf\r\n"
           b"Content-Disposition: attachment; filename=besar.pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n"
           + __import__("base64").encodebytes(b"%PDF-1.4\n" + b"0" * (20 * 1024 * 1024)) + b"\r\n--XX--\r\n")
    d = M.read_eml(raw, "aneh.eml", max_attachment=10 << 20)
    assert d.sender_email == "budi@example.org" and d.subject == "Permohonan"
    assert any("character set (x-klingon)" in n for n in d.notes)
    assert any("no readable date" in n for n in d.notes)
    assert "Mohon data" in d.body
    [a] = d.attachments
    assert a.data is None and "besar.pdf is 20.0 MB" in a.note and "at most 10 MB" in a.note
    assert M.read_eml(b"\x00\x01 not mail", "x.eml", max_attachment=1).notes is not None  # never raises


# --- decisions -------------------------------------------------------------------------------------


def test_a_decision_written_into_a_clerks_file_keeps_its_comments_and_order(env):
    path = write_clerk_file(env.day)
    before = path.read_text()
    doc = R.load_rt(path)
    D.apply_decision(doc, by="Yosefina Lawa", date=TODAY, items={2: {"status": "exempt", "ground": "i",
                     "reason": "Memorandum internal yang belum menjadi keputusan",
                     "consequence": "Membuka memo mengganggu pengambilan keputusan"}},
                     extend=None, objection=None)
    checked = R.write_checked(path, doc, inbox=env.day, today=TODAY, cfg=env.desk.cfg, incomplete=R.Incomplete.REFUSE)
    assert checked.path == path, checked
    after = path.read_text()
    assert after.startswith(before)  # every line, comment and key as it was; the decision appended
    assert after[len(before):] == ("decision:\n  by: Yosefina Lawa\n  date: 2026-11-27\n  items:\n"
                                   "    - item: 2\n      status: exempt\n      ground: i\n"
                                   "      reason: Memorandum internal yang belum menjadi keputusan\n"
                                   "      consequence: Membuka memo mengganggu pengambilan keputusan\n")
    assert validate_ok(env, path)


def test_a_second_decision_updates_its_item_in_place(env):
    path = write_clerk_file(env.day)
    for status in ("exempt", "open"):
        doc = R.load_rt(path)
        D.apply_decision(doc, by="Yosefina Lawa", date=TODAY, items={2: {"status": status, "ground": "i" if status == "exempt" else None,
                                                                       "consequence": "Membuka memo mengganggu keputusan"
                                                                       if status == "exempt" else None}},
                         extend={"days": 7, "reason": "Arsip sedang ditelusuri"}, objection=None)
        assert R.write_checked(path, doc, inbox=env.day, today=TODAY, cfg=env.desk.cfg, incomplete=R.Incomplete.REFUSE).path
    text = path.read_text()
    assert text.count("- item: 2") == 1 and "status: open" in text and "ground" not in text
    assert text.count("extend:") == 1 and "# Butir 2 perlu keputusan PPID." in text


def test_an_invalid_decision_leaves_the_file_untouched(env):
    path = write_clerk_file(env.day)
    before = path.read_bytes()
    doc = R.load_rt(path)
    D.apply_decision(doc, by="X", date=TODAY, items={}, extend={"days": 12, "reason": "lama"}, objection=None)
    checked = R.write_checked(path, doc, inbox=env.day, today=TODAY, cfg=env.desk.cfg, incomplete=R.Incomplete.ACCEPT)
    assert checked.path is None and "decision.extend.days" in checked.errors
    assert checked.errors["decision.extend.days"] == ["Extension: working days: this is out of the allowed range"]
    assert path.read_bytes() == before and not list(env.day.glob(".*tmp"))


def test_the_analysts_export_downloads_without_personal_data(env, monkeypatch):
    from desk_support import write_clerk_file as write

    write(env.day)
    result = CliRunner().invoke(main, ["run", str(env.day), "--no-pdf", "--date", TODAY.isoformat(),
                                       "--records", str(env.records), "--out", str(env.settings.out)])
    assert result.exit_code == 0, result.output
    c = env.app.test_client()
    login(c, "analyst")
    r = c.get("/export?format=csv")
    assert r.status_code == 409 and "kunci nama samaran" in r.get_data(as_text=True)  # the stock key: refused
    monkeypatch.setenv("PPID_PSEUDONYM_KEY", "kunci-rahasia-kantor-uji-123")
    r = c.get("/export?format=csv")
    text = r.get_data(as_text=True)
    assert r.status_code == 200 and "attachment" in r.headers["Content-Disposition"]
    assert "0001/PPID/2026" in text and "requester_pseudonym" in text
    for personal in ("Theresia", "081237771234", "theresia.mau@example.org", "5371000000000077", "Frans Seda"):
        assert personal not in text
    page = c.get("/register").get_data(as_text=True)
    assert "Nama diganti nama samaran" in page and "Theresia" not in page and "P-" in page


@pytest.mark.slow  # the walk-in objection goes through the batch: LibreOffice
def test_an_objection_names_a_register_number_of_this_office(env):
    path = write_clerk_file(env.day)
    CliRunner().invoke(main, ["run", str(env.day), "--no-pdf", "--date", TODAY.isoformat(),
                              "--records", str(env.records), "--out", str(env.settings.out)])
    assert path.exists()
    c = env.app.test_client()
    login(c, "clerk")
    base = {"received": "2026-11-27 10:00", "requester.name": "Theresia Mau", "requester.kind": "individual",
            "requester.phone": "081237771234", "requester.identity.type": "ktp",
            "requester.identity.number": "5371000000000077", "grounds": ["c"], "guest_book": "1",
            "confirm_warnings": "1"}  # the test card's number has no birth date in it
    r = c.post("/intake/objection/walk_in", data={**form(c, "/intake/objection/walk_in"), **base,
                                                  "objection_to": "0099/PPID/2026"})
    problems = dict(re.findall(r'<div class="field-problems" id="f-([a-z-]+)-err">(.*?)</div>', r.get_data(as_text=True), re.S))
    assert r.status_code == 422 and "bukan nomor registrasi kantor ini" in problems["objection-to"]
    r = c.post("/intake/objection/walk_in", data={**form(c, "/intake/objection/walk_in"), **base,
                                                  "objection_to": "0001/PPID/2026"})
    assert r.status_code == 302, r.get_data(as_text=True)[-3000:]
    rno = re.search(r"rno=([^&]+)", r.headers["Location"]).group(1)
    assert rno != "0001/PPID/2026" and env.desk.view().records[rno].row["objection_to"] == "0001/PPID/2026"


@pytest.mark.slow  # completing runs the request through the batch: LibreOffice
def test_completing_a_clerks_incomplete_file_keeps_its_comments(env):
    import io

    path = write_clerk_file(env.day)
    text = path.read_text().replace("    copy: lampiran/ktp-theresia-mau.jpg\n", "")
    path.write_text(text)
    result = CliRunner().invoke(main, ["run", str(env.day), "--no-pdf", "--date", TODAY.isoformat(),
                                       "--records", str(env.records), "--out", str(env.settings.out)])
    assert result.exit_code == 1 and "identity_copy" in result.output
    c = env.app.test_client()
    login(c, "clerk")
    rel = f"{TODAY.isoformat()}/{path.name}"
    assert f"/inbox/edit?file={rel}" in c.get("/inbox").get_data(as_text=True)
    doc = R.load_rt(path)
    fields = R.fields_for("information", "letter")
    data = {**form(c, f"/inbox/edit?file={rel}"), **{f: R.form_value(doc, f) for f in fields if f not in R.ATTACHMENT_ROLES},
            "completed": "2026-11-27 10:00",
            "requester.identity.copy": (io.BytesIO(jpeg_bytes()), "ktp-baru.jpg")}
    r = c.post(f"/inbox/edit?file={rel}", data=data, content_type="multipart/form-data")
    assert r.status_code == 302, r.get_data(as_text=True)[-2000:]
    after = path.read_text()
    lines = text.splitlines()
    assert [x for x in after.splitlines() if x.lstrip().startswith("#") or "#" in x] == \
        [x for x in lines if x.lstrip().startswith("#") or "#" in x]  # every comment, in place
    assert "    copy: lampiran/identitas-theresia-mau.jpg\n" in after
    assert after.index("service:") < after.index("requester:") < after.index("information:") < after.index("completed:")
    assert validate_ok(env, path)
    rec = env.desk.view().records["0001/PPID/2026"]
    assert rec.missing == [] and rec.completed_at == "2026-11-27 10:00"


def validate_ok(env, path) -> bool:
    """`ppid validate` on this desk's records and config, never on the working copy's records/
    (there `make demo` leaves a register in which the clerk's sample file is already request 0009)."""
    result = CliRunner().invoke(main, ["validate", str(path), "--date", TODAY.isoformat(),
                                       "--records", str(env.records), "--config", str(env.settings.config)])
    return result.exit_code == 0 and result.output.startswith("OK")


def test_deciding_with_an_extension_saves_and_runs(env):
    """Finding 1 of issue 20: the decision's and the extension's date were one object, so
    the writer emitted an anchor the loader refuses, and no extension was ever saved."""
    path = write_clerk_file(env.day)
    doc = R.load_rt(path)
    D.apply_decision(doc, by="Yosefina Lawa", date=TODAY, items={},
                     extend={"days": 7, "reason": "Arsip sedang ditelusuri", "date": TODAY}, objection=None)
    checked = R.write_checked(path, doc, inbox=env.day, today=TODAY, cfg=env.desk.cfg, incomplete=R.Incomplete.ACCEPT)
    assert checked.path == path, checked.errors
    text = path.read_text()
    assert "days: 7" in text and "&" not in text.split("decision:")[1] and "*" not in text.split("decision:")[1]
    assert validate_ok(env, path)


@pytest.mark.parametrize("shared", [TODAY, {"days": 7}, ["a", "b"], "teks"])
def test_the_writer_never_emits_anchors_for_shared_objects(shared):
    from ruamel.yaml.comments import CommentedMap

    doc = CommentedMap()
    doc["one"] = shared
    doc["two"] = {"inner": shared}
    text = R.dump_rt(doc)
    assert not re.search(r"[&*]id\d+", text) and "&" not in text and "*" not in text, text


def docx_letter(text: str = "Permohonan salinan DPT Kabupaten Malaka") -> bytes:
    """A Word letter with a VBA part and an external (network) image link planted in it."""
    import io
    import zipfile

    import docx

    buf = io.BytesIO()
    d = docx.Document()
    d.add_paragraph(text)
    d.save(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "word/_rels/document.xml.rels":
                body = body.replace(b"</Relationships>", b'<Relationship Id="rIdX" Type="http://schemas.openxmlformats.'
                                    b'org/officeDocument/2006/relationships/image" Target="http://evil.example/p.png" '
                                    b'TargetMode="External"/></Relationships>')
            z.writestr(info, body)
        z.writestr("word/vbaProject.bin", b"Attribute VB_Name = \"AutoOpen\"")
    return out.getvalue()


def test_a_docx_is_cleaned_of_macros_and_external_links_before_conversion():
    import io
    import zipfile

    from pipeline.pdf.convert import clean_docx

    clean = zipfile.ZipFile(io.BytesIO(clean_docx(docx_letter())))
    assert "word/vbaProject.bin" not in clean.namelist() and "word/document.xml" in clean.namelist()
    rels = clean.read("word/_rels/document.xml.rels")
    assert b"evil.example" not in rels and b'TargetMode="External"' not in rels
    assert R.sniff(docx_letter(), "surat.docx", 10 * 1024 * 1024) == ".docx"


@pytest.mark.slow  # LibreOffice converts the letter
def test_a_docx_letter_is_accepted_and_converted_to_pdf_by_the_desks_libreoffice(env):
    import io
    import subprocess

    c = env.app.test_client()
    login(c, "clerk")
    data = {**form(c, "/intake/information/email"), **{k: v for k, v in WALK_IN.items() if k != "guest_book"},
            "requester.email": "yohanes@example.org",
            "letter": (io.BytesIO(docx_letter()), "surat-permohonan.docx")}
    r = c.post("/intake/information/email", data=data, content_type="multipart/form-data")
    html = r.get_data(as_text=True)
    assert "Terlampir: surat-permohonan.docx" in html  # staged (as PDF) and kept for the second try
    r = c.post("/intake/information/email", data={**{k: v for k, v in data.items() if k != "letter"},
                                                  "save_incomplete": "1"})
    assert r.status_code == 302, r.get_data(as_text=True)[-2000:]
    [pdf] = (env.day / "lampiran").glob("surat-*.pdf")
    assert pdf.read_bytes().startswith(b"%PDF")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Permohonan salinan DPT Kabupaten Malaka" in text


@pytest.mark.parametrize("path, label", [
    ("requester.name", "Nama pemohon"),
    ("information[1]", "Butir informasi 2"),
    ("decision.items[1].ground", "Butir informasi 2: dasar pengecualian"),
    ("decision.extend.days", "Perpanjangan: hari kerja"),
    ("something.unknown", "Berkas permohonan"),
])
def test_errors_name_a_field_as_the_form_labels_it(env, path, label):
    from pipeline.desk.labels import label_of

    with env.app.test_request_context("/"):
        assert label_of(path) == label


OBJECTION_FILE = """\
service: objection
channel: letter
received: 2026-11-26 09:00
requester:
  name: Theresia Mau
  kind: individual
  phone: "081237771234"
  email: theresia.mau@example.org
  identity: {type: ktp, number: "5371000000000077", copy: lampiran/ktp-theresia-mau.jpg}
addressed_to: Ketua KPU Provinsi Nusa Tenggara Timur
letter: lampiran/surat-theresia-mau.pdf
objection_to: 0001/PPID/2026
grounds: [c]
"""


def test_an_objection_is_decided_by_the_atasan_ppid_and_worded_unmistakably(env):
    write_clerk_file(env.day)
    CliRunner().invoke(main, ["run", str(env.day), "--no-pdf", "--date", TODAY.isoformat(),
                              "--records", str(env.records), "--out", str(env.settings.out)])
    obj = env.day / "2026-11-26-keberatan-theresia.yaml"
    obj.write_text(OBJECTION_FILE)
    result = CliRunner().invoke(main, ["run", str(env.day), "--no-pdf", "--date", TODAY.isoformat(),
                                       "--records", str(env.records), "--out", str(env.settings.out)])
    rno = next(r for r, rec in env.desk.view().records.items() if rec.row.get("service") == "objection")
    url = f"/review/item?rno={rno}"
    ppid = env.app.test_client()
    login(ppid, "ppid")
    page = ppid.get(url).get_data(as_text=True)
    assert "diputus oleh Atasan PPID" in page and "Tulis keputusan ke berkas" not in page
    assert ppid.post(url, data={"csrf_token": token(page), "rno": rno, "by": "Yosefina", "date": "27-11-2026",
                                "result": "upheld"}).status_code == 403
    atasan = env.app.test_client()
    login(atasan, "atasan_ppid")
    page = atasan.get(url).get_data(as_text=True)
    assert "Keberatan diterima — PPID diperintahkan mencabut keputusannya" in page  # the Atasan PPID orders; the PPID revokes
    assert "Keberatan ditolak — keputusan PPID dikuatkan" in page
    assert 'name="by" id="f-by" aria-required="true" value=""' in page  # never pre-filled
    r = atasan.post(url, data={"csrf_token": token(page), "rno": rno, "by": "Agustinus Seran", "date": "27-11-2026",
                               "result": "upheld", "reason": "Permohonan sudah dijawab dalam tenggat."})
    assert r.status_code == 302, r.get_data(as_text=True)[-1500:]
    text = obj.read_text()
    assert "by: Agustinus Seran" in text and "result: upheld" in text and "date: 2026-11-27" in text
    ev = [json.loads(x) for x in (env.records / "events.jsonl").read_text().splitlines()][-1]
    assert ev["user"] == USERS["atasan_ppid"] and ev["decided_by"] == "Agustinus Seran" and ev["result"] == "upheld"
    del result


@pytest.mark.parametrize("lang, value, shown", [
    ("id", "2027-01-20 14:22", "20 Januari 2027 14.22"),
    ("id", "2027-01-19T14:22:00+08:00", "19 Januari 2027 14.22"),
    ("id", "2026-08-17", "17 Agustus 2026"),
    ("en", "2027-01-20 14:22", "20 January 2027 14:22"),
])
def test_times_are_shown_the_indonesian_way(env, lang, value, shown):
    from pipeline.desk.i18n import when

    with env.app.test_request_context(f"/?lang={lang}"):
        assert when(value) == shown


def test_the_desk_follows_the_event_log_with_the_registers_own_reader(env):
    """Issue 19 item 3: no second log reader. Register.follow folds in what another process
    appended (with the same checks as load), waits for a torn line, reads a rewritten log
    again, and does not fold the desk's own appends twice."""
    from pipeline.errors import RegisterError
    from pipeline.register import EVENTS, Register

    write_clerk_file(env.day)
    reg = env.desk.register()
    assert reg.records == {}
    CliRunner().invoke(main, ["run", str(env.day), "--no-pdf", "--date", TODAY.isoformat(),
                              "--records", str(env.records), "--out", str(env.settings.out)])
    assert list(env.desk.register().records) == ["0001/PPID/2026"]
    n = env.desk.register().events_read
    with env.desk.changing("yuliana", "note") as (r, _):
        pass
    assert env.desk.register().events_read == n  # its own append (folded as written) is not read back
    fresh = Register(env.records).load()
    assert {k: r.row for k, r in fresh.records.items()} == {k: r.row for k, r in env.desk.register().records.items()}
    log = env.records / EVENTS
    with log.open("ab") as fh:
        fh.write(b'{"type": "desk", "action": "x", "us')  # torn: another process is mid-write
    assert env.desk.register().events_read == n
    with log.open("ab") as fh:
        fh.write(b'er": "a", "at": "2026-11-27 10:00:00"}\n')
    assert env.desk.register().events_read == n + 1
    with log.open("ab") as fh:
        fh.write(b'{"type": "received"}\n')  # not a valid event: refused as load refuses it
    with pytest.raises(RegisterError):
        env.desk.register()
    log.write_bytes(b"")  # rewritten (purged): read again from the start
    assert env.desk.register().records == {}


@pytest.mark.parametrize("office, addressee", [
    ({"addressed_to": "Ketua KPU Kabupaten Kupang"}, "Ketua KPU Kabupaten Kupang"),
    ({"short": "KPU Kabupaten Kupang"}, "Ketua KPU Kabupaten Kupang"),  # left out: the head of the office
])
def test_the_intake_form_is_addressed_as_config_says(tmp_path, office, addressee):
    folder = shutil.copytree(ROOT / "config", tmp_path / "config")
    data = yaml.safe_load((folder / "office.yaml").read_text(encoding="utf-8"))
    data["office"].pop("addressed_to", None)
    data["office"].update(office)
    (folder / "office.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    form = IntakeForm.blank("information", "letter", load_config(folder), now=dt.datetime(2026, 11, 27, 9))
    assert form.value("addressed_to") == addressee
    assert IntakeForm.blank("information", "walk_in", load_config(folder), now=dt.datetime(2026, 11, 27, 9)) \
        .value("addressed_to") == ""  # at the desk the requester says it


def test_an_addressee_that_is_not_text_is_a_config_error(tmp_path):
    folder = shutil.copytree(ROOT / "config", tmp_path / "config")
    data = yaml.safe_load((folder / "office.yaml").read_text(encoding="utf-8"))
    data["office"]["addressed_to"] = ["Ketua"]
    (folder / "office.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"office\.yaml:\d+: office\.addressed_to: must be text"):
        load_config(folder)


def test_the_inbox_status_of_a_file_follows_the_file_and_the_register(env):
    """The inbox page's statuses are cached per file; a change of the file or the register shows at once."""
    from helpers import base_request, write_request
    from pipeline.desk import core

    env.day.mkdir(parents=True, exist_ok=True)
    path = write_request(env.day, "2026-11-20-maria.yaml", base_request())
    first = core.file_status(env.desk, path, env.day)
    assert first.status == "not_processed"
    assert core.file_status(env.desk, path, env.day) is first  # asked again: not judged again
    result = CliRunner().invoke(main, ["run", str(env.day), "--no-pdf", "--date", TODAY.isoformat(),
                                       "--records", str(env.records), "--out", str(env.settings.out)])
    assert result.exit_code in (0, 1), result.output
    registered = core.file_status(env.desk, path, env.day)
    assert registered.status not in ("not_processed", "changed") and registered.register_no
    path.write_text(path.read_text(encoding="utf-8").replace("skripsi", "tesis"), encoding="utf-8")
    assert core.file_status(env.desk, path, env.day).status == "changed"
