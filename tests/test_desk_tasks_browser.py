"""Each desk task in a real browser (Debian's chromium through Playwright) as the role that
does it, against requests registered by the real batch with real LibreOffice letters."""

from __future__ import annotations

import json
import subprocess

import pytest

from desk_support import PASSWORDS, USERS, Server
from desk_tasks_support import SUPPLEMENT, build, copy

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    return build(tmp_path_factory.mktemp("registered"), pdf=True)  # receipts as PDFs, to reprint


@pytest.fixture
def desk(base, tmp_path):
    env = copy(base, tmp_path)
    with Server(env.app) as server:
        env.url = server.url
        yield env
    env.desk.close()


def login(browser, env, role: str, *, name: str | None = None, password: str | None = None, width: int = 1280):
    ctx = browser.new_context(viewport={"width": width, "height": 900})
    page = ctx.new_page()
    page.goto(env.url + "/login")
    page.fill("input[name=username]", name or USERS[role])
    page.fill("input[name=password]", password or PASSWORDS[role])
    page.click("button[type=submit]")
    page.wait_for_load_state()
    assert "/login" not in page.url, page.content()[:500]
    return page


def events(env) -> list[dict]:
    return [json.loads(x) for x in (env.records / "events.jsonl").read_text().splitlines()]


def last_desk_event(env) -> dict:
    return [e for e in events(env) if e["type"] == "desk"][-1]


