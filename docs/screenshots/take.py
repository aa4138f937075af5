"""Screenshots of the desk for docs/screenshots/, taken with Playwright and Debian's chromium.

    .venv/bin/python docs/screenshots/take.py

The desk runs on a copy of examples/inbox, processed as of 2026-11-27 (`ppid run
--no-pdf`), with one user of each role.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from click.testing import CliRunner  # noqa: E402

from desk_support import ARGS_CHROMIUM, PASSWORDS, USERS, Server, make_env  # noqa: E402
from pipeline.cli import main  # noqa: E402

OUT = Path(__file__).resolve().parent
EXTRA = Path(sys.argv[1]) if len(sys.argv) > 1 else None  # a folder for more pages


def shot(page, name: str) -> None:
    page.screenshot(path=str(OUT / f"{name}.png"), full_page=True)
    print(f"wrote {OUT / name}.png")


def run() -> None:
    from playwright.sync_api import sync_playwright

    tmp = Path(tempfile.mkdtemp(prefix="desk-shots-"))
    try:
        env = make_env(tmp)
        inbox = env.inbox_root / "inbox"
        shutil.copytree(ROOT / "examples" / "inbox", inbox)
        result = CliRunner().invoke(main, ["run", str(inbox), "--no-pdf", "--date", "2026-11-27",
                                           "--records", str(env.records), "--out", str(env.settings.out)])
        assert result.exit_code in (0, 1), result.output
        with Server(env.app) as server, sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS_CHROMIUM)

            def login(role: str):
                page = browser.new_context(viewport={"width": 1280, "height": 860}).new_page()
                page.goto(server.url + "/login")
                page.fill("input[name=username]", USERS[role])
                page.fill("input[name=password]", PASSWORDS[role])
                page.click("button[type=submit]")
                return page

            clerk = login("clerk")
            clerk.goto(server.url + "/intake/information/walk_in")
            clerk.fill("[name='requester.name']", "Hendrikus Bere")
            clerk.select_option("[name='requester.kind']", "political_party")
            clerk.fill("[name='requester.organization']", "DPW Partai Suara Rakyat Nusantara Provinsi NTT")
            clerk.fill("[name='requester.phone']", "081236554433")
            clerk.fill("[name='requester.identity.number']", "5371000000000009")
            clerk.fill("[name=information]", "Daftar calon tetap anggota DPRD Provinsi NTT Pemilu 2024")
            clerk.fill("[name=purpose]", "Bahan konsolidasi internal partai")
            clerk.fill("[name=source]", "Laman resmi KPU Provinsi NTT")
            clerk.click("text=Save and print the receipt")  # no leader's letter: shown at its field
            shot(clerk, "intake-form")

            ppid = login("ppid")
            ppid.goto(server.url + "/review")
            shot(ppid, "review-queue")
            analyst = login("analyst")
            analyst.goto(server.url + "/stats")
            shot(analyst, "statistics")
            if EXTRA:  # more pages, to look at (not committed)
                ppid.click("table.queue tr:nth-child(3) a.button")
                ppid.screenshot(path=str(EXTRA / "review-item.png"), full_page=True)
                ppid.goto(server.url + "/register?q=Kupang")
                ppid.screenshot(path=str(EXTRA / "register-ppid.png"), full_page=True)
                analyst.goto(server.url + "/register")
                analyst.screenshot(path=str(EXTRA / "register-analyst.png"), full_page=True)
                clerk.goto(server.url + "/inbox")
                clerk.screenshot(path=str(EXTRA / "inbox.png"), full_page=True)
            browser.close()
        env.desk.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    run()
