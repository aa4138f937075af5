"""The desk in a real browser: Debian's chromium driven by Playwright, against the desk
served on 127.0.0.1 as `ppid desk` serves it, with real LibreOffice behind it."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main

from desk_support import (ARGS_CHROMIUM, CHROMIUM, CLERK_FILE, PASSWORDS, TODAY, USERS, Server, jpeg_bytes,
                          make_env, pdf_bytes, write_clerk_file)

pytestmark = [pytest.mark.browser, pytest.mark.slow]



@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS_CHROMIUM)
        yield b
        b.close()


@pytest.fixture
def desk(tmp_path, request):
    env = make_env(tmp_path, warm=request.node.get_closest_marker("warm") is not None)
    with Server(env.app) as server:
        env.url = server.url
        yield env
    env.desk.close()


def login(browser, env, role: str):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    page = ctx.new_page()
    page.goto(env.url + "/login")
    page.fill("input[name=username]", USERS[role])
    page.fill("input[name=password]", PASSWORDS[role])
    page.click("button[type=submit]")
    page.wait_for_load_state()
    assert "/login" not in page.url, page.content()[:500]
    return page


def pdf_text(page, href: str) -> str:
    resp = page.context.request.get(href)
    assert resp.status == 200 and resp.headers["content-type"] == "application/pdf"
    body = resp.body()
    assert body.startswith(b"%PDF")
    return subprocess.run(["pdftotext", "-", "-"], input=body, capture_output=True, check=True).stdout.decode()


def validate(path: Path, *extra: str):
    return CliRunner().invoke(main, ["validate", str(path), "--date", TODAY.isoformat(), *extra])


def events(env) -> list[dict]:
    return [json.loads(x) for x in (env.records / "events.jsonl").read_text().splitlines()]


def fill_requester(page, name: str, **more):
    page.fill("[name='requester.name']", name)
    page.select_option("[name='requester.kind']", more.get("kind", "individual"))
    page.fill("[name='requester.phone']", more.get("phone", "081298765432"))
    if "email" in more:
        page.fill("[name='requester.email']", more["email"])
    page.fill("[name='requester.address']", "Jl. Soekarno No. 7, Kota Kupang")
    page.select_option("[name='requester.identity.type']", "ktp")
    page.fill("[name='requester.identity.number']", more.get("nik", "5371000000000041"))


def fill_information(page):
    page.fill("[name=information]", "Salinan Keputusan KPU Provinsi NTT tentang penetapan calon terpilih "
                                    "DPRD Provinsi 2024\nData pemilih disabilitas per kabupaten/kota")
    page.fill("[name=purpose]", "Penelitian skripsi tentang partisipasi pemilih")
    page.fill("[name=source]", "Laman resmi KPU Provinsi NTT")
    page.select_option("[name=form]", "softcopy")
    page.select_option("[name=delivery]", "email")


@pytest.mark.warm
def test_clerk_enters_a_walk_in_request_and_prints_its_receipt(browser, desk, tmp_path):
    page = login(browser, desk, "clerk")
    assert page.url.endswith("/intake")
    page.click("a[href='/intake/information/walk_in']")
    page.fill("[name=received]", "2026-11-27 09:10")
    fill_requester(page, "Yohanes Ndun")
    letter = tmp_path / "surat-yohanes.pdf"
    letter.write_bytes(pdf_bytes())
    page.set_input_files("input[name=letter]", str(letter))
    fill_information(page)
    assert page.is_checked("input[name=guest_book]")
    page.click("text=Save and print the receipt")
    rno = page.inner_text(".rno")
    assert rno == "0001/PPID/2026"
    link = page.locator("a.print", has_text="Print the receipt")
    assert link.get_attribute("target") == "_blank"
    text = pdf_text(page, env_url(desk, link.get_attribute("href")))
    assert "0001/PPID/2026" in text and "Yohanes Ndun" in text
    with page.expect_popup() as popup:
        link.click()
    assert popup.value.url.startswith(desk.url + "/letter?")

    # the file the desk wrote is accepted by ppid validate as it is, byte for byte
    [path] = desk.day.glob("*.yaml")
    raw = path.read_bytes()
    result = validate(path)
    assert result.exit_code == 0 and result.output.startswith("OK"), result.output
    assert path.read_bytes() == raw
    assert any(e["type"] == "desk" and e["user"] == USERS["clerk"] and e["register_no"] == rno for e in events(desk))


def env_url(env, href: str) -> str:
    return env.url + href.replace("&amp;", "&")


@pytest.mark.warm
def test_an_incomplete_email_request_is_completed_later(browser, desk, tmp_path):
    clerk = login(browser, desk, "clerk")
    clerk.goto(desk.url + "/intake/information/email")
    clerk.fill("[name=received]", "2026-11-27 08:30")
    fill_requester(clerk, "Yasinta Wangge", email="yasinta.wangge@example.com")
    letter = tmp_path / "surat.pdf"
    letter.write_bytes(pdf_bytes())
    clerk.set_input_files("input[name=letter]", str(letter))
    fill_information(clerk)
    clerk.click("text=Save to the inbox")
    missing = clerk.locator(".field-error[data-field='requester.identity.copy']")
    assert "Missing" in missing.inner_text() and "kartu tanda penduduk" in missing.inner_text()
    assert "Attached: surat.pdf" in clerk.content()
    clerk.click("text=Save as incomplete")
    assert "runs the batch" in clerk.inner_text("main")

    ppid = login(browser, desk, "ppid")
    ppid.goto(desk.url + "/run")
    ppid.click("text=Run the batch now")
    ppid.wait_for_selector("#run-done", timeout=90_000)
    assert "incomplete" in ppid.inner_text("table.list")
    assert "incomplete notice" in ppid.inner_text("table.list")

    clerk.goto(desk.url + "/inbox")
    clerk.click("a.button:has-text('Complete')")
    ktp = tmp_path / "ktp.jpg"
    ktp.write_bytes(jpeg_bytes())
    clerk.set_input_files("input[name='requester.identity.copy']", str(ktp))
    clerk.fill("[name=completed]", "2026-11-27 11:00")
    clerk.click("button:has-text('Save')")
    assert "0001/PPID/2026" in clerk.inner_text(".rno")
    body = clerk.inner_text("main")
    assert "status incomplete" not in body and "missing" not in body
    receipt = clerk.locator("a.print", has_text="Print the receipt")
    assert "0001/PPID/2026" in pdf_text(clerk, env_url(desk, receipt.get_attribute("href")))
    [path] = desk.day.glob("*.yaml")
    text = path.read_text()
    assert "completed: 2026-11-27 11:00" in text and "copy: lampiran/identitas-yasinta-wangge.jpg" in text
    assert validate(path).exit_code == 0
    desk_events = [(e["action"], e["user"]) for e in events(desk) if e["type"] == "desk"]
    assert desk_events == [("intake", USERS["clerk"]), ("run", USERS["ppid"]), ("complete", USERS["clerk"])]


def test_an_eml_becomes_a_request(browser, desk):
    from email.message import EmailMessage

    msg = EmailMessage()
    msg["From"] = "Maria Goreti Bria <maria.bria@example.org>"
    msg["Subject"] = "Permohonan salinan keputusan"
    msg["Date"] = "Thu, 26 Nov 2026 08:15:00 +0800"
    msg.set_content("Dengan hormat,\nsaya memohon salinan keputusan penetapan calon terpilih DPRD Provinsi 2024.")
    msg.add_attachment(pdf_bytes(), maintype="application", subtype="pdf", filename="surat-permohonan.pdf")
    msg.add_attachment(jpeg_bytes(), maintype="image", subtype="jpeg", filename="ktp.jpg")
    (desk.settings.mail_dir / "permohonan-maria.eml").write_bytes(msg.as_bytes())

    page = login(browser, desk, "clerk")
    page.click("text=Mail in")
    page.click("text=permohonan-maria.eml")
    assert "saya memohon salinan keputusan" in page.inner_text("aside.mail")
    assert page.input_value("[name='requester.name']") == "Maria Goreti Bria"
    assert page.input_value("[name='requester.email']") == "maria.bria@example.org"
    assert page.input_value("[name=received]") == "2026-11-26 08:15"
    page.fill("[name='requester.phone']", "081234567890")
    page.fill("[name='requester.identity.number']", "5371000000000001")
    fill_information(page)
    page.click("text=Save to the inbox")
    assert "Saved" in page.inner_text("h1"), page.inner_text("main")
    [path] = desk.day.glob("*.yaml")
    text = path.read_text()
    assert "channel: email" in text and "email: maria.bria@example.org" in text
    assert "letter: lampiran/surat-maria-goreti-bria.pdf" in text
    assert "copy: lampiran/identitas-maria-goreti-bria.jpg" in text
    assert "dari surel permohonan-maria.eml" in text
    assert validate(path).output.startswith("OK")
    assert not (desk.settings.mail_dir / "permohonan-maria.eml").exists()
    assert (desk.settings.mail_dir / "processed" / "permohonan-maria.eml").exists()

    # an odd message: unknown character set and a 20 MB attachment
    odd = desk.root / "aneh.eml"
    odd.write_bytes(b"From: Budi <budi@example.org>\r\nSubject: Data\r\nMIME-Version: 1.0\r\n"
                    b"Content-Type: multipart/mixed; boundary=XX\r\n\r\n--XX\r\n"
                    b"Content-Type: text/plain; charset=x-klingon\r\n\r\nMohon data \xff pemilih\r\n--XX\r\n"
                    b"Content-Type: application/pdf\r\nContent-Disposition: attachment; filename=scan.pdf\r\n"
                    b"Content-Transfer-Encoding: base64\r\n\r\n"
                    + __import__("base64").encodebytes(b"%PDF-1.4\n" + b"0" * (20 * 1024 * 1024)) + b"\r\n--XX--\r\n")
    page.goto(desk.url + "/mail")
    page.set_input_files("input[name=eml]", str(odd))
    page.click("text=Make a draft")
    notes = page.inner_text("aside.mail")
    assert "character set (x-klingon)" in notes and "scan.pdf is 20.0 MB" in notes
    assert page.input_value("[name='requester.email']") == "budi@example.org"


@pytest.mark.warm
def test_the_ppid_decides_an_item_and_runs_the_batch(browser, desk):
    path = write_clerk_file(desk.day)
    with desk.desk.changing("setup", "run") as (reg, _):
        desk.desk.run_files(reg, [path], desk.day)
    page = login(browser, desk, "ppid")
    assert page.url.endswith("/review")
    row = page.locator("table.queue tr", has_text="0001/PPID/2026")
    assert "undecided 2" in row.inner_text()
    row.locator("a.button", has_text="Decide").click()
    page.select_option("[name='item2.status']", "exempt")
    page.select_option("[name='item2.ground']", "i")
    page.fill("[name='item2.reason']", "Surat-menyurat internal yang belum menjadi keputusan")
    page.fill("[name='item2.consequence']", "Membuka surat internal mengganggu pengambilan keputusan")
    page.fill("[name='item2.consequence_test']", "Keputusan PPID KPU Provinsi NTT Nomor 1 Tahun 2026 tentang uji")
    page.click("text=Write the decision into the file")
    assert "Decision written" in page.inner_text("main")
    text = path.read_text()
    assert text.startswith(CLERK_FILE)  # the clerk's comments and order kept
    assert "decision:\n  by: Nama Pejabat PPID\n  date: 2026-11-27\n  items:\n    - item: 2\n      status: exempt" in text
    assert validate(path).exit_code == 0

    page.click("button:has-text('Run the batch')")  # on the review page
    assert "/run" in page.url
    page.wait_for_selector("#run-done", timeout=120_000)
    row = page.locator("table.list tr", has_text="0001/PPID/2026")
    assert "answered" in row.inner_text()
    notice = row.locator("a", has_text="decision notice")
    text = pdf_text(page, env_url(desk, notice.get_attribute("href")))
    assert "0001/PPID/2026" in text and "Pasal 17 huruf i" in text.replace("\n", " ")
    assert any(e["type"] == "desk" and e["action"] == "decision" and e["user"] == USERS["ppid"] for e in events(desk))


def test_an_analyst_cannot_open_a_request_or_see_a_phone_number(browser, desk):
    path = write_clerk_file(desk.day)
    result = CliRunner().invoke(main, ["run", str(desk.day), "--no-pdf", "--date", TODAY.isoformat(),
                                       "--records", str(desk.records), "--out", str(desk.settings.out)])
    assert result.exit_code == 0, result.output
    personal = ["081237771234", "theresia.mau@example.org", "5371000000000077", "Theresia Mau", "Frans Seda"]
    ppid = login(browser, desk, "ppid")
    ppid.goto(desk.url + "/register")
    assert "0001/PPID/2026" in ppid.content() and "Theresia Mau" in ppid.content()
    assert not any(p in ppid.content() for p in personal[:3] + personal[4:])
    page = login(browser, desk, "analyst")
    for url in ("/stats", "/register", "/register?q=Theresia", "/due", "/export"):
        page.goto(desk.url + url)
        html = page.content()
        assert not any(p in html for p in personal), url
    page.goto(desk.url + "/register")
    assert "0001/PPID/2026" in page.content()
    resp = page.goto(desk.url + "/request?rno=0001/PPID/2026")
    assert resp.status == 403 and "not open to your role" in page.content()
    resp = page.goto(desk.url + "/review/item?rno=0001/PPID/2026")
    assert resp.status == 403
    assert "Theresia" not in page.content() and path.exists()


def test_a_form_posted_without_its_csrf_token_is_refused(browser, desk):
    page = login(browser, desk, "clerk")
    resp = page.context.request.post(desk.url + "/intake/complaint/whatsapp", form={
        "received": "2026-11-27 09:00", "requester.name": "Budi", "requester.kind": "individual",
        "requester.phone": "081234567890", "text": "Tes"})
    assert resp.status == 400 and "CSRF" in resp.text()
    assert not desk.day.exists() or not list(desk.day.glob("*.yaml"))
    page.goto(desk.url + "/intake/complaint/whatsapp")
    page.locator("form.request input[name=csrf_token]").evaluate("e => e.value = 'forged'")
    page.fill("[name='requester.name']", "Budi")
    page.fill("[name=text]", "Tes")
    page.click("text=Save to the inbox")
    assert "Form refused" in page.inner_text("h1")


def test_wrong_password_refused_and_the_sixth_attempt_in_a_minute_throttled(browser, desk):
    page = browser.new_context().new_page()
    page.goto(desk.url + "/login")
    for _ in range(5):
        page.fill("input[name=username]", USERS["ppid"])
        page.fill("input[name=password]", "bukan-sandinya")
        page.click("button[type=submit]")
        assert "Wrong user name or password" in page.inner_text("p.error")
    page.fill("input[name=username]", USERS["ppid"])
    page.fill("input[name=password]", PASSWORDS["ppid"])
    page.click("button[type=submit]")
    assert "Too many login attempts" in page.inner_text("p.error")
    assert "/login" in page.url
    cookies = page.context.cookies()
    assert all(c["httpOnly"] and c["sameSite"] == "Strict" for c in cookies if c["name"] == "ppid_desk")
