"""The desk in a real browser: Debian's chromium driven by Playwright, against the desk
served on 127.0.0.1 as `ppid desk` serves it, with real LibreOffice behind it."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main

from desk_support import (CLERK_FILE, PASSWORDS, TODAY, USERS, Server, jpeg_bytes,
                          make_env, pdf_bytes, write_clerk_file)

pytestmark = [pytest.mark.browser, pytest.mark.slow]



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


def validate(desk, path: Path, *extra: str):
    """`ppid validate` on this desk's records and config, never on the working copy's records/."""
    return CliRunner().invoke(main, ["validate", str(path), "--date", TODAY.isoformat(), "--records", str(desk.records),
                                     "--config", str(desk.settings.config), *extra])


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
    page.fill("[name='requester.identity.number']", more.get("nik", "5371014107900041"))


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
    page.fill("[name=received]", "2026-11-27T09:10")  # the date picker
    fill_requester(page, "Yohanes Ndun")
    letter = tmp_path / "surat-yohanes.pdf"
    letter.write_bytes(pdf_bytes())
    page.set_input_files("input[name=letter]", str(letter))
    fill_information(page)
    assert page.is_checked("input[name=guest_book]")
    page.click("text=Simpan dan cetak tanda bukti")
    rno = page.inner_text(".rno")
    assert rno == "0001/PPID/2026"
    link = page.locator("a.print", has_text="Cetak tanda bukti")
    assert link.get_attribute("target") == "_blank"
    text = pdf_text(page, env_url(desk, link.get_attribute("href")))
    assert "0001/PPID/2026" in text and "Yohanes Ndun" in text
    with page.expect_popup() as popup:
        link.click()
    assert popup.value.url.startswith(desk.url + "/letter?")

    # the file the desk wrote is accepted by ppid validate as it is, byte for byte
    [path] = desk.day.glob("*.yaml")
    raw = path.read_bytes()
    result = validate(desk, path)
    assert result.exit_code == 0 and result.output.startswith("OK"), result.output
    assert path.read_bytes() == raw
    assert any(e["type"] == "desk" and e["user"] == USERS["clerk"] and e["register_no"] == rno for e in events(desk))


def env_url(env, href: str) -> str:
    return env.url + href.replace("&amp;", "&")


@pytest.mark.warm
def test_an_incomplete_email_request_is_completed_later(browser, desk, tmp_path):
    clerk = login(browser, desk, "clerk")
    clerk.goto(desk.url + "/intake/information/email")
    clerk.fill("[name=received]", "2026-11-27T08:30")
    fill_requester(clerk, "Yasinta Wangge", email="yasinta.wangge@example.com")
    letter = tmp_path / "surat.pdf"
    letter.write_bytes(pdf_bytes())
    clerk.set_input_files("input[name=letter]", str(letter))
    fill_information(clerk)
    clerk.click("text=Simpan ke berkas masuk")
    missing = clerk.locator("#f-requester-identity-copy-err")
    assert "Belum ada" in missing.inner_text() and "kartu tanda penduduk" in missing.inner_text()
    assert "Terlampir: surat.pdf" in clerk.content()
    clerk.click("button:has-text('Simpan sebagai belum lengkap')")
    assert "menjalankan proses" in clerk.inner_text("main")

    ppid = login(browser, desk, "ppid")
    ppid.goto(desk.url + "/run")
    ppid.click("text=Jalankan proses sekarang")
    ppid.wait_for_selector("#run-done", timeout=90_000)
    assert "belum lengkap" in ppid.inner_text("table.list")
    assert "pemberitahuan kelengkapan" in ppid.inner_text("table.list")

    clerk.goto(desk.url + "/inbox")
    clerk.click("a.button:has-text('Lengkapi')")
    box = clerk.inner_text(".status-box")  # what is missing and what is attached
    assert "Fotokopi/pindaian kartu tanda penduduk" in box and "Surat permohonan: surat-yasinta-wangge.pdf" in box
    ktp = tmp_path / "ktp.jpg"
    ktp.write_bytes(jpeg_bytes())
    clerk.set_input_files("input[name='requester.identity.copy']", str(ktp))
    clerk.fill("[name=completed]", "2026-11-27T11:00")
    clerk.click("form.request button[type=submit]:not([name])")
    assert "0001/PPID/2026" in clerk.inner_text(".rno")
    body = clerk.inner_text("main")
    assert "belum lengkap" not in body and "kekurangan" not in body
    receipt = clerk.locator("a.print", has_text="Cetak tanda bukti")
    assert "0001/PPID/2026" in pdf_text(clerk, env_url(desk, receipt.get_attribute("href")))
    # the preview shows the newest letter (the receipt), not the old incomplete notice
    preview = clerk.locator("iframe.preview").get_attribute("src")
    kinds = [x["kind"] for x in desk.desk.view().records["0001/PPID/2026"].letters]
    assert preview.endswith(f"n={len(kinds) - 1}") and kinds[-1] != "incomplete_notice", kinds
    [path] = desk.day.glob("*.yaml")
    text = path.read_text()
    assert "completed: 2026-11-27 11:00" in text and "copy: lampiran/identitas-yasinta-wangge.jpg" in text
    assert validate(desk, path).exit_code == 0
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
    page.click("nav >> text=Surel masuk")
    page.click("text=permohonan-maria.eml")
    assert "saya memohon salinan keputusan" in page.inner_text("aside.mail")
    assert page.input_value("[name='requester.name']") == "Maria Goreti Bria"
    assert page.input_value("[name='requester.email']") == "maria.bria@example.org"
    assert page.input_value("[name=received]") == "2026-11-26T08:15"
    page.fill("[name='requester.phone']", "081234567890")
    page.fill("[name='requester.identity.number']", "5371014107900001")
    fill_information(page)
    page.click("text=Simpan ke berkas masuk")
    assert "Tersimpan" in page.inner_text("h1"), page.inner_text("main")
    [path] = desk.day.glob("*.yaml")
    text = path.read_text()
    assert "channel: email" in text and "email: maria.bria@example.org" in text
    assert "letter: lampiran/surat-maria-goreti-bria.pdf" in text
    assert "copy: lampiran/identitas-maria-goreti-bria.jpg" in text
    assert "; permohonan-maria.eml." in text
    assert validate(desk, path).output.startswith("OK")
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
    page.click("text=Buat konsep")
    notes = page.inner_text("aside.mail")
    assert "set karakter yang tidak dikenal atau rusak (x-klingon)" in notes and "scan.pdf berukuran 20.0 MB" in notes
    assert page.input_value("[name='requester.email']") == "budi@example.org"


@pytest.mark.warm
def test_the_ppid_decides_an_item_and_runs_the_batch(browser, desk):
    path = write_clerk_file(desk.day)
    with desk.desk.changing("setup", "run") as (reg, _):
        desk.desk.run_files(reg, [path], desk.day)
    page = login(browser, desk, "ppid")
    assert page.url.endswith("/review")
    row = page.locator("table.queue tr", has_text="0001/PPID/2026")
    assert "belum diputus: butir 2" in row.inner_text()
    row.locator("a.button", has_text="Putuskan").click()
    assert page.input_value("[name=by]") == ""  # never a placeholder: the deciding official is named
    page.fill("[name=by]", "Yosefina Lawa")
    page.select_option("[name='item2.status']", "exempt")
    page.select_option("[name='item2.ground']", "i")
    page.fill("[name='item2.reason']", "Surat-menyurat internal yang belum menjadi keputusan")
    page.fill("[name='item2.consequence']", "Membuka surat internal mengganggu pengambilan keputusan")
    page.fill("[name='item2.consequence_test']", "Keputusan PPID KPU Provinsi NTT Nomor 1 Tahun 2026 tentang uji")
    page.click("text=Tulis keputusan ke berkas")
    assert "Keputusan sudah ditulis" in page.inner_text("main")
    text = path.read_text()
    assert text.startswith(CLERK_FILE)  # the clerk's comments and order kept
    assert "decision:\n  by: Yosefina Lawa\n  date: 2026-11-27\n  items:\n    - item: 2\n      status: exempt" in text
    assert validate(desk, path).exit_code == 0

    page.click("button:has-text('Jalankan proses')")  # on the review page
    assert "/run" in page.url
    page.wait_for_selector("#run-done", timeout=120_000)
    row = page.locator("table.list tr", has_text="0001/PPID/2026")
    assert "dijawab" in row.inner_text()
    notice = row.locator("a", has_text="pemberitahuan tertulis")
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
    assert resp.status == 403 and "tidak terbuka untuk peran Anda" in page.content()
    resp = page.goto(desk.url + "/review/item?rno=0001/PPID/2026")
    assert resp.status == 403
    assert "Theresia" not in page.content() and path.exists()


def test_a_form_posted_without_its_csrf_token_is_refused(browser, desk):
    page = login(browser, desk, "clerk")
    resp = page.context.request.post(desk.url + "/intake/complaint/whatsapp", form={
        "received": "2026-11-27 09:00", "requester.name": "Budi", "requester.kind": "individual",
        "requester.phone": "081234567890", "text": "Tes"})
    assert resp.status == 400 and "Formulir ditolak" in resp.text()
    assert not desk.day.exists() or not list(desk.day.glob("*.yaml"))
    page.goto(desk.url + "/intake/complaint/whatsapp")
    page.locator("form.request input[name=csrf_token]").evaluate("e => e.value = 'forged'")
    page.fill("[name='requester.name']", "Budi")
    page.fill("[name=text]", "Tes")
    page.click("text=Simpan ke berkas masuk")
    assert "Formulir ditolak" in page.inner_text("h1")


def test_wrong_password_refused_and_the_sixth_failure_throttled(browser, desk):
    page = browser.new_context().new_page()
    page.goto(desk.url + "/login")
    for _ in range(5):
        page.fill("input[name=username]", USERS["ppid"])
        page.fill("input[name=password]", "bukan-sandinya")
        page.click("button[type=submit]")
        assert "Nama pengguna atau kata sandi salah" in page.inner_text("p.error")
    page.fill("input[name=username]", USERS["ppid"])
    page.fill("input[name=password]", PASSWORDS["ppid"])
    page.click("button[type=submit]")
    assert "Terlalu banyak kata sandi salah" in page.inner_text("p.error")
    assert "/login" in page.url
    cookies = page.context.cookies()
    assert all(c["httpOnly"] and c["sameSite"] == "Strict" for c in cookies if c["name"] == "ppid_desk")


def test_the_ppid_extends_a_request_and_the_extension_is_saved(browser, desk):
    """Issue 20 finding 1: an extension was never saved (the writer emitted a YAML anchor)."""
    path = write_clerk_file(desk.day)
    CliRunner().invoke(main, ["run", str(desk.day), "--no-pdf", "--date", TODAY.isoformat(),
                              "--records", str(desk.records), "--out", str(desk.settings.out)])
    page = login(browser, desk, "ppid")
    page.goto(desk.url + "/review/item?rno=0001/PPID/2026")
    page.fill("[name=by]", "Yosefina Lawa")
    page.fill("[name=extend_days]", "7")
    page.fill("[name=extend_reason]", "Arsip surat-menyurat sedang ditelusuri di gudang")
    page.click("text=Tulis keputusan ke berkas")
    assert "Keputusan sudah ditulis" in page.inner_text("main"), page.inner_text("main")
    text = path.read_text()
    assert "extend:\n    days: 7\n    reason: Arsip surat-menyurat sedang ditelusuri di gudang\n    date: 2026-11-27" in text
    assert "&" not in text and "*id" not in text
    result = validate(desk, path)
    assert result.exit_code == 0, result.output
    decision = [e for e in events(desk) if e["type"] == "desk" and e["action"] == "decision"][-1]
    assert decision["user"] == USERS["ppid"] and decision["decided_by"] == "Yosefina Lawa" and decision["extend"] == 7


def test_every_problem_of_the_intake_form_shows_at_once_with_focus_on_the_first(browser, desk):
    page = login(browser, desk, "clerk")
    page.goto(desk.url + "/intake/information/letter")
    page.fill("[name='requester.phone']", "12345")
    page.fill("[name='requester.email']", "bukan-email")
    page.fill("[name='requester.identity.number']", "12345")
    page.click("text=Simpan ke berkas masuk")
    errors = {el.get_attribute("id"): el.inner_text() for el in page.locator(".field-problems").all()}
    assert "Identitas pemohon" in errors["f-requester-name-err"]
    assert "bukan nomor telepon Indonesia" in errors["f-requester-phone-err"]
    assert "bukan alamat e-mail" in errors["f-requester-email-err"]
    assert "NIK terdiri atas 16 angka" in errors["f-requester-identity-number-err"]
    assert "Belum ada" in errors["f-requester-identity-copy-err"] and "Belum ada" in errors["f-letter-err"]
    for field in ("requester.name", "requester.phone", "requester.email", "requester.identity.number"):
        el = page.locator(f"[name='{field}']")
        assert el.get_attribute("aria-invalid") == "true"
        assert page.locator("#" + el.get_attribute("aria-describedby")).count() == 1
    assert page.evaluate("document.activeElement.name") == "requester.name"  # the first field in error
    assert page.locator("label[for=f-requester-name] abbr.req").count() == 1  # required is marked
    assert not desk.day.exists() or not list(desk.day.glob("*.yaml"))


@pytest.mark.parametrize("url, role", [("/review", "ppid"), ("/register", "ppid"), ("/intake/information/walk_in", "clerk"),
                                       ("/stats", "analyst")])
def test_pages_fit_an_800_px_window_without_sideways_scrolling(browser, desk, url, role):
    from desk_support import CLERK_FILE

    for n in range(6):  # long subjects and names in the queue and the register
        desk.day.mkdir(parents=True, exist_ok=True)
        (desk.day / f"2026-11-2{n}-req-{n}.yaml").write_text(CLERK_FILE.replace("2026-11-20", f"2026-11-2{n}").replace(
            "Theresia Mau", f"Theresia Mau Nenobais Bria Seran {n}").replace("lampiran/", "../lampiran-x/"))
    write_clerk_file(desk.day)
    CliRunner().invoke(main, ["run", str(desk.day), "--no-pdf", "--date", TODAY.isoformat(),
                              "--records", str(desk.records), "--out", str(desk.settings.out)])
    page = login(browser, desk, role)
    page.set_viewport_size({"width": 800, "height": 700})
    page.goto(desk.url + url)
    assert page.evaluate("document.documentElement.scrollWidth") <= 800
    assert page.evaluate("document.querySelector('header.top').offsetHeight") <= 90  # the menu is not four lines
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"  # a skip link comes first


def test_input_borders_contrast_at_least_3_to_1(browser, desk):
    page = login(browser, desk, "clerk")
    page.goto(desk.url + "/intake/information/walk_in")
    color = page.evaluate("getComputedStyle(document.querySelector(\"[name='requester.name']\")).borderTopColor")
    r, g, b = [int(x) for x in color[color.index("(") + 1:color.index(")")].split(",")[:3]]

    def lum(c):
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    ratio = 1.05 / (0.2126 * lum(r) + 0.7152 * lum(g) + 0.0722 * lum(b) + 0.05)
    assert ratio >= 3.0, (color, ratio)
