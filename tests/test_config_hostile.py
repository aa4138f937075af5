"""office.yaml written wrong (issue 18): each mistake is a config error naming the file, the
field and its line, exit 2, before anything is read; never a traceback, never a hang."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.config import load_config
from pipeline.errors import ConfigError

ROOT = Path(__file__).resolve().parent.parent


def config(tmp: Path, old: str, new: str) -> Path:
    """The shipped config with one text edit of office.yaml (as an officer would type it)."""
    dst = tmp / "config"
    shutil.copytree(ROOT / "config", dst)
    office = dst / "office.yaml"
    text = office.read_text(encoding="utf-8")
    assert old in text, old
    office.write_text(text.replace(old, new, 1), encoding="utf-8")
    return dst


def line_of(folder: Path, written: str) -> int:
    return next(i for i, x in enumerate((folder / "office.yaml").read_text().splitlines(), 1) if written in x)


BROKEN = [  # (what is written, instead of what, the field path the message names, a word of how to fix it)
    ("office: null\nold_office:", "office:", "office", "mapping"),
    ("tembusan: 5\nold_tembusan:", "tembusan:", "tembusan", "list"),
    ("tembusan:\n  - [Arsip]\nold_tembusan:", "tembusan:", "tembusan", "list"),
    ("add: {2026-02-30: x}", "add: {}", "calendar.add.2026-02-30", "date"),
    ("add: {\"2026-02-30\": x}", "add: {}", "calendar.add.2026-02-30", "date"),
    ("add: {2026-12-31: [x]}", "add: {}", "calendar.add.2026-12-31", "text"),
    ('register: "{seq:>999999999d}/PPID/{year}"', 'register: "{seq:04d}/PPID/{year}"', "numbering.register",
     "width"),
    ('register: "{seq:{year}}/PPID/{year}"', 'register: "{seq:04d}/PPID/{year}"', "numbering.register", "width"),
    ('register: "{seq!r}/PPID/{year}"', 'register: "{seq:04d}/PPID/{year}"', "numbering.register", "width"),
    ('register: "{seq.real}/PPID/{year}"', 'register: "{seq:04d}/PPID/{year}"', "numbering.register",
     "not a field"),
    ('letter: "{seq:,}/HM/{year}"', 'letter: "{seq}/HM.02-SD/53/{year}"', "numbering.letter", "width"),
    ("numbering: [a]\nold_numbering:", "numbering:", "numbering", "mapping"),
    ("calendar: yes\nold_calendar:", "calendar:", "calendar", "mapping"),
    ("letter_defaults: 3\nold_letter_defaults:", "letter_defaults:", "letter_defaults", "mapping"),
    ("  short: [KPU]", "  short: KPU Provinsi Nusa Tenggara Timur", "office.short", "text"),
]
# found by a sweep of 21 fields x 11 wrong values through load_config: the one traceback left
NO_LINE_YET = [("deadlines:\n  election_periods: 5\nold_deadlines:", "deadlines:", "deadlines.election_periods",
                "list")]


@pytest.mark.parametrize("new,old,field,how", NO_LINE_YET)
def test_a_wrong_section_elsewhere_is_a_config_error_too(tmp_path, new, old, field, how):
    with pytest.raises(ConfigError, match=rf"office.yaml: {re.escape(field)} must be a {how}"):
        load_config(config(tmp_path, old, new))


@pytest.mark.parametrize("new,old,field,how", BROKEN)
def test_a_wrong_office_yaml_is_a_config_error_naming_file_field_and_line(tmp_path, new, old, field, how):
    folder = config(tmp_path, old, new)
    with pytest.raises(ConfigError) as exc:
        load_config(folder)
    text = str(exc.value)
    m = re.match(rf"{re.escape(str(folder / 'office.yaml'))}:(\d+): {re.escape(field)}\b", text)
    assert m, text
    assert int(m.group(1)) == line_of(folder, new.splitlines()[0]), text  # the entry's own line
    assert how in text


@pytest.mark.parametrize("new,old,field,how", BROKEN[:4])
def test_every_command_exits_2_with_one_line_and_no_traceback(tmp_path, new, old, field, how):
    folder = config(tmp_path, old, new)
    r = CliRunner().invoke(main, ["due", "--config", str(folder), "--records", str(tmp_path / "records")])
    assert r.exit_code == 2 and field in r.output and "Traceback" not in r.output
    assert isinstance(r.exception, SystemExit)


@pytest.mark.slow  # a child process: a hang is a timeout, not a stuck suite
def test_an_absurd_width_in_a_number_pattern_is_refused_at_once(tmp_path):
    folder = config(tmp_path, 'register: "{seq:04d}/PPID/{year}"', 'register: "{seq:>999999999d}/PPID/{year}"')
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    r = subprocess.run([sys.executable, "-m", "pipeline", "run", str(inbox), "--config", str(folder), "--records",
                        str(tmp_path / "records"), "--out", str(tmp_path / "out")],
                       cwd=ROOT, capture_output=True, text=True, timeout=60)  # on main: > 120 s
    assert r.returncode == 2 and "numbering.register" in r.stderr and "Traceback" not in r.stderr


@pytest.mark.parametrize("pattern", ["{seq}/HM/{year}", "{seq:04d}/HM/{year}", "{seq:4}/HM/{month}/{year}",
                                     "{seq:03d}/HM/{roman}/{year}", "{seq:d}/HM/{year}"])
def test_sound_number_patterns_still_load(tmp_path, pattern):
    folder = config(tmp_path, 'letter: "{seq}/HM.02-SD/53/{year}"', f'letter: "{pattern}"')
    assert load_config(folder).numbering["letter"] == pattern


# --- the analysts' pseudonym key ---------------------------------------------------------------------

from pipeline import export  # noqa: E402

WEAK_KEYS = [  # (key, a word of the message)
    ("ganti-dengan-kunci-rahasia-kantor", "stock value"),
    ("Ganti-Dengan-Kunci-Rahasia-Kantor", "stock value"),
    ("aaaaaaaaaaaaaaaa", "different characters"),
    ("abababababababababababab", "different characters"),
    ("demo-only-pseudonym-key-not-for-real-use-2026", "demo"),
    ("DEMO-ONLY-PSEUDONYM-KEY-NOT-FOR-REAL-USE-2026", "demo"),
    ("kunci-pendek", "characters"),
]


@pytest.mark.parametrize("key,words", WEAK_KEYS)
@pytest.mark.parametrize("source", ["file", "environment"])
def test_a_weak_or_public_pseudonym_key_is_refused(tmp_path, monkeypatch, key, words, source):
    monkeypatch.delenv(export.KEY_ENV, raising=False)
    monkeypatch.delenv(export.DEMO_ENV, raising=False)
    if source == "file":
        (tmp_path / "export.yaml").write_text(f"pseudonym_key: {key}\n", encoding="utf-8")
    else:
        monkeypatch.setenv(export.KEY_ENV, key)
    with pytest.raises(ConfigError, match=words):
        export.load_settings(tmp_path)


def test_the_demo_key_works_only_where_the_makefiles_demo_sets_it(tmp_path, monkeypatch):
    make = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert f"DESK_DEMO_KEY := {export.DEMO_KEY}\n" in make
    desk_line = next(x for x in make.splitlines() if "$(BIN)/ppid desk" in x)
    assert f"{export.DEMO_ENV}=1 {export.KEY_ENV}=$(DESK_DEMO_KEY)" in desk_line
    monkeypatch.setenv(export.KEY_ENV, export.DEMO_KEY)
    monkeypatch.setenv(export.DEMO_ENV, "1")
    assert export.load_settings(tmp_path)["pseudonym_key"] == export.DEMO_KEY.encode()
    monkeypatch.setenv(export.DEMO_ENV, "0")
    with pytest.raises(ConfigError, match="demo"):
        export.load_settings(tmp_path)


@pytest.mark.parametrize("key", ["kunci-uji-yang-cukup-panjang-2026", "Zq3-vN8_pL1xR7tK", "rahasia-kantor-ppid-ntt-2026"])
def test_an_office_secret_is_accepted(tmp_path, monkeypatch, key):
    monkeypatch.setenv(export.KEY_ENV, key)
    assert export.load_settings(tmp_path)["pseudonym_key"] == key.encode()


@pytest.mark.parametrize("new,old,field,close", [
    ("deadline:\n  notice: 5\nretention:", "retention:", "deadline", "deadlines"),
    ("tembusans:", "tembusan:", "tembusans", "tembusan"),
    ("  cuti_bersama_working: true", "  cuti_bersama_is_working_day: false", "calendar.cuti_bersama_working",
     "cuti_bersama_is_working_day"),
])
def test_a_misspelt_key_is_a_config_error_not_a_silent_default(tmp_path, new, old, field, close):
    """A key ppid does not read would be ignored and its default used (`deadline: notice: 5`
    leaves the notice at 10 working days): it is refused at its line, with the likely key."""
    folder = config(tmp_path, old, new)
    with pytest.raises(ConfigError) as exc:
        load_config(folder)
    text = str(exc.value)
    assert text.startswith(f"{folder / 'office.yaml'}:{line_of(folder, new.splitlines()[0])}: {field}: unknown key"), text
    assert f"did you mean {close}?" in text
