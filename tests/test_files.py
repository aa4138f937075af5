"""The one safe writer (pipeline.files): no command writes through a link planted at any name
it writes or stages; temporary files are created O_EXCL|O_NOFOLLOW beside their target."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from helpers import ROOT, TEMPLATES, base_request, write_request
from pipeline import files
from pipeline.cli import main

KEY_ENV = {"PPID_PSEUDONYM_KEY": "kunci-uji-yang-cukup-panjang-2026"}
SECRET = b"precious: the victim's own file\n"


def _victim(tmp_path: Path) -> Path:
    v = tmp_path / "victim.txt"
    v.write_bytes(SECRET)
    return v


# --- the writer itself -------------------------------------------------------------------------


def test_write_replaces_a_file_whole_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "book.csv"
    target.write_bytes(b"old")
    files.write(target, b"new")
    files.write(tmp_path / "x.bin", lambda fh: fh.write(b"from a writer"))
    assert target.read_bytes() == b"new"
    assert (tmp_path / "x.bin").read_bytes() == b"from a writer"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.csv", "x.bin"]


def test_write_refuses_a_link_at_the_target(tmp_path):
    victim = _victim(tmp_path)
    (tmp_path / "out.csv").symlink_to(victim)
    with pytest.raises(OSError) as err:
        files.write(tmp_path / "out.csv", b"attacker's bytes")
    assert err.value.filename == str(tmp_path / "out.csv")
    assert victim.read_bytes() == SECRET
    assert (tmp_path / "out.csv").is_symlink()


def test_the_temporary_name_is_never_opened_through_a_link(tmp_path, monkeypatch):
    """Even a link planted at the very temporary name the writer picks is not followed."""
    victim = _victim(tmp_path)
    monkeypatch.setattr(files.secrets, "token_hex", lambda n: "deadbeef")
    (tmp_path / files.temp_name("out.csv")).symlink_to(victim)
    with pytest.raises(FileExistsError):
        files.write(tmp_path / "out.csv", b"attacker's bytes")
    assert victim.read_bytes() == SECRET
    assert not (tmp_path / "out.csv").exists()


def test_a_link_planted_between_stage_and_commit_is_refused(tmp_path):
    victim = _victim(tmp_path)
    staged = files.stage(tmp_path / "req.yaml", b"service: information\n")
    (tmp_path / "req.yaml").symlink_to(victim)
    with pytest.raises(OSError):
        staged.commit()
    assert victim.read_bytes() == SECRET
    assert not staged.path.exists()


# --- every command, links at every name it writes -----------------------------------------------


def _setup(root: Path) -> dict[str, Path]:
    inbox, records, out = root / "inbox", root / "records", root / "out"
    write_request(inbox, "maria.yaml", base_request())
    shutil.copytree(ROOT / "config", root / "config")
    return {"inbox": inbox, "records": records, "out": out, "config": root / "config", "root": root}


def _run(args: list[str], env=None):
    result = CliRunner().invoke(main, args, env=env)
    assert result.exit_code in (0, 1, 2), (result.exit_code, result.output)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result


def _commands(p: dict[str, Path]) -> dict[str, list[str]]:
    common = ["--config", str(p["config"]), "--records", str(p["records"]), "--date", "2026-12-31"]
    return {
        "run": ["run", str(p["inbox"]), "--out", str(p["out"]), "--no-pdf", "--templates", str(TEMPLATES), *common],
        "export": ["register", "export", "--out", str(p["root"] / "export"), *common],
        "export-parquet": ["register", "export", "--format", "parquet", "--out", str(p["root"] / "export"),
                           *common],
        "survey": ["survey", str(ROOT / "tests" / "fixtures" / "survey_worked.csv"), "--year", "2026", *common],
        "report": ["report", "--year", "2026", "--no-pdf", "--out", str(p["root"] / "report"), *common],
    }


def _staging(name: Path) -> list[Path]:
    """The names older versions staged a file through (issue 18 item 7: `.part`, `.<name>.tmp`)."""
    return [name.with_name(name.name + ".part"), name.with_name(f".{name.name}.tmp")]


def _written(root: Path) -> set[Path]:
    return {p.relative_to(root) for p in root.rglob("*") if p.is_file() and not p.is_symlink()}


@pytest.mark.slow  # the report draws its charts (matplotlib), a few seconds
@pytest.mark.parametrize("command", ["run", "export", "export-parquet", "survey", "report"])
def test_no_command_writes_through_a_planted_link(tmp_path, command):
    # 1. a clean run shows every file the command writes
    clean = _setup(tmp_path / "clean")
    cmds = _commands(clean)
    if command != "run":
        _run(cmds["run"])
    before = _written(clean["root"])
    _run(cmds[command], env=KEY_ENV)
    names = [n for n in sorted(_written(clean["root"]) - before) if n.parts[0] not in ("inbox", "config")]
    names += [s for n in names for s in _staging(n)]
    assert names, "the command wrote nothing"
    # 2. the same command with a link to the victim at each of those names
    planted = _setup(tmp_path / "planted")
    cmds = _commands(planted)
    if command != "run":
        _run(cmds["run"])
    victim = _victim(tmp_path)
    for name in names:
        link = planted["root"] / name
        link.parent.mkdir(parents=True, exist_ok=True)
        if link.is_file():
            link.unlink()
        link.symlink_to(victim)
    result = _run(cmds[command], env=KEY_ENV)
    assert victim.read_bytes() == SECRET, (command, names)
    for name in names:
        assert (planted["root"] / name).is_symlink(), name
    if result.exit_code:
        assert result.output.strip().splitlines()[-1].startswith("Error: ") or command == "run", result.output


# --- links planted at folders (a fresh hostile test: only file names were checked) --------------


def test_a_link_at_a_folder_below_the_root_is_refused_and_the_victim_untouched(tmp_path):
    victim = tmp_path / "victim"
    victim.mkdir()
    root = tmp_path / "records"
    (root / "public").mkdir(parents=True)
    (root / "public" / "deep").symlink_to(victim, target_is_directory=True)
    (root / "linked").symlink_to(victim, target_is_directory=True)
    for target in (root / "linked" / "status-index.json", root / "public" / "deep" / "x.json",
                   root / "linked" / "new" / "x.json"):
        with files.rooted(root), pytest.raises(OSError) as err:
            files.write(target, b"attacker's bytes")
        assert err.value.strerror == files.LINKED_FOLDER
        assert Path(err.value.filename).is_symlink()
        with files.rooted(root), pytest.raises(OSError):
            files.make_dir(target.parent)
    assert list(victim.iterdir()) == []


def test_a_link_above_the_root_is_the_offices_own_path(tmp_path):
    """The path the office gives may pass through links (a disk mounted elsewhere); the folder
    it names and all below it are real."""
    real = tmp_path / "disk"
    (real / "records").mkdir(parents=True)
    (tmp_path / "mounted").symlink_to(real, target_is_directory=True)
    records = tmp_path / "mounted" / "records"
    with files.rooted(records):
        files.make_dir(records / "public")
        files.write(records / "public" / "status-index.json", b"{}")
    assert (real / "records" / "public" / "status-index.json").read_bytes() == b"{}"


def test_a_folder_swapped_for_a_link_after_staging_receives_nothing(tmp_path):
    """The staged file is renamed inside the folder that was opened, not by its path again."""
    victim = tmp_path / "victim"
    victim.mkdir()
    folder = tmp_path / "out" / "0001-PPID-2026"
    folder.mkdir(parents=True)
    with files.rooted(tmp_path / "out"):
        staged = files.stage(folder / "receipt.docx", b"letter")
    folder.rename(tmp_path / "moved")
    folder.symlink_to(victim, target_is_directory=True)
    staged.commit()
    assert list(victim.iterdir()) == []
    assert (tmp_path / "moved" / "receipt.docx").read_bytes() == b"letter"


def _plant(root: Path, name: str, victim: Path) -> None:
    link = root / name
    if link.is_dir():
        shutil.rmtree(link)
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(victim, target_is_directory=True)


@pytest.mark.parametrize("command, folder", [
    ("run", "out"),                      # the letters' folder
    ("run", "out/0001-PPID-2026"),       # the letters folder of one request
    ("run", "records"),                  # the book's folder
    ("run", "records/public"),           # the status index
    ("run", "records/outbox"),           # the outbox
    ("export", "export"),                # the export's out folder
    ("report", "report"),                # the report's out folder
])
def test_no_command_writes_through_a_planted_folder_link(tmp_path, command, folder):
    p = _setup(tmp_path / "planted")
    cmds = _commands(p)
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "precious.txt").write_bytes(SECRET)
    if command != "run":
        assert _run(cmds["run"]).exit_code == 0
    _plant(p["root"], folder, victim)
    result = _run(cmds[command], env=KEY_ENV)
    assert result.exit_code == 2, result.output
    last = result.output.strip().splitlines()[-1]
    assert last.startswith("Error: ") and "a symbolic link stands at a folder ppid writes into" in last, last
    assert sorted(victim.iterdir()) == [victim / "precious.txt"]
    assert (victim / "precious.txt").read_bytes() == SECRET
    assert (p["root"] / folder).is_symlink()


def test_a_desk_attachment_is_never_copied_through_a_planted_link(tmp_path):
    """A link leading nowhere takes its name (the copy goes beside it), and a link at the
    lampiran/ folder stops the copy; before, shutil.copyfile followed both."""
    from pipeline.desk import requestfile as R

    src = tmp_path / "upload.pdf"
    src.write_bytes(b"%PDF-1.4 the clerk's scan")
    base = tmp_path / "inbox" / "2026-11-20"
    (base / R.ATTACH_DIR).mkdir(parents=True)
    name = f"{R.ATTACHMENT_ROLES['letter']}-maria{src.suffix}"
    nowhere = tmp_path / "victim-new.pdf"
    (base / R.ATTACH_DIR / name).symlink_to(nowhere)
    dst = R.place_attachment(src, base, "maria", "letter")
    assert dst.name != name and dst.read_bytes() == src.read_bytes() and not dst.is_symlink()
    assert not nowhere.exists()

    victim = tmp_path / "victim"
    victim.mkdir()
    other = tmp_path / "inbox" / "2026-11-21"
    other.mkdir()
    (other / R.ATTACH_DIR).symlink_to(victim, target_is_directory=True)
    with pytest.raises(OSError) as err:
        R.place_attachment(src, other, "maria", "letter")
    assert err.value.strerror == files.LINKED_FOLDER
    assert list(victim.iterdir()) == []


@pytest.mark.parametrize("name", ["register.csv", "register.parquet"])
def test_a_link_at_the_book_stops_the_run_before_the_log_moves(tmp_path, name):
    """Hostile round 3: a link at register.csv was refused only when the book was written, after
    the run's events were in the log, so `stats` and `register export` read a book behind the log.
    Now the run stops before its first write, and log and book still agree."""
    p = _setup(tmp_path)
    cmds = _commands(p)
    _run(cmds["run"])
    log = p["records"] / "events.jsonl"
    before = log.read_bytes()
    write_request(p["inbox"], "yohana.yaml", base_request(information=["Rekap hasil pemilihan gubernur 2024"],
                                                          received="2026-12-01 09:00"))
    victim = _victim(tmp_path)
    (p["records"] / name).unlink()
    (p["records"] / name).symlink_to(victim)
    result = _run(cmds["run"])
    assert result.exit_code == 2 and name in result.output
    assert log.read_bytes() == before and victim.read_bytes() == SECRET
    assert not any(p["out"].rglob("*yohana*")) and not (p["out"] / "0002-PPID-2026").exists()