def focused(page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.id")


def file(env, stem: str):
    return next(env.day.glob(f"*{stem}*.yaml"))


def test_ppid_answers_a_consultation_all_errors_in_one_pass(browser, desk):
    page = login(browser, desk, "ppid")
    page.goto(desk.url + "/riwayat?rno=0001/PPID/2026")
    page.click("text=Catat jawaban konsultasi")
    page.fill("#f-answer-date", "")
    page.click("button:has-text('Simpan')")
    assert page.locator("[aria-invalid=true]").count() == 4  # text, by, role, date: one pass
    assert focused(page) == "f-answer-text"  # the first field in error has the focus
    assert page.get_attribute("#f-answer-text", "aria-describedby") == "f-answer-text-err"
    assert "Jawaban konsultasi wajib diisi." in page.inner_text("#f-answer-text-err")
    page.fill("#f-answer-text", "Pemerintah daerah dapat memfasilitasi ruang dan petugas pemutakhiran.")
    page.fill("#f-answer-by", "Adrianus Sole, S.Sos.")  # one of the staff (config/office.yaml)
    page.select_option("#f-answer-role", "delegated")
    page.fill("#f-answer-date", "2026-11-27")
    page.click("button:has-text('Simpan')")
    assert "/riwayat" in page.url and "menunggu persetujuan" in page.inner_text("main")
    text = file(desk, "paulus").read_text()
    assert "role: delegated" in text and "# Konsultasi lewat surat" in text
    assert last_desk_event(desk)["user"] == USERS["ppid"] and last_desk_event(desk)["action"] == "answer"


def test_clerk_records_a_withdrawal(browser, desk):
    page = login(browser, desk, "clerk")
    page.goto(desk.url + "/riwayat?rno=0004/PPID/2026")
    page.click("text=Catat pencabutan")
    page.fill("#f-withdrawn", "2026-11-26")
    page.fill("#f-withdrawn-note", "Pemohon menelepon meja depan")
    page.click("button:has-text('Simpan')")
    assert "Pencabutan tercatat." in page.inner_text("main")
    assert "Pencabutan dicatat" in page.inner_text("table.history")
    assert "withdrawn: 2026-11-26" in file(desk, "maria").read_text()
    ev = last_desk_event(desk)
    assert (ev["action"], ev["user"], ev["note"]) == ("withdrawal", USERS["clerk"], "Pemohon menelepon meja depan")


def test_clerk_records_the_day_the_notice_was_received(browser, desk):
    page = login(browser, desk, "clerk")
    page.goto(desk.url + "/riwayat?rno=0001/KEB/PPID/2026")
    page.click("text=Catat tanggal pemberitahuan diterima")
    page.fill("#f-notice-received", "2026-12-01")  # after today: refused at the field
    page.click("button:has-text('Simpan')")
    assert "tidak boleh sesudah hari ini (27 November 2026)" in page.inner_text("#f-notice-received-err")
    page.fill("#f-notice-received", "2026-11-26")
    page.click("button:has-text('Simpan')")
    assert "notice_received: 2026-11-26" in file(desk, "keberatan").read_text()


def test_ppid_responds_to_a_complaint(browser, desk):
    page = login(browser, desk, "ppid")
    page.goto(desk.url + "/riwayat?rno=0003/PPID/2026")
    page.click("text=Catat tanggapan")
    page.fill("#f-response-text", "Formulir e-PPID sudah diperbaiki pada 26 November 2026.")
    page.fill("#f-response-by", "Yosefina Lawa")
    page.fill("#f-response-date", "2026-11-27")
    page.click("button:has-text('Simpan')")
    assert "Tanggapan tersimpan." in page.inner_text("main")
    assert "response:\n  text: Formulir e-PPID sudah diperbaiki" in file(desk, "oktovianus").read_text()


def test_ppid_records_a_komisi_informasi_dispute(browser, desk):
    page = login(browser, desk, "ppid")
    page.goto(desk.url + "/riwayat?rno=0001/KEB/PPID/2026")
    page.click("text=Catat sengketa Komisi Informasi")
    page.fill("#f-dispute-filed", "2026-11-26")
    page.fill("#f-dispute-case-no", "012/XI/KI-NTT-PS/2026")
    page.select_option("#f-dispute-result", "mediated")
    page.click("button:has-text('Simpan')")
    assert "wajib diisi bila hasilnya dipilih" in page.inner_text("#f-dispute-decided-err")
    assert focused(page) == "f-dispute-decided"
    page.fill("#f-dispute-decided", "2026-11-27")
    page.click("button:has-text('Simpan')")
    assert "Sengketa tercatat." in page.inner_text("main")
    assert "result: mediated" in file(desk, "keberatan").read_text()


def test_ppid_assigns_a_disposition_and_the_queue_shows_it(browser, desk):
    page = login(browser, desk, "ppid")
    page.goto(desk.url + "/riwayat?rno=0002/PPID/2026")
    page.click("a.button:has-text('Disposisi')")
    page.fill("#f-disposition-to", "Subbagian Teknis dan Hupmas")
    page.fill("#f-disposition-note", "Siapkan jawaban butir 2")
    page.click("button:has-text('Simpan')")
    assert "Disposisi tercatat." in page.inner_text("main")
    page.goto(desk.url + "/review")
    assert "Disposisi kepada Subbagian Teknis dan Hupmas, 27 November 2026" in page.inner_text("table.queue")


def test_clerk_links_a_supplement_found_by_nik(browser, desk):
    folder = desk.day
    (folder / "susulan-maria.yaml").write_text(SUPPLEMENT.replace("../lampiran-susulan/", "lampiran/"))
    from desk_support import jpeg_bytes, pdf_bytes

    (folder / "lampiran" / "ktp-maria.jpg").write_bytes(jpeg_bytes())
    (folder / "lampiran" / "surat-maria.pdf").write_bytes(pdf_bytes())
    page = login(browser, desk, "clerk")
    page.goto(desk.url + "/inbox")
    page.click("text=Hubungkan sebagai susulan")
    page.fill("#q", "5371012345670001")
    page.click("button:has-text('Cari')")
    row = page.locator("table.list tr", has_text="Maria Goreti Bria")
    assert "5371••••••••0001" in row.inner_text() and "5371012345670001" not in page.inner_text("table.list")
    row.locator("input[type=radio]").check()
    page.click("button:has-text('Hubungkan')")
    assert "dihubungkan dengan 0004/PPID/2026" in page.inner_text("main")
    assert "register_no: 0004/PPID/2026" in (folder / "susulan-maria.yaml").read_text()


def pdf_text(page, href: str) -> str:
    resp = page.context.request.get(href)
    assert resp.status == 200 and resp.headers["content-type"] == "application/pdf"
    return subprocess.run(["pdftotext", "-", "-"], input=resp.body(), capture_output=True, check=True).stdout.decode()


@pytest.mark.parametrize("width", [1280, 800])
def test_clerk_looks_up_a_caller_by_phone_and_reprints_the_receipt(browser, desk, width, tmp_path):
    page = login(browser, desk, "clerk", width=width)
    page.click("nav >> text=Cari")
    page.fill("#q", "0813 3944 5566")
    page.click("button:has-text('Cari')")
    row = page.locator("table.lookup tbody tr")
    assert row.count() == 1 and "Paulus Bata" in row.inner_text() and "081••••••566" in row.inner_text()
    assert "081339445566" not in page.content()
    page.screenshot(path=str(tmp_path / f"cari-{width}.png"), full_page=True)
    wide = page.evaluate("""[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1).map(e => e.tagName + '.' + e.className).slice(0, 8)""")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), wide  # no sideways scroll
    link = row.locator("a:has-text('Cetak ulang tanda bukti')")
    text = pdf_text(page, desk.url + link.get_attribute("href"))
    assert "0001/PPID/2026" in text
    assert last_desk_event(desk)["action"] == "reprint"
    row.locator("a", has_text="0001/PPID/2026").click()
    steps = page.inner_text("table.history")
    assert "Diterima dan didaftarkan dengan nomor 0001/PPID/2026" in steps
    assert "Surat diterbitkan" in steps and "Tanda bukti cetak ulang" not in steps
    assert "Tanda bukti dicetak ulang" in steps
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=str(tmp_path / f"riwayat-{width}.png"), full_page=True)


