"""Purge and the Komisi Informasi (issue 18, owner2 items 2 and 3).

2. An objection answered by the Atasan PPID may go on to the Komisi Informasi within 14
   working days of the response (UU 14/2008 Pasal 37 ayat 2): purge keeps the objection and
   the request it names until then, and says why. A dispute added to an objection whose
   request was purged anyway gets a message saying what to do.
3. Purge deletes only files inside the folders it is given (the records folder, the inbox
   roots); a path in the log that points elsewhere is skipped and named.

Everything runs through the real `ppid` command on real inboxes and a real records folder.
"""

from __future__ import annotations

from pathlib import Path

from test_integrity import OVERTURNED, objection, personal, ppid, refused_original, run

NO, KEB = "0001/PPID/2026", "0001/KEB/PPID/2026"
UPHELD = {**OVERTURNED, "result": "upheld", "date": "2027-01-20", "reason": "Alasan pengecualian tepat"}


def answered_objection(tmp_path: Path) -> tuple[Path, dict]:
    """0001 refused on 27 Nov 2026; its objection received 1 Dec, upheld on 20 Jan 2027."""
    records = refused_original(tmp_path)
    k = objection(decision=UPHELD)
    write = __import__("helpers").write_request
    write(tmp_path / "in2", "k.yaml", k)
    line = run(tmp_path / "in2", records, date="2027-01-20")[1]["k.yaml"]
    assert line["status"] == "answered" and line["outcome"] == "upheld", line
    return records, k


def purge(records: Path, date: str, before: str = "2030-01-01") -> str:
    tmp = records.parent
    result = ppid(records, "purge", "--before", before, "--inbox", str(tmp / "in1"), "--inbox", str(tmp / "in2"),
                  "--out", str(tmp / "out"), date=date)
    assert result.exit_code == 0 and "Traceback" not in result.output, result.output
    return result.stdout


def test_purge_keeps_an_answered_objection_while_the_dispute_window_is_open(tmp_path):
    records, _ = answered_objection(tmp_path)

    out = purge(records, "2027-01-20")

    # 14 working days from 20 Jan 2027 (Wednesday); 27 Jan 2027, Isra Mi'raj, may shift it: the clock decides
    for rno in (KEB, NO):
        assert f"kept {rno}: the response to objection {KEB} may be taken to the Komisi Informasi until" in out, out
    assert "0 request(s)" in out
    assert personal(records, NO)["phone"] and personal(records, KEB)["phone"]


def test_purge_goes_ahead_once_the_dispute_window_has_closed(tmp_path):
    records, _ = answered_objection(tmp_path)
    out = purge(records, "2027-01-20")
    end = out.split("Komisi Informasi until ")[1].split()[0]

    out = purge(records, end)  # the last day itself is still open
    assert f"kept {KEB}" in out

    import datetime as dt
    after = (dt.date.fromisoformat(end) + dt.timedelta(days=1)).isoformat()
    out = purge(records, after)
    assert f"purged {NO}" in out and f"purged {KEB}" in out, out


def test_a_dispute_filed_in_the_window_is_recorded(tmp_path):
    records, k = answered_objection(tmp_path)
    purge(records, "2027-01-20")
    from helpers import write_request
    write_request(tmp_path / "in2", "k.yaml", {**k, "dispute": {"filed": "2027-01-25", "case_no": "003/KI-NTT/2027"}})

    line = run(tmp_path / "in2", records, date="2027-01-26")[1]["k.yaml"]

    assert line["status"] != "rejected_file", line
    out = purge(records, "2027-06-01")
    assert f"kept {NO}: the dispute of objection {KEB} is not decided" in out, out


def test_a_dispute_on_an_already_purged_objection_says_what_to_do(tmp_path):
    records, k = answered_objection(tmp_path)
    assert f"purged {KEB}" in purge(records, "2027-06-01")
    from helpers import write_request
    write_request(tmp_path / "in2", "k.yaml", {**k, "dispute": {"filed": "2027-01-25", "case_no": "003/KI-NTT/2027"}})

    code, lines = run(tmp_path / "in2", records, date="2027-06-02")

    line = lines["k.yaml"]
    text = line.get("error") or " ".join(line.get("warnings", []))
    assert "purged" in text and "Komisi Informasi" in text and "case file" in text, line
    assert "\n" not in text


# --- 3. purge deletes only inside the folders it is given ------------------------------------------


def closed_request(tmp_path: Path) -> tuple[Path, Path]:
    from helpers import base_request, write_request

    records, inbox = tmp_path / "records", tmp_path / "inbox"
    write_request(inbox, "a.yaml", base_request(letter="surat-a.pdf"), attachments=("ktp.jpg", "surat-a.pdf"))
    assert run(inbox, records)[1]["a.yaml"]["status"] == "answered"
    return records, inbox


def purge_with(records: Path, *folders: tuple[str, Path]) -> str:
    args = [a for flag, f in folders for a in (flag, str(f))]
    result = ppid(records, "purge", "--before", "2026-12-01", *args, date="2027-03-01")
    assert result.exit_code == 0 and "Traceback" not in result.output, result.output
    return result.stdout


def test_purging_a_copy_of_the_records_leaves_the_original_inbox_alone(tmp_path):
    import shutil

    records, inbox = closed_request(tmp_path)
    copy = tmp_path / "elsewhere" / "records"
    shutil.copytree(records, copy)

    out = purge_with(copy)

    assert (inbox / "ktp.jpg").exists() and (inbox / "surat-a.pdf").exists()
    assert f"kept {NO}: 2 of its file(s) lie outside the folders purge was given" in out and "--inbox" in out, out
    assert personal(copy, NO)["phone"]  # kept whole: purged once its folder is given
    out = purge_with(copy, ("--inbox", inbox))
    assert f"purged {NO}" in out and not (inbox / "ktp.jpg").exists() and not personal(copy, NO).get("phone")


def test_purge_follows_no_link_out_of_the_inbox(tmp_path):
    import json

    records, inbox = closed_request(tmp_path)
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "precious.txt").write_text("keep me")
    (inbox / "lampiran").symlink_to(victim)
    log = records / "events.jsonl"
    lines = [json.loads(x) for x in log.read_text().splitlines() if x.strip()]
    for e in lines:  # a hand-edited log naming a file through the link
        if e.get("personal"):
            e["personal"]["attachments"] = [str(inbox / "lampiran" / "precious.txt")]
    log.write_text("".join(json.dumps(e) + "\n" for e in lines))

    out = purge_with(records, ("--inbox", inbox))

    assert (victim / "precious.txt").read_text() == "keep me"
    assert f"kept {NO}: 1 of its file(s) lie outside" in out and "precious.txt" in out, out
