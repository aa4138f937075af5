"""The status page and the WhatsApp hand-over in a real browser (Debian's chromium driven by
Playwright), with letters made by LibreOffice."""

from __future__ import annotations

import os
import tempfile

import json
import shutil
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from tests.delivery_support import ROOT, Server as SmtpServer, Sink, config_with, inbox_with, mail_config
from tests.desk_support import PASSWORDS, USERS, Server, make_env

pytestmark = [pytest.mark.browser, pytest.mark.slow]
FILES = ["2026-11-20-maria-bria.yaml", "2026-11-16-yoakim-tefa.yaml"]  # by e-mail; by WhatsApp
# the tests write their screenshots to a temporary folder; PPID_SCREENSHOTS=docs/screenshots
# refreshes the shipped ones (the suite leaves the working tree as it found it)
SHOTS = Path(os.environ.get("PPID_SCREENSHOTS") or tempfile.mkdtemp(prefix="ppid-shots-"))


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    """Letters issued for an e-mail and a WhatsApp request; the e-mails sent to a local server."""
    tmp = tmp_path_factory.mktemp("browser")
    sink = Sink()
    smtp = SmtpServer(sink)
    smtp.start()
    try:
        cfg = config_with(tmp, mail=mail_config(smtp.port), public_base_url="https://ppid.example.go.id")
        inbox = inbox_with(tmp, FILES)
        r = CliRunner().invoke(main, ["run", str(inbox), "--json", "--config", str(cfg), "--records",
                                      str(tmp / "records"), "--out", str(tmp / "out"), "--date", "2026-11-27",
                                      "--templates", str(ROOT / "templates")], catch_exceptions=False)
    finally:
        smtp.stop()
    lines = {Path(x["file"]).name: x for x in map(json.loads, r.stdout.splitlines())}
    assert len(sink.messages) == 2  # ppid run sent the e-mail request's letters at its end
    return tmp, lines


@pytest.mark.parametrize("width", [1280, 390])
def test_status_page_shows_letters_and_their_delivery_at_desktop_and_phone_width(browser, office, width):
    from pipeline.delivery.index import index_path
    from pipeline.public import create_public_app

    tmp, lines = office
    line = lines["2026-11-20-maria-bria.yaml"]
    with Server(create_public_app(index_path(tmp / "records"))) as server:
        ctx = browser.new_context(viewport={"width": width, "height": 900})
        page = ctx.new_page()
        page.goto(server.url + "/cek")
        page.fill("#no", line["register_no"])
        page.fill("#kode", line["status_code"])
        page.click("button[type=submit]")
        page.wait_for_load_state()
        text = page.inner_text("body")
        assert "Sudah dijawab" in text and "Batas waktu" in text
        assert "Tanda Bukti Penerimaan Permohonan" in text and "Pemberitahuan Tertulis" in text
        from pipeline.delivery.outbox import now_wita
        from pipeline.formatting import date_id

        sent_on = date_id(now_wita().date())  # the moment the relay took it, not the processing date
        assert text.count(f"Dikirim: e-mail, {sent_on}") == 2 and "Diterima: belum tercatat" in text
        assert "Maria" not in text and "@" not in text
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")  # no sideways scroll
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"status-page-{width}.png"), full_page=True)
        page.goto(server.url + f"/cek?no={line['register_no']}&kode=ZZZZZZZZ")
        assert page.inner_text(".notice") == "Data tidak ditemukan."
        ctx.close()


def test_whatsapp_hand_over_opens_a_prepared_message_and_records_it(browser, office, tmp_path):
    tmp, lines = office
    env = make_env(tmp_path)
    shutil.rmtree(env.records / "public", ignore_errors=True)
    for f in (tmp / "records").iterdir():
        if f.name != "users.json":
            (shutil.copytree if f.is_dir() else shutil.copy)(f, env.records / f.name)
    env.desk.cfg = __import__("pipeline.config", fromlist=["load_config"]).load_config(tmp / "config")
    line = lines["2026-11-16-yoakim-tefa.yaml"]
    with Server(env.app) as server:
        ctx = browser.new_context(viewport={"width": 1280, "height": 900})
        page = ctx.new_page()
        page.goto(server.url + "/login")
        page.fill("input[name=username]", USERS["clerk"])
        page.fill("input[name=password]", PASSWORDS["clerk"])
        page.click("button[type=submit]")
        page.goto(server.url + "/pengiriman")
        section = page.locator("section.delivery", has_text=line["register_no"]).first
        link = section.locator("a.wa").get_attribute("href")
        parts = urlsplit(link)
        assert parts.netloc == "wa.me" and parts.path == "/6281339001122"
        message = parse_qs(parts.query)["text"][0]
        assert line["register_no"] in message and line["status_code"] in message
        assert "https://ppid.example.go.id/cek?no=" in message
        page.screenshot(path=str(SHOTS / "delivery-desk-1280.png"), full_page=True)
        section.locator("select[name=method]").select_option("whatsapp")
        section.locator("button", has_text="Catat penyerahan").click()
        page.wait_for_load_state()
        assert "Tercatat" in page.inner_text("body")
        events = [json.loads(x) for x in (env.records / "events.jsonl").read_text().splitlines()]
        sent = [e for e in events if e["type"] == "sent" and e["register_no"] == line["register_no"]]
        assert sent and all(e["channel"] == "whatsapp" and e["by"] == USERS["clerk"] for e in sent)
        assert any(e["type"] == "desk" and e["action"] == "delivery_handover" for e in events)
        # the requester confirms on WhatsApp: the day of receipt is recorded
        section = page.locator("section.delivery", has_text=line["register_no"]).first
        section.locator("select[name=how]").select_option("whatsapp")
        section.locator("button", has_text="Catat diterima").click()
        page.wait_for_load_state()
        events = [json.loads(x) for x in (env.records / "events.jsonl").read_text().splitlines()]
        assert any(e["type"] == "delivered" and e["how"] == "whatsapp" and e["register_no"] == line["register_no"]
                   for e in events)
        page.set_viewport_size({"width": 800, "height": 900})
        page.screenshot(path=str(SHOTS / "delivery-desk-800.png"), full_page=True)
        ctx.close()
    env.desk.close()
