"""Screenshots of the desk in Indonesian for docs/screenshots/, as each role sees it, at
1280 and 800 px wide, taken with Playwright and Debian's chromium.

    .venv/bin/python docs/screenshots/take.py

The desk runs on a copy of the three example inboxes, processed as `make demo` does
(`ppid run --no-pdf`), as of 2027-01-20, with one user of each role.
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

from desk_support import ARGS_CHROMIUM, CHROMIUM, PASSWORDS, USERS, Server, make_env  # noqa: E402
from pipeline.cli import main  # noqa: E402

OUT = Path(__file__).resolve().parent
RUNS = [("inbox", "2026-11-27"), ("inbox-2026-12-03", "2026-12-03"), ("inbox-2027-01-20", "2027-01-20")]
WIDTHS = (1280, 800)


def pages(url: str, objection: str, decide: str, consult: str = "") -> dict[str, list[tuple[str, str, object]]]:
    """role -> (name, path, what to do on the page before the shot)."""
    def errors(page):  # the walk-in form sent half-filled: every problem at its field
        page.fill("[name='requester.name']", "Hendrikus Bere")
        page.fill("[name='requester.phone']", "12345")
        page.fill("[name='requester.identity.number']", "53710")
        page.click("form.request button[type=submit]:not([name])")

    def answer_errors(page):  # the consultation answer sent empty: every problem at its field
        page.fill("#f-answer-date", "")
        page.click("form.task button[type=submit]")

    return {
        "clerk": [("penerimaan", "/intake", None), ("formulir-kesalahan", "/intake/information/walk_in", errors),
                  ("berkas-masuk", "/inbox", None), *TASK_SHOTS["clerk"]],
        "ppid": [("antrean-keputusan", "/review", None), ("keputusan", f"/review/item?rno={decide}", None),
                 ("register", "/register", None), ("tenggat", "/due", None),
                 ("jawaban-konsultasi", f"/tugas/jawaban?rno={consult}", answer_errors), *TASK_SHOTS["ppid"]],
        "atasan_ppid": [("keberatan", f"/review/item?rno={objection}", None)],
        "analyst": [("statistik", "/stats?year=2026", None), ("register-analis", "/register", None)],
    }


# the task pages (pipeline.desk.tasks.pages)
TASK_SHOTS = {
    "clerk": [("cari", "/cari?q=Bria", None), ("riwayat", "/riwayat?rno=0001/PPID/2026", None),
              ("perbaiki-berkas", "/tugas/berkas?file=inbox/2026-11-24-agustinus-kolo.yaml", None)],
    "ppid": [("disposisi", "/tugas/disposisi?rno=0001/PPID/2026", None), ("pengguna", "/pengguna", None)],
}


def small(path: Path) -> None:
    """The screenshot in 256 colours: a third of the bytes, the same to read."""
    from PIL import Image

    with Image.open(path) as im:
        im.convert("RGB").quantize(256).save(path, optimize=True)


def run() -> None:
    from playwright.sync_api import sync_playwright

    tmp = Path(tempfile.mkdtemp(prefix="desk-shots-"))
    for role in ("clerk", "ppid", "atasan-ppid", "analyst"):  # this script's own; others' shots stay
        for old in OUT.glob(f"{role}-*.png"):
            old.unlink()
    try:
        env = make_env(tmp, config={"DESK_LANGUAGES": ("id", "en")}, date=__import__("datetime").date(2027, 1, 20))
        for name, date in RUNS:
            shutil.copytree(ROOT / "examples" / name, env.inbox_root / name)
            result = CliRunner().invoke(main, ["run", str(env.inbox_root / name), "--no-pdf", "--date", date,
                                               "--records", str(env.records), "--out", str(env.settings.out)])
            assert result.exit_code in (0, 1), result.output
        records = env.desk.view().records.values()
        review = [r for r in records if r.row.get("status") == "review"]
        objection = next(r.register_no for r in review if r.row.get("service") == "objection")
        decide = next(r.register_no for r in review if r.row.get("service") == "information")
        consult = next(r.register_no for r in records if r.row.get("service") == "consultation"
                       and r.row.get("status") == "scheduled")
        with Server(env.app) as server, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS_CHROMIUM + ["--lang=id-ID"])
            for role, shots in pages(server.url, objection, decide, consult).items():
                for width in WIDTHS:
                    # the office's PCs run in Indonesian: the date pickers show 20/01/2027
                    page = browser.new_context(viewport={"width": width, "height": 800}, locale="id-ID").new_page()
                    page.goto(server.url + "/login")
                    page.fill("input[name=username]", USERS[role])
                    page.fill("input[name=password]", PASSWORDS[role])
                    page.click("button[type=submit]")
                    for name, path, act in shots:
                        page.goto(server.url + path)
                        if act:
                            act(page)
                        target = OUT / f"{role.replace('_', '-')}-{name}-{width}.png"
                        page.screenshot(path=str(target), full_page=True)
                        small(target)
                        print(f"wrote {target.relative_to(ROOT)}")
                    page.context.close()
            browser.close()
        env.desk.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    run()
