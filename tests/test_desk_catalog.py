"""Every word the desk shows comes from its catalog: each page is rendered under a
pseudo-locale in which every catalog string comes out as ⟦…⟧, and any visible text left
outside the marks must be request data (names, subjects, numbers, dates) or the office's
own config and legal wording. Also: the shipped .mo matches its .po, and every msgid
has an Indonesian translation."""

from __future__ import annotations

import html.parser
import re
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from click.testing import CliRunner

from pipeline.cli import main

from desk_support import ROOT, TODAY, USERS, make_env, write_clerk_file
from test_desk import login

CATALOG = ROOT / "pipeline" / "desk" / "translations"
PO = CATALOG / "id" / "LC_MESSAGES" / "messages.po"


def pseudo_catalog(folder: Path) -> None:
    """A catalog for 'eo' whose every msgstr is its msgid in marks."""
    cat = read_po(PO.open("rb"), locale="eo")
    for m in cat:
        if m.id:
            m.string = tuple(f"⟦{x}⟧" for x in m.id) if isinstance(m.id, tuple) else f"⟦{m.id}⟧"
    out = folder / "eo" / "LC_MESSAGES"
    out.mkdir(parents=True)
    with (out / "messages.mo").open("wb") as fh:
        write_mo(fh, cat)


class Text(html.parser.HTMLParser):
    """Visible text nodes and the attributes a person reads (title, placeholder, aria-label)."""

    def __init__(self):
        super().__init__()
        self.out: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "textarea", "pre", "svg"):  # textarea/pre hold request data
            self.skip += 1
        a = dict(attrs)
        for k in ("title", "placeholder", "aria-label", "alt"):
            if a.get(k):
                self.out.append(a[k])
        if tag == "option" and a.get("value") is not None:
            pass

    def handle_endtag(self, tag):
        if tag in ("script", "style", "textarea", "pre", "svg"):
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip and data.strip():
            self.out.append(data)


def unmarked(text: str) -> str:
    while True:
        new = re.sub(r"⟦[^⟦⟧]*⟧", " ", text)
        if new == text:
            return text
        text = new


DATA_SHAPES = [
    r"\d{1,2} \w+ \d{4}( \d{2}[.:]\d{2})?",  # a date as the locale writes it
    r"[\d\s.,:;/()%\-+—–·*|←→…]+",  # numbers, register numbers, punctuation
    "|".join(USERS.values()),  # user names
    r"[\dA-Z.-]+(/[\dA-Z.-]+)+",  # register and letter numbers: 0001/PPID/2026
    r"PPID|KTP-el|WhatsApp|e-PPID|CSV|Excel \(xlsx\)|Parquet|English|Bahasa Indonesia",  # names of things
]


def corpus(env) -> str:
    """Request data and the office's own texts that pages show as they are."""
    parts = [p.read_text(encoding="utf-8") for p in env.inbox_root.rglob("*.yaml")]
    parts += [str(v) for rec in env.desk.view().records.values() for v in rec.row.values()]
    parts += [p.read_text(encoding="utf-8") for p in (ROOT / "config").glob("*.yaml")]
    from pipeline import wording

    parts += [str(v) for v in vars(wording).values() if isinstance(v, (str, dict))]
    parts += [str(p.name) for p in env.inbox_root.rglob("*")]
    return "\n".join(parts)


def is_data(piece: str, known: str) -> bool:
    """Request data as pages show it: items joined by ' | ', cut short with '…', listed as 'a. …',
    with personal data masked as pii.MASK (each piece around the mask is the requester's text)."""
    from pipeline.pii import MASK

    for part in re.split(r" \| |; | \(", piece):
        part = re.sub(r"^[a-j]\. ", "", part.strip()).rstrip("….)").strip()
        if part and any(p.strip() and p.strip() not in known for p in part.split(MASK)):
            return False
    return True


@pytest.fixture
def env(tmp_path):
    folder = tmp_path / "pseudo"
    pseudo_catalog(folder)
    env = make_env(tmp_path / "desk", config={
        "BABEL_TRANSLATION_DIRECTORIES": f"{CATALOG};{folder}", "DESK_LANGUAGES": ("id", "en", "eo")})
    write_clerk_file(env.day)
    result = CliRunner().invoke(main, ["run", str(env.day), "--no-pdf", "--date", TODAY.isoformat(),
                                       "--records", str(env.records), "--out", str(env.settings.out)])
    assert result.exit_code in (0, 1), result.output
    (env.day / "rusak.yaml").write_text("service: informasi\nchannel: letter\nreceived: 2026-11-27 08:00\n")
    yield env
    env.desk.close()


