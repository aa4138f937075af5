"""No traceback from any byte sequence in records/events.jsonl (issue 18 item 9).

Every command that reads the register runs over generated logs (blank lines, torn lines,
deeply nested brackets, wrong types, huge numbers, stray bytes) and must end with exit code
0, 1 or 2 and, when it fails, one line that says what is wrong: never a traceback. The
examples the fuzzing found are kept below as plain tests.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import TEMPLATES, base_request, fast_share, write_request
from pipeline.cli import main

DATE = "2026-12-31"
KEY_ENV = {"PPID_PSEUDONYM_KEY": "kunci-uji-yang-cukup-panjang-2026"}


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    """A real register: an answered request, an incomplete one, a stamped letter event."""
    root = tmp_path_factory.mktemp("base")
    inbox = root / "inbox"
    write_request(inbox, "a.yaml", base_request())
    incomplete = base_request()
    incomplete.pop("purpose")
    write_request(inbox, "b.yaml", incomplete)
    result = CliRunner().invoke(main, ["run", str(inbox), "--out", str(root / "out"), "--no-pdf", "--templates",
                                       str(TEMPLATES), "--records", str(root / "records"), "--date", DATE])
    assert result.exit_code in (0, 1), result.output
    with (root / "records" / "events.jsonl").open("a", encoding="utf-8") as fh:
        fh.write(json.dumps({"type": "incoming_stamped", "register_no": "0001/PPID/2026",
                             "pdf": str(root / "out" / "x.pdf")}) + "\n")
    (root / "empty").mkdir()
    return root


def commands(root: Path, records: Path) -> dict[str, list[str]]:
    common = ["--records", str(records), "--date", DATE]
    letter = next((root / "out").rglob("*.docx"))
    return {
        "due": ["due", *common], "due-json": ["due", "--json", *common],
        "deadline": ["deadline", "0001/PPID/2026", *common],
        "run": ["run", str(root / "empty"), "--out", str(records.parent / "out"), "--no-pdf", "--templates",
                str(TEMPLATES), *common],
        "validate": ["validate", str(root / "inbox"), *common],
        "stats": ["stats", "--year", "2026", *common],
        "purge": ["purge", "--before", "2027-01-01", *common],
        "export": ["register", "export", "--out", str(records.parent / "export"), *common],
        "verify": ["verify", str(letter), *common],
        "deliver": ["deliver", *common],  # no mail: in config/office.yaml: hand-over tasks, nothing sent
        "remind": ["remind", "--print", *common],
    }


def check(result, name: str) -> None:
    assert result.exit_code in (0, 1, 2), (name, result.exit_code, result.output)
    assert result.exception is None or isinstance(result.exception, SystemExit), (name, repr(result.exception))
    assert "Traceback" not in result.output, (name, result.output)
    if result.exit_code == 2:
        errors = [line for line in result.output.splitlines() if line.startswith("Error: ")]
        assert len(errors) == 1, (name, result.output)


def run_all(root: Path, log: bytes, tmp: Path, only: tuple[str, ...] = ()) -> dict[str, int]:
    codes = {}
    for name, args in commands(root, tmp / "records").items():
        if only and name not in only:
            continue
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.copytree(root / "records", tmp / "records")
        (tmp / "records" / "events.jsonl").write_bytes(log)
        result = CliRunner().invoke(main, args, env=KEY_ENV)
        check(result, name)
        codes[name] = result.exit_code
    return codes


# --- the findings, kept as plain tests -----------------------------------------------------------


def _log(base: Path) -> bytes:
    return (base / "records" / "events.jsonl").read_bytes()


def _edit(base: Path, fn) -> bytes:
    lines = [json.loads(x) for x in _log(base).splitlines()]
    fn(lines)
    return b"".join(json.dumps(x).encode() + b"\n" for x in lines)


FINDINGS = {
    "blank line (purge crashed)": lambda b: _log(b).replace(b"\n", b"\n\n   \n", 1),
    "200k-deep brackets (due and run crashed: RecursionError)": lambda b: _log(b) + b"[" * 200_000 + b"\n",
    "200k-deep objects": lambda b: _log(b) + b'{"a":' * 200_000 + b"\n",
    "numeric register_no (due crashed)": lambda b: _edit(b, lambda ls: ls[0].update(register_no=12)),
    "non-string incoming_stamped pdf (purge crashed)": lambda b: _edit(b, lambda ls: ls[-1].update(pdf=12)),
    "list register_no": lambda b: _edit(b, lambda ls: ls[0].update(register_no=["0001/PPID/2026"])),
    "huge number": lambda b: _log(b) + b'{"type":"answered","register_no":"0001/PPID/2026","answered_at":' + b"9" * 5000 + b"}\n",
    "row is a list": lambda b: _edit(b, lambda ls: ls[0].update(row=[1, 2])),
    "personal is a string": lambda b: _edit(b, lambda ls: ls[0].update(personal="x")),
    "missing a list": lambda b: _edit(b, lambda ls: [x.update(missing="purpose") for x in ls if x["type"] == "incomplete"]),
    "letters not a list of dicts": lambda b: _edit(b, lambda ls: [x.update(letter_no=5) for x in ls if x["type"] == "letter"]),
    "stray bytes": lambda b: _log(b) + b"\xff\xfe\x00garbage\n",
    "torn last line": lambda b: _log(b)[:-7],
    "NaN and Infinity": lambda b: _log(b) + b'{"type":"answered","register_no":"0001/PPID/2026","answered_at":NaN}\n',
}


@pytest.mark.parametrize("finding", fast_share(FINDINGS))  # each case runs every command
def test_no_traceback_from_the_findings(base, tmp_path, finding):
    run_all(base, FINDINGS[finding](base), tmp_path)


def test_a_blank_line_does_not_stop_purge(base, tmp_path):
    codes = run_all(base, FINDINGS["blank line (purge crashed)"](base), tmp_path, only=("purge", "due"))
    assert codes["purge"] == 0


@pytest.mark.parametrize("finding", ["numeric register_no (due crashed)", "stray bytes", "row is a list"])
def test_every_reader_refuses_a_damaged_log_alike(base, tmp_path, finding):
    """`stats`, `register export` and `report` read the book; they refused nothing while `run`
    and `due` refused the log it came from. One reader (Register.load) decides for all."""
    log = FINDINGS[finding](base)
    records = tmp_path / "records"
    args = commands(base, records)
    args = {name: args[name] for name in ("due", "run", "stats", "export")}
    args["report"] = ["report", "--year", "2026", "--no-pdf", "--out", str(tmp_path / "report"),
                      "--records", str(records), "--date", DATE]
    said = {}
    for name, argv in args.items():
        shutil.rmtree(records, ignore_errors=True)
        shutil.copytree(base / "records", records)
        (records / "events.jsonl").write_bytes(log)
        result = CliRunner().invoke(main, argv, env=KEY_ENV)
        check(result, name)
        said[name] = (result.exit_code, result.output.strip().splitlines()[-1])
    assert set(said.values()) == {said["due"]}, said
    code, line = said["due"]
    assert code == 2 and "events.jsonl:" in line and "Restore" in line, line
    assert not (tmp_path / "export").exists() and not (tmp_path / "report").exists()


# --- generated logs ------------------------------------------------------------------------------

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-10**30, max_value=10**30) | st.floats(allow_nan=False)
    | st.text(max_size=12) | st.sampled_from(["0001/PPID/2026", "2026-11-20 09:15", "2026-13-45", "", "../x"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=6,
)


@st.composite
def logs(draw, lines: list[dict]) -> bytes:
    out = [json.dumps(x) for x in lines]
    for _ in range(draw(st.integers(1, 4))):
        how = draw(st.sampled_from(["set", "drop", "blank", "brackets", "bytes", "cut", "line", "dup"]))
        i = draw(st.integers(0, len(out) - 1))
        if how in ("set", "drop"):
            try:
                ev = json.loads(out[i])
            except (ValueError, RecursionError):
                continue
            if not isinstance(ev, dict) or not ev:
                continue
            key = draw(st.sampled_from(sorted(ev) + ["register_no", "type", "row", "personal", "pdf", "missing"]))
            if how == "set":
                ev[key] = draw(JSON_VALUES)
            else:
                ev.pop(key, None)
            out[i] = json.dumps(ev)
        elif how == "blank":
            out.insert(i, draw(st.sampled_from(["", " ", "\t", "\r"])))
        elif how == "brackets":
            out.insert(i, draw(st.sampled_from(["[", "{\"a\":", "[{\"b\":"])) * draw(st.integers(1000, 200_000)))
        elif how == "bytes":
            out.insert(i, draw(st.binary(max_size=40)).decode("latin-1"))
        elif how == "cut":
            out[i] = out[i][: draw(st.integers(0, max(len(out[i]) - 1, 0)))]
        elif how == "line":
            out.insert(i, json.dumps(draw(JSON_VALUES)))
        else:
            out.insert(i, out[i])
    data = ("\n".join(out) + "\n").encode("utf-8", "surrogateescape")
    if draw(st.booleans()):
        data = data[: draw(st.integers(0, len(data)))]  # torn at any byte
    return data


FUZZ_EXAMPLES = int(os.environ.get("PPID_FUZZ_EXAMPLES", "60"))


@pytest.mark.slow  # every command over each generated log: about a second an example
def test_no_traceback_from_generated_logs(base, tmp_path_factory):
    lines = [json.loads(x) for x in _log(base).splitlines()]
    seen = []

    @settings(max_examples=FUZZ_EXAMPLES, deadline=None, derandomize=True,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(logs(lines))
    def prop(log):
        seen.append(len(log))
        run_all(base, log, tmp_path_factory.mktemp("fuzz"))

    prop()
    assert len(seen) >= min(FUZZ_EXAMPLES, 50)


# --- verify reads only a bounded regular file ------------------------------------------------------


@pytest.mark.parametrize("what", ["/dev/zero", "fifo", "huge", "folder-link"])
def test_verify_refuses_what_is_not_a_bounded_regular_file(tmp_path, what):
    if what == "/dev/zero":
        target = Path("/dev/zero")
    elif what == "fifo":
        target = tmp_path / "letter.pdf"
        os.mkfifo(target)
    elif what == "huge":
        target = tmp_path / "letter.pdf"
        with target.open("wb") as fh:
            fh.truncate(51 * 1024 * 1024)  # sparse: no disk used
    else:
        target = tmp_path / "letter.pdf"
        target.symlink_to("/dev/zero")
    result = CliRunner().invoke(main, ["verify", str(target), "--records", str(tmp_path / "records"),
                                       "--date", DATE])
    check(result, "verify")
    assert result.exit_code == 1, result.output  # a file that cannot be verified (ExitCode.SOME_FAILED)
    [line] = result.output.strip().splitlines()
    assert line.startswith("Error: ") and ("not a regular file" in line or "larger than the 50 MB" in line), line
