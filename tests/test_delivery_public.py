"""The public status page and its published index (spec sections 3, 7, 9): no login, no
personal data, rate-limited, a wrong pair says only that nothing was found."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.delivery.index import index_path
from pipeline.public import LIMIT, create_public_app
from tests.delivery_support import ROOT, config_with, inbox_with

FILES = ["2026-11-20-maria-bria.yaml", "2026-11-05-umbu-remi-hunggu.yaml", "2026-11-16-yoakim-tefa.yaml"]


@pytest.fixture(scope="module")
def registered(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("public")
    cfg = config_with(tmp)
    inbox = inbox_with(tmp, FILES)
    r = CliRunner().invoke(main, ["run", str(inbox), "--json", "--no-pdf", "--config", str(cfg), "--records",
                                  str(tmp / "records"), "--out", str(tmp / "out"), "--date", "2026-11-27",
                                  "--templates", str(ROOT / "templates")], catch_exceptions=False)
    lines = {Path(x["file"]).name: x for x in map(json.loads, r.stdout.splitlines())}
    return tmp, lines


def test_every_registered_request_has_a_status_code_in_its_json_line_and_the_book(registered):
    tmp, lines = registered
    codes = [x["status_code"] for x in lines.values()]
    assert len(set(codes)) == len(FILES) and all(len(c) == 8 for c in codes)
    book = (tmp / "records" / "register.csv").read_text(encoding="utf-8")
    assert all(c in book for c in codes)


def test_the_published_index_holds_nothing_personal(registered):
    tmp, lines = registered
    text = index_path(tmp / "records").read_text(encoding="utf-8")
    for name in FILES:
        src = (ROOT / "examples" / "inbox" / name).read_text(encoding="utf-8")
        for key in ("name:", "email:", "phone:", "number:", "address:"):
            value = next((ln.split(key, 1)[1].strip().strip('"') for ln in src.splitlines()
                          if ln.strip().startswith(key)), "")
            assert not value or value not in text, (name, key)
    for line in lines.values():
        assert line["status_code"] not in text  # only a salted hash of number and code
    entry = next(iter(json.loads(text)["entries"].values()))
    assert set(entry) == {"no", "service", "status", "outcome", "due", "letters"}


@pytest.fixture
def client(registered):
    tmp, lines = registered
    return create_public_app(index_path(tmp / "records")).test_client(), lines


def test_the_right_pair_shows_status_and_due_date_without_personal_data(client):
    c, lines = client
    line = lines["2026-11-20-maria-bria.yaml"]
    r = c.get("/cek", query_string={"no": line["register_no"], "kode": line["status_code"].lower()})
    page = r.get_data(as_text=True)
    assert r.status_code == 200
    assert line["register_no"] in page and "Sudah dijawab" in page and "Batas waktu" in page
    assert "4 Desember 2026" in page
    for private in ("Maria", "maria.bria@example.org", "081234567890", "5371000000000001", "skripsi"):
        assert private not in page


@pytest.mark.parametrize("no,kode", [
    ("0001/PPID/2026", "ZZZZZZZZ"),  # a number that exists with a wrong code
    ("9999/PPID/2026", None),  # a code that exists with a wrong number
    ("0001/PPID/2026", "abc"),  # not a code at all
])
def test_a_wrong_pair_says_only_that_nothing_was_found(client, no, kode):
    c, lines = client
    kode = kode or lines["2026-11-20-maria-bria.yaml"]["status_code"]
    r = c.get("/cek", query_string={"no": no, "kode": kode})
    page = r.get_data(as_text=True)
    assert r.status_code == 404 and "Data tidak ditemukan." in page
    assert "Sudah dijawab" not in page and "Belum lengkap" not in page


def test_an_incomplete_request_shows_that_something_is_missing(client):
    c, lines = client
    line = lines["2026-11-05-umbu-remi-hunggu.yaml"]
    page = c.get("/cek", query_string={"no": line["register_no"], "kode": line["status_code"]}).get_data(as_text=True)
    assert "Belum lengkap" in page


def test_look_ups_are_rate_limited(registered):
    tmp, lines = registered
    c = create_public_app(index_path(tmp / "records")).test_client()
    statuses = [c.get("/cek", query_string={"no": "0001/PPID/2026", "kode": "ZZZZZZZZ"}).status_code
                for _ in range(LIMIT + 2)]
    assert statuses[:LIMIT] == [404] * LIMIT and statuses[LIMIT:] == [429, 429]
    line = lines["2026-11-20-maria-bria.yaml"]
    r = c.get("/cek", query_string={"no": line["register_no"], "kode": line["status_code"]})
    assert r.status_code == 429 and "Terlalu banyak" in r.get_data(as_text=True)


def test_the_page_with_no_question_is_the_form(client):
    c, _ = client
    page = c.get("/cek").get_data(as_text=True)
    assert "Nomor registrasi" in page and "Kode cek status" in page and "Data tidak ditemukan" not in page


def test_the_desk_serves_the_page_without_login(registered, tmp_path):
    from tests.desk_support import make_env

    tmp, lines = registered
    env = make_env(tmp_path)
    import shutil
    shutil.copytree(tmp / "records" / "public", env.records / "public")
    line = lines["2026-11-16-yoakim-tefa.yaml"]
    r = env.app.test_client().get("/cek", query_string={"no": line["register_no"], "kode": line["status_code"]})
    assert r.status_code == 200 and line["register_no"] in r.get_data(as_text=True)


# --- the desk's delivery page -----------------------------------------------------------------------


def _login(client, role):
    import re

    from tests.desk_support import PASSWORDS, USERS

    page = client.get("/login").get_data(as_text=True)
    tok = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    client.post("/login", data={"csrf_token": tok, "username": USERS[role], "password": PASSWORDS[role]})


@pytest.fixture
def desk_env(registered, tmp_path):
    import shutil

    from tests.desk_support import make_env

    tmp, lines = registered
    env = make_env(tmp_path)
    for f in ("events.jsonl", "register.csv", "register.parquet"):
        shutil.copy(tmp / "records" / f, env.records / f)
    yield env, lines
    env.desk.close()


@pytest.mark.parametrize("role,status", [("clerk", 200), ("ppid", 200), ("analyst", 403)])
def test_the_delivery_page_is_for_clerk_and_ppid_only(desk_env, role, status):
    env, _ = desk_env
    c = env.app.test_client()
    _login(c, role)
    r = c.get("/pengiriman")
    assert r.status_code == status
    if status == 200:
        assert "Pengiriman surat" in r.get_data(as_text=True)


def test_a_corrected_address_is_an_audited_change_and_a_wrong_one_is_refused(desk_env):
    import re

    env, lines = desk_env
    line = lines["2026-11-20-maria-bria.yaml"]
    c = env.app.test_client()
    _login(c, "ppid")
    page = c.get("/pengiriman").get_data(as_text=True)
    tok = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    before = (env.records / "events.jsonl").read_text(encoding="utf-8")
    r = c.post("/pengiriman/catat", data={"csrf_token": tok, "register_no": line["register_no"], "action": "address",
                                          "email": "bukan alamat"}, follow_redirects=True)
    assert "bukan alamat e-mail" in r.get_data(as_text=True)
    assert (env.records / "events.jsonl").read_text(encoding="utf-8") == before  # nothing written
    c.post("/pengiriman/catat", data={"csrf_token": tok, "register_no": line["register_no"], "action": "address",
                                      "email": "maria@contoh.ac.id"})
    new = [json.loads(x) for x in (env.records / "events.jsonl").read_text(encoding="utf-8").splitlines()]
    fixed = [e for e in new if e["type"] == "address_corrected"]
    audit = [e for e in new if e["type"] == "desk" and e["action"] == "delivery_address"]
    assert fixed[-1]["personal"]["email"] == "maria@contoh.ac.id" and fixed[-1]["by"] == "yosefina"
    assert audit and audit[-1]["user"] == "yosefina" and audit[-1]["register_no"] == line["register_no"]