PAGES = {
    None: ["/login", "/nowhere", "/cek", "/cek?no=0001/PPID/2026&kode=ZZZZZZZZ"],
    "clerk": ["/intake", "/inbox", "/mail", "/intake/information/walk_in", "/intake/objection/letter",
              "/intake/complaint/whatsapp", "/intake/consultation/email", "/request?rno=0001/PPID/2026",
              "/review", "/cari", "/cari?q=5371000000000077", "/riwayat?rno=0001/PPID/2026",
              "/tugas/pencabutan?rno=0001/PPID/2026", "/tugas/pemberitahuan-diterima?rno=0001/PPID/2026",
              "/tugas/berkas?file=2026-11-27/rusak.yaml",
              "/tugas/susulan?file=2026-11-27/2026-11-20-theresia-mau.yaml&q=theresia", "/pengiriman"],
    "ppid": ["/pengiriman", "/review", "/review/item?rno=0001/PPID/2026", "/run", "/due", "/register", "/stats", "/export",
             "/request?rno=0001/PPID/2026", "/inbox",
             # the desk's tasks (pipeline.desk.tasks.pages)
             "/cari?q=theresia", "/riwayat?rno=0001/PPID/2026", "/tugas/jawaban?rno=0001/PPID/2026",
             "/tugas/tanggapan?rno=0001/PPID/2026", "/tugas/sengketa?rno=0001/PPID/2026",
             "/tugas/disposisi?rno=0001/PPID/2026", "/pengguna", "/pengguna/kata-sandi?name=yuliana"],
    "atasan_ppid": ["/review", "/due", "/register", "/stats"],
    "analyst": ["/stats", "/due", "/register", "/export"],
}


def assert_all_marked(c, url: str, known) -> None:
    """Every visible word of the page at `url` comes from the (pseudo-locale) catalog or is data."""
    r = c.get(url)
    assert r.status_code in (200, 403, 404), (url, r.status_code)
    page = r.get_data(as_text=True)
    assert "⟦" in page, url
    parser = Text()
    parser.feed(page)
    for text in parser.out:
        for piece in re.split(r"\s{2,}|\n", unmarked(text)):
            piece = piece.strip(" :;,.·—-()*")
            if not piece or not re.search(r"[A-Za-z]", piece):
                continue
            if any(re.fullmatch(s, piece) for s in DATA_SHAPES) or is_data(piece, known):
                continue
            pytest.fail(f"{url}: text outside the catalog: {piece!r} (in {text!r})")


@pytest.mark.parametrize("role", list(PAGES))
def test_every_visible_word_comes_from_the_catalog(env, role):
    c = env.app.test_client()
    if role:
        login(c, role)
    c.get("/login?lang=eo")
    known = corpus(env)
    for url in PAGES[role]:
        assert_all_marked(c, url, known)


@pytest.fixture(scope="module")
def examples(tmp_path_factory):
    """The three example inboxes, run as `make demo` runs them; the desk on 2027-01-20."""
    import datetime as dt
    import shutil

    tmp = tmp_path_factory.mktemp("catalog")
    folder = tmp / "pseudo"
    pseudo_catalog(folder)
    env = make_env(tmp / "desk", date=dt.date(2027, 1, 20), config={
        "BABEL_TRANSLATION_DIRECTORIES": f"{CATALOG};{folder}", "DESK_LANGUAGES": ("id", "en", "eo")})
    for name, date in (("inbox", "2026-11-27"), ("inbox-2026-12-03", "2026-12-03"), ("inbox-2027-01-20", "2027-01-20")):
        shutil.copytree(ROOT / "examples" / name, env.inbox_root / name)
        result = CliRunner().invoke(main, ["run", str(env.inbox_root / name), "--no-pdf", "--date", date,
                                           "--records", str(env.records), "--out", str(env.settings.out)])
        assert result.exit_code in (0, 1), result.output
    reg = env.desk.view()
    env.objection = next(r.register_no for r in reg.records.values()
                         if r.row.get("service") == "objection" and r.row.get("status") == "review")
    yield env
    env.desk.close()


EXAMPLE_PAGES = {
    None: ["/login", "/nowhere"],
    "clerk": ["/intake", "/inbox", "/mail", "/intake/information/walk_in", "/intake/objection/letter",
              "/intake/complaint/whatsapp", "/intake/consultation/email", "/request?rno=0001/PPID/2026",
              "/review"],
    "ppid": ["/review", "/review/item?rno=0009/PPID/2026", "/run", "/due", "/register", "/register?page=2", "/stats",
             "/stats?year=2027", "/export", "/request?rno=0001/PPID/2026", "/request?rno=0015/PPID/2026", "/inbox",
             "/review/item?rno={objection}"],
    "atasan_ppid": ["/review", "/due", "/register", "/stats", "/review/item?rno={objection}"],
    "analyst": ["/stats", "/due", "/register", "/export"],
}


@pytest.mark.parametrize("role", list(EXAMPLE_PAGES))
def test_every_visible_word_on_the_example_data_comes_from_the_catalog(examples, role):
    """The three example inboxes as `make demo` runs them: every status, outcome and service."""
    env = examples
    c = env.app.test_client()
    if role:
        login(c, role)
    c.get("/login?lang=eo")
    known = corpus(env)
    for url in EXAMPLE_PAGES[role]:
        url = url.format(objection=env.objection)
        assert_all_marked(c, url, known)


def test_every_msgid_has_an_indonesian_translation():
    cat = read_po(PO.open("rb"), locale="id")
    untranslated = [m.id for m in cat if m.id and not (m.string if isinstance(m.string, str) else all(m.string))]
    assert untranslated == []


def test_the_shipped_mo_is_compiled_from_the_po():
    from babel.messages.mofile import read_mo

    mo = read_mo((PO.with_suffix(".mo")).open("rb"))
    po = read_po(PO.open("rb"), locale="id")
    def pairs(cat):
        return {(m.id if isinstance(m.id, str) else tuple(m.id)): (m.string if isinstance(m.string, str) else tuple(m.string))
                for m in cat if m.id}
    assert pairs(po) == pairs(mo), "run `make catalog` to compile translations/id/LC_MESSAGES/messages.mo"