def test_clerk_fixes_a_malformed_file_in_the_editor(browser, desk):
    bad = desk.day / "2026-11-27-rusak.yaml"
    bad.write_text("service: informasi\nchannel: letter\nreceived: 2026-11-27 08:00\nrequester:\n  name: Agnes Lay\n")
    page = login(browser, desk, "clerk")
    page.goto(desk.url + "/inbox")
    page.click("text=Perbaiki berkas")
    problems = page.inner_text("#problems")
    assert "Baris 1" in problems and "nilai 'informasi' tidak diizinkan" in problems
    text = page.input_value("#text").replace("service: informasi", "service: information")
    page.fill("#text", text.replace("channel: letter", "channel: surat"))
    page.click("button:has-text('Periksa dan simpan')")
    assert "Baris 2" in page.inner_text("#problems") and bad.read_text().startswith("service: informasi")
    page.fill("#text", text)
    page.click("button:has-text('Periksa dan simpan')")
    assert "Berkas tersimpan" in page.inner_text("main") and bad.read_text().startswith("service: information")
    assert last_desk_event(desk)["action"] == "file_edit"


def test_ppid_adds_a_user_and_disabling_her_ends_her_session(browser, desk):
    ppid = login(browser, desk, "ppid")
    ppid.click("nav >> text=Pengguna")
    ppid.fill("#u-name", "agnes")
    ppid.select_option("#u-role", "clerk")
    ppid.fill("#u-password", "kata-sandi-agnes")
    ppid.fill("#u-password2", "kata-sandi-lain")
    ppid.click("button:has-text('Tambah pengguna')")
    assert "tidak sama" in ppid.inner_text("#u-password2-err") and focused(ppid) == "u-password2"
    ppid.fill("#u-password", "kata-sandi-agnes")
    ppid.fill("#u-password2", "kata-sandi-agnes")
    ppid.click("button:has-text('Tambah pengguna')")
    assert "Pengguna agnes ditambahkan." in ppid.inner_text("main")
    agnes = login(browser, desk, "clerk", name="agnes", password="kata-sandi-agnes")
    agnes.goto(desk.url + "/cari")
    assert "/cari" in agnes.url
    ppid.locator("tr", has_text="agnes").locator("button:has-text('Nonaktifkan')").click()
    assert "dinonaktifkan" in ppid.inner_text("main")
    agnes.goto(desk.url + "/cari")
    assert "/login" in agnes.url  # her session ended
    acts = [e["action"] for e in events(desk) if e["type"] == "desk"][-2:]
    assert acts == ["user_add", "user_disable"]
