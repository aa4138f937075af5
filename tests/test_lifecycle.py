"""A request's life after the first run (issue 5): objections and their windows, an
overturned refusal reopening the original, withdrawal, extensions, complaints, and the
deadline commands `ppid due` and `ppid deadline`.

Everything is driven through the real `ppid` command (click's CliRunner, `--json
--no-pdf`) on a real inbox and records folder; the dates are worked out by hand below,
with the Indonesian calendar of the `holidays` package (country ID, public + government):

    2026-12-24 Thu  Cuti Bersama Hari Raya Natal   (cuti bersama)
    2026-12-25 Fri  Hari Raya Natal                 (libur nasional)
    2027-01-01 Fri  Tahun Baru Masehi               (libur nasional)
    2027-01-05 Tue  Isra Mikraj Nabi Muhammad       (libur nasional)
    (no holiday in November or the first three weeks of December 2026)
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil

import pandas as pd
from click.testing import CliRunner

from pipeline.cli import main
from helpers import ROOT, TEMPLATES, another_person, base_request, write_request


def docx_text(path) -> str:
    from docx import Document

    doc = Document(path)
    return "\n".join([p.text for p in doc.paragraphs] +
                     [c.text for t in doc.tables for r in t.rows for c in r.cells])

# Request items and how config/information.yaml decides them
EXEMPT_ITEM = "Salinan data NIK dan NKK pemilih Kota Kupang"  # DIK-01: only proposes (no DIK decree in config)
# ... so the PPID confirms the refusal item by item (spec section 4)
REFUSAL = {"by": "Nama Pejabat PPID", "items": [{
    "item": 1, "status": "exempt", "ground": "j", "reason": "Data pribadi pemilih (NIK dan NKK)",
    "consequence": "Membuka NIK dan NKK memungkinkan penyalahgunaan identitas pemilih"}]}
REVIEW_ITEM = "Notulen rapat koordinasi pengelolaan arsip dinamis tahun 2025"  # no rule: review
OPEN_ITEM = base_request()["information"][0]  # DIP-01, open


# --- driving the command ------------------------------------------------------------


def run(tmp_path, inbox, *extra, date="2026-11-27", config=ROOT / "config"):
    """`ppid run INBOX --json --no-pdf`; returns the exit code and the JSON lines by file name."""
    args = ["run", str(inbox), "--json", "--no-pdf", "--config", str(config),
            "--templates", str(TEMPLATES), "--records", str(tmp_path / "records"),
            "--out", str(tmp_path / "out"), "--date", date, *extra]
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    return result.exit_code, {line["file"].rsplit("/", 1)[-1]: line for line in lines}


def ppid(tmp_path, command, *extra, date, config=ROOT / "config"):
    """Any other command against this test's records folder."""
    args = [command, *extra, "--config", str(config), "--records", str(tmp_path / "records"), "--date", date]
    return CliRunner().invoke(main, args, catch_exceptions=False)


def due_json(tmp_path, date, *extra):
    """`ppid due --json`: exit code and the listed items, in the order printed."""
    result = ppid(tmp_path, "due", "--json", *extra, date=date)
    return result.exit_code, [json.loads(x) for x in result.stdout.splitlines() if x.strip()]


def kinds(line):
    return [letter["kind"] for letter in line["letters"]]


def book(tmp_path):
    return pd.read_csv(tmp_path / "records" / "register.csv", dtype=str,
                       keep_default_na=False).set_index("register_no")


def rejected_original(inbox):
    """An information request refused outright (DIK-01), received Fri 20 Nov 2026."""
    return write_request(inbox, "a-permohonan.yaml", base_request(information=[EXEMPT_ITEM], decision=REFUSAL))


def objection(**changes):
    """An objection against the first request of 2026 (base_request's default objection_to)."""
    data = base_request("objection", "letter", **changes)
    assert data["objection_to"] == "0001/PPID/2026" and data["grounds"] == ["a"]
    return data


# --- 1. the 30-working-day window to object -------------------------------------------


def test_objection_window_is_thirty_working_days_from_the_written_notice(tmp_path, inbox):
    # The original is received Fri 20 Nov and decided in the run of Fri 27 Nov 2026: its
    # written notice (decision_notice) is dated 27 Nov, the processing date of that run.
    # Its own day-10 deadline is 4 Dec; the window runs from the notice, not from that.
    rejected_original(inbox)
    code, out = run(tmp_path, inbox, date="2026-11-27")
    line = out["a-permohonan.yaml"]
    assert line["register_no"] == "0001/PPID/2026" and line["outcome"] == "rejected"
    assert kinds(line) == ["receipt", "decision_notice", "refusal_decree"]  # a refusal: the PPID's decree too

    # 30 working days after Fri 27 Nov 2026:
    #   30 Nov-4 Dec         days  1-5
    #   7-11 Dec             days  6-10
    #   14-18 Dec            days 11-15
    #   21-23 Dec            days 16-18   (24 Dec cuti bersama, 25 Dec Natal, 26-27 weekend)
    #   28-31 Dec            days 19-22   (1 Jan Tahun Baru, 2-3 Jan weekend)
    #   4 Jan                day  23      (5 Jan Isra Mikraj)
    #   6-8 Jan              days 24-26   (9-10 Jan weekend)
    #   11-14 Jan            days 27-30   -> Thu 14 Jan 2027 is the last day; Fri 15 Jan is day 31
    write_request(inbox, "k-hari-30.yaml", objection(received="2027-01-14 15:30"))
    code, out = run(tmp_path, inbox, date="2027-01-14")
    on_time = out["k-hari-30.yaml"]
    assert "objection_to" not in on_time["missing"]
    assert on_time["missing"] == [] and on_time["status"] == "review"
    assert on_time["register_no"] == "0001/KEB/PPID/2027"  # the register of objections, by year received
    assert kinds(on_time) == ["objection_receipt"]
    assert code == 0

    # day 31 counted from the notice's date, with no known day of receipt: not proven late, so
    # it waits for the Atasan PPID (spec section 6; issue 17 item 9). The one before is answered
    # first: a second objection to the same request while the first is open is held (duplicate).
    upheld = {"by": "Nama Atasan PPID", "result": "upheld", "reason": "Data pribadi yang dikecualikan."}
    write_request(inbox, "k-hari-30.yaml", objection(received="2027-01-14 15:30",
                                                      decision={**upheld, "date": "2027-01-14"}))
    assert run(tmp_path, inbox, date="2027-01-14")[1]["k-hari-30.yaml"]["status"] == "answered"
    write_request(inbox, "k-hari-31-tanpa-bukti.yaml", objection(received="2027-01-15 08:00"))
    code, out = run(tmp_path, inbox, date="2027-01-15")
    unsure = out["k-hari-31-tanpa-bukti.yaml"]
    assert unsure["status"] == "review" and unsure["outcome"] is None and kinds(unsure) == ["objection_receipt"]
    assert any("the Atasan PPID decides" in w and "on or after 2026-11-30" in w for w in unsure["warnings"])

    # with the day of receipt recorded (the day of the notice itself), day 31 is late on proof
    write_request(inbox, "k-hari-31-tanpa-bukti.yaml", objection(received="2027-01-15 08:00",
                                                                 decision={**upheld, "date": "2027-01-15"}))
    assert run(tmp_path, inbox, date="2027-01-15")[1]["k-hari-31-tanpa-bukti.yaml"]["status"] == "answered"
    write_request(inbox, "k-hari-31.yaml", objection(received="2027-01-15 08:30", notice_received="2026-11-27"))
    code, out = run(tmp_path, inbox, date="2027-01-15")
    late = out["k-hari-31.yaml"]
    # late: registered and answered by the Atasan PPID that it cannot be accepted, never incomplete
    assert late["status"] == "answered" and late["missing"] == [] and late["outcome"] == "inadmissible"
    assert late["register_no"] == "0003/KEB/PPID/2027" and kinds(late) == ["objection_response"]
    assert any("after the last day 2027-01-14" in w for w in late["warnings"])
    assert out["k-hari-30.yaml"].get("unchanged") is True  # nothing redone for the on-time one
    assert code == 0


# --- 2. the objection's own 30-working-day clock ---------------------------------------


def test_objection_is_answered_within_thirty_working_days_across_the_year_end(tmp_path, inbox):
    rejected_original(inbox)
    run(tmp_path, inbox, date="2026-11-27")  # written notice dated 27 Nov 2026

    # Received Tue 1 Dec 2026, so day 1 is Wed 2 Dec:
    #   2-4 Dec      days  1-3      7-11 Dec   days  4-8     14-18 Dec  days  9-13
    #   21-23 Dec    days 14-16     (24, 25 Dec off; 26-27 weekend)
    #   28-31 Dec    days 17-20     (1 Jan off; 2-3 weekend)
    #   4 Jan        day  21        (5 Jan Isra Mikraj off)
    #   6-8 Jan      days 22-24     11-15 Jan  days 25-29    Mon 18 Jan 2027 day 30
    data = objection(received="2026-12-01 10:00")
    write_request(inbox, "k-keberatan.yaml", data)
    code, out = run(tmp_path, inbox, date="2026-12-01")
    line = out["k-keberatan.yaml"]
    assert code == 0
    assert line["register_no"] == "0001/KEB/PPID/2026"
    assert line["status"] == "review" and line["outcome"] is None
    assert line["due"] == "2027-01-18"
    assert kinds(line) == ["objection_receipt"]

    code, listed = due_json(tmp_path, "2026-12-01")
    assert [(x["register_no"], x["service"], x["due"]) for x in listed] == [
        ("0001/KEB/PPID/2026", "objection", "2027-01-18")]
    assert code == 0

    # The Atasan PPID upholds the refusal on Mon 11 Jan 2027 (working day 25 of 30).
    data["decision"] = {"by": "Nama Atasan PPID", "date": "2027-01-11", "result": "upheld",
                        "reason": "Data NIK dan NKK adalah data pribadi yang dikecualikan."}
    write_request(inbox, "k-keberatan.yaml", data)
    code, out = run(tmp_path, inbox, date="2027-01-11")
    line = out["k-keberatan.yaml"]
    assert line["register_no"] == "0001/KEB/PPID/2026"  # the same objection, not a new one
    assert line["status"] == "answered" and line["outcome"] == "upheld"
    assert line["due"] == "2027-01-18"
    assert kinds(line) == ["objection_response"]  # the receipt is not issued again
    row = book(tmp_path).loc["0001/KEB/PPID/2026"]
    assert row["answered_at"] == "2027-01-11" and row["due_date"] == "2027-01-18"
    assert row["working_days"] == "25" and row["on_time"] == "True"

    # upheld: the PPID's decision stands, nothing is open any more
    result = ppid(tmp_path, "due", date="2027-01-11")
    assert result.exit_code == 0
    assert result.stdout.strip() == "Nothing open on 2027-01-11."


# --- 3. an overturned refusal reopens the original request ------------------------------


def test_overturned_refusal_reopens_the_original_until_a_new_notice(tmp_path, inbox):
    original = base_request(information=[EXEMPT_ITEM], decision=REFUSAL)
    write_request(inbox, "a-permohonan.yaml", original)
    code, out = run(tmp_path, inbox, date="2026-11-27")
    first_letters = out["a-permohonan.yaml"]["letters"]
    assert due_json(tmp_path, "2026-11-27") == (0, [])  # answered: nothing open

    data = objection(received="2026-12-01 10:00", decision={
        "by": "Nama Atasan PPID", "date": "2026-12-03", "result": "overturned",
        "reason": "Pemohon meminta data agregat; NIK dan NKK dapat dihitamkan."})
    write_request(inbox, "k-keberatan.yaml", data)
    code, out = run(tmp_path, inbox, date="2026-12-03")
    line = objection_line = out["k-keberatan.yaml"]
    assert line["status"] == "answered" and line["outcome"] == "overturned"
    assert kinds(line) == ["objection_receipt", "objection_response"]

    # The refusal falls: the original is open again, waiting for a new written notice.
    # Its clock restarts at the reopening (Thu 3 Dec): 4 Dec day 1, 7-11 Dec days 2-6,
    # 14-17 Dec days 7-10 -> Thu 17 Dec 2026.
    code, listed = due_json(tmp_path, "2026-12-03")
    assert [x["register_no"] for x in listed] == ["0001/PPID/2026"]  # the answered objection is not open
    assert listed[0]["status"] == "review" and listed[0]["due"] == "2026-12-17"
    assert listed[0]["overdue"] is False and code == 0
    assert book(tmp_path).loc["0001/PPID/2026", "status"] == "review"

    # The PPID decides again in the original file: the item is now open.
    original["decision"] = {"by": "Nama Pejabat PPID", "items": [
        {"item": 1, "status": "open", "reason": "Diberikan dalam bentuk agregat sesuai putusan keberatan"}]}
    write_request(inbox, "a-permohonan.yaml", original)
    code, out = run(tmp_path, inbox, date="2026-12-08")
    line = out["a-permohonan.yaml"]
    assert line["register_no"] == "0001/PPID/2026"
    assert line["status"] == "answered" and line["outcome"] == "granted"
    # the refusal decree falls by a decree of its issuer (UU 30/2014 Pasal 64; spec section 3)
    assert kinds(line) == ["decision_notice", "revocation_decree"]
    assert line["letters"][0]["docx"].endswith("decision_notice-2.docx")  # the first notice is kept
    # decrees are numbered in a series of their own: the refusal was NOMOR 1, the revocation NOMOR 2
    notice, revocation = (" ".join(docx_text(x["docx"]).split()) for x in line["letters"])
    first = {x["kind"]: x["letter_no"] for x in first_letters}
    response = objection_line["letters"][1]["letter_no"]
    assert first["refusal_decree"] == "1 Tahun 2026" and line["letters"][1]["letter_no"] == "2 Tahun 2026"
    # the new notice cites the notice it replaces and the Atasan PPID's response
    assert (f"menggantikan pemberitahuan tertulis Nomor {first['decision_notice']} tanggal 27 November 2026"
            in notice and f"tanggapan Atasan PPID Nomor {response} tanggal 3 Desember 2026" in notice
            and "0001/KEB/PPID/2026" in notice)
    assert re.search(r"Nomor 1 Tahun 2026 tanggal \d+ \w+ 2026 tentang Penolakan Permohonan Informasi Publik "
                     r"dicabut", notice)  # the revoked decree named with its date (fifth legal read)
    assert ("NOMOR 2 TAHUN 2026" in revocation and "Mencabut Keputusan" in revocation
            and "Nomor 1 Tahun 2026" in revocation and "Pasal 64 Undang-Undang Nomor 30 Tahun 2014" in revocation)
    assert out["k-keberatan.yaml"].get("unchanged") is True
    assert due_json(tmp_path, "2026-12-08") == (0, [])
    row = book(tmp_path).loc["0001/PPID/2026"]
    assert row["status"] == "answered" and row["outcome"] == "granted"


def test_upheld_objection_does_not_reopen_the_original(tmp_path, inbox):
    rejected_original(inbox)
    run(tmp_path, inbox, date="2026-11-27")
    write_request(inbox, "k-keberatan.yaml", objection(received="2026-12-01 10:00", decision={
        "by": "Nama Atasan PPID", "date": "2026-12-03", "result": "upheld", "reason": "Tetap dikecualikan."}))
    code, out = run(tmp_path, inbox, date="2026-12-03")
    assert out["k-keberatan.yaml"]["outcome"] == "upheld"
    assert due_json(tmp_path, "2026-12-03") == (0, [])
    assert book(tmp_path).loc["0001/PPID/2026", "status"] == "answered"


# --- 4. withdrawal ---------------------------------------------------------------------


def test_withdrawn_request_leaves_the_due_list(tmp_path, inbox):
    # Received Fri 20 Nov, waiting for the PPID (review): due day 10 = Fri 4 Dec.
    data = base_request(information=[REVIEW_ITEM])
    write_request(inbox, "a.yaml", data)
    code, out = run(tmp_path, inbox, date="2026-11-20")
    assert out["a.yaml"]["status"] == "review" and out["a.yaml"]["due"] == "2026-12-04"
    code, listed = due_json(tmp_path, "2026-11-27")
    assert [x["register_no"] for x in listed] == ["0001/PPID/2026"]

    data["withdrawn"] = "2026-11-25"
    write_request(inbox, "a.yaml", data)
    code, out = run(tmp_path, inbox, date="2026-11-27")
    line = out["a.yaml"]
    assert line["register_no"] == "0001/PPID/2026"
    assert line["status"] == "withdrawn" and line["due"] is None
    assert kinds(line) == []  # no decision notice for a withdrawn request

    result = ppid(tmp_path, "due", date="2026-11-27")
    assert result.exit_code == 0
    assert "0001/PPID/2026" not in result.stdout
    assert result.stdout.strip() == "Nothing open on 2026-11-27."
    row = book(tmp_path).loc["0001/PPID/2026"]
    assert row["status"] == "withdrawn" and row["due_date"] == "" and row["withdrawn_at"] == "2026-11-25"


def test_withdrawn_before_any_decision_has_no_outcome(tmp_path, inbox):
    # Withdrawn on 23 Nov, before the office decided anything. The item matches an open
    # rule, but no written notice is sent for a withdrawn request, so the register must
    # not book it as "granted" (stats would count a decision that was never made).
    write_request(inbox, "b.yaml", base_request(withdrawn="2026-11-23"))
    code, out = run(tmp_path, inbox, date="2026-11-27")
    line = out["b.yaml"]
    assert line["status"] == "withdrawn" and line["due"] is None
    assert "decision_notice" not in kinds(line)
    assert due_json(tmp_path, "2026-11-27") == (0, [])
    assert line["outcome"] is None
    assert book(tmp_path).loc["0001/PPID/2026", "outcome"] == ""


# --- 5. ppid deadline --------------------------------------------------------------------


def _days(output: str) -> dict[str, tuple[str, str]]:
    """`ppid deadline` lines: date -> (label, reason)."""
    out = {}
    for line in output.splitlines():
        m = re.match(r"^\s+(\d{4}-\d{2}-\d{2}) (\S+)\s+(day\s+\d+|skipped)\s*(.*)$", line)
        if m:
            out[m.group(1)] = (re.sub(r"\s+", " ", m.group(3)), m.group(4).strip())
    return out


# Counting 10 working days from Fri 18 Dec 2026:
#   21, 22, 23 Dec   days 1-3     24 Dec cuti bersama, 25 Dec Natal, 26-27 weekend
#   28-31 Dec        days 4-7     1 Jan Tahun Baru, 2-3 Jan weekend
#   4 Jan            day  8       5 Jan Isra Mikraj
#   6, 7 Jan         days 9-10    -> Due: Thu 7 Jan 2027
SKIPPED_FROM_18_DEC = {
    "2026-12-19": "akhir pekan", "2026-12-20": "akhir pekan",
    "2026-12-24": "cuti bersama, paket holidays", "2026-12-25": "libur nasional, paket holidays",
    "2026-12-26": "akhir pekan", "2026-12-27": "akhir pekan",
    "2027-01-01": "libur nasional, paket holidays",
    "2027-01-02": "akhir pekan", "2027-01-03": "akhir pekan",
    "2027-01-05": "libur nasional, paket holidays",
}
COUNTED_FROM_18_DEC = ["2026-12-21", "2026-12-22", "2026-12-23", "2026-12-28", "2026-12-29",
                       "2026-12-30", "2026-12-31", "2027-01-04", "2027-01-06", "2027-01-07"]


def _check_christmas_fortnight(output: str) -> None:
    days = _days(output)
    skipped = {d: reason for d, (label, reason) in days.items() if label == "skipped"}
    assert set(skipped) == set(SKIPPED_FROM_18_DEC)
    for d, source in SKIPPED_FROM_18_DEC.items():
        if source == "akhir pekan":
            assert skipped[d] == "akhir pekan", d
        else:
            assert skipped[d].endswith(f"({source})"), (d, skipped[d])
    assert "Natal" in skipped["2026-12-24"] and "Natal" in skipped["2026-12-25"]
    assert "Tahun Baru" in skipped["2027-01-01"] and "Isra Mikraj" in skipped["2027-01-05"]
    counted = [d for d, (label, _) in days.items() if label != "skipped"]
    assert counted == COUNTED_FROM_18_DEC
    assert [days[d][0] for d in counted] == [f"day {n}" for n in range(1, 11)]
    assert output.rstrip().splitlines()[-1] == "Due: 2027-01-07"


def test_deadline_of_a_register_number_names_every_skipped_day(tmp_path, inbox):
    write_request(inbox, "a.yaml", base_request(received="2026-12-18 09:00", information=[REVIEW_ITEM]))
    code, out = run(tmp_path, inbox, date="2026-12-18")
    assert out["a.yaml"]["due"] == "2027-01-07"
    result = ppid(tmp_path, "deadline", "0001/PPID/2026", date="2026-12-18")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == "0001/PPID/2026: complete on 2026-12-18, 10 working days, written notice"
    assert result.stdout.splitlines()[1] == "Regime: ordinary regime (UU 14/2008)"
    assert "2026-12-24 Kamis" in result.stdout and "2027-01-05 Selasa" in result.stdout
    _check_christmas_fortnight(result.stdout)

    unknown = ppid(tmp_path, "deadline", "9999/PPID/2026", date="2026-12-18")
    assert unknown.exit_code == 2 and "9999/PPID/2026 is not in the register" in unknown.stderr


def test_deadline_from_a_date(tmp_path):
    result = ppid(tmp_path, "deadline", "--from", "2026-12-18", "--days", "10", date="2026-12-18")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == "From 2026-12-18, 10 working days"
    _check_christmas_fortnight(result.stdout)
    assert not (tmp_path / "records").exists()  # explaining a date writes nothing


def test_deadline_shows_office_overrides_from_config(tmp_path, inbox):
    config = tmp_path / "config"
    shutil.copytree(ROOT / "config", config)
    office = config / "office.yaml"
    text, n = re.subn(r"(?m)^  add: \{\}", '  add: {2026-12-31: "Libur kantor"}', office.read_text(encoding="utf-8"))
    assert n == 1
    office.write_text(text, encoding="utf-8")

    # Thu 31 Dec is now off as well: 28-30 Dec days 4-6, 4 Jan day 7, 6-8 Jan days 8-10.
    result = ppid(tmp_path, "deadline", "--from", "2026-12-18", "--days", "10", date="2026-12-18", config=config)
    assert result.exit_code == 0
    days = _days(result.stdout)
    assert days["2026-12-31"] == ("skipped", "Libur kantor (ketetapan kantor, config)")
    assert days["2027-01-08"] == ("day 10", "")
    assert result.stdout.rstrip().splitlines()[-1] == "Due: 2027-01-08"

    # the same calendar drives the batch and the register number's explanation
    write_request(inbox, "a.yaml", base_request(received="2026-12-18 09:00", information=[REVIEW_ITEM]))
    code, out = run(tmp_path, inbox, date="2026-12-18", config=config)
    assert out["a.yaml"]["due"] == "2027-01-08"
    result = ppid(tmp_path, "deadline", "0001/PPID/2026", date="2026-12-18", config=config)
    assert "(ketetapan kantor, config)" in result.stdout
    assert result.stdout.rstrip().splitlines()[-1] == "Due: 2027-01-08"


# --- 6. ppid due --------------------------------------------------------------------------


def test_due_lists_overdue_first_then_by_due_date(tmp_path, inbox):
    # Files are numbered in name order, so the register order differs from the due order.
    #   a -> 0001 received Mon 30 Nov: days 1-4 = 1-4 Dec, 5-9 = 7-11 Dec, day 10 = Mon 14 Dec
    #   b -> 0002 received Mon  9 Nov: 10-13 Nov, 16-20 Nov, day 10 = Mon 23 Nov
    #   c -> 0003 received Wed 25 Nov: 26-27 Nov, 30 Nov-4 Dec, 7-9 Dec -> Wed 9 Dec
    #   d -> 0004 received Mon  2 Nov: 3-6 Nov, 9-13 Nov, day 10 = Mon 16 Nov
    #   e -> 0005 received Mon  2 Nov and granted at once: answered, not open
    for n, (name, received) in enumerate((("a", "2026-11-30"), ("b", "2026-11-09"), ("c", "2026-11-25"),
                                          ("d", "2026-11-02"))):  # four people asking the same
        write_request(inbox, f"{name}.yaml", another_person(base_request(received=f"{received} 09:00",
                                                                         information=[REVIEW_ITEM]), n))
    write_request(inbox, "e.yaml", base_request(received="2026-11-02 09:00"))
    code, out = run(tmp_path, inbox, date="2026-12-01")
    assert code == 0 and out["e.yaml"]["status"] == "answered"
    assert {k: v["due"] for k, v in out.items()} == {
        "a.yaml": "2026-12-14", "b.yaml": "2026-11-23", "c.yaml": "2026-12-09", "d.yaml": "2026-11-16",
        "e.yaml": "2026-11-16"}

    # On Tue 1 Dec 2026 (working days after the due date, or up to it):
    #   0004 due 16 Nov: 17-20 Nov (4), 23-27 Nov (5), 30 Nov, 1 Dec (2) -> -11
    #   0002 due 23 Nov: 24-27 Nov (4), 30 Nov, 1 Dec (2)                  -> -6
    #   0003 due  9 Dec: 2, 3, 4, 7, 8, 9 Dec                              ->  6
    #   0001 due 14 Dec: 2-4, 7-11, 14 Dec                                 ->  9
    code, listed = due_json(tmp_path, "2026-12-01")
    assert code == 1  # something is overdue
    assert [(x["register_no"], x["due"], x["days_left"], x["overdue"]) for x in listed] == [
        ("0004/PPID/2026", "2026-11-16", -11, True),
        ("0002/PPID/2026", "2026-11-23", -6, True),
        ("0003/PPID/2026", "2026-12-09", 6, False),
        ("0001/PPID/2026", "2026-12-14", 9, False),
    ]

    # --within N keeps what has at most N working days left; overdue is always shown
    code, listed = due_json(tmp_path, "2026-12-01", "--within", "6")
    assert [x["register_no"] for x in listed] == ["0004/PPID/2026", "0002/PPID/2026", "0003/PPID/2026"]
    code, listed = due_json(tmp_path, "2026-12-01", "--within", "5")
    assert [x["register_no"] for x in listed] == ["0004/PPID/2026", "0002/PPID/2026"] and code == 1

    result = ppid(tmp_path, "due", date="2026-12-01")
    assert result.exit_code == 1
    lines = result.stdout.rstrip().splitlines()
    assert lines[0] == "Open on 2026-12-01 (working days left; negative = overdue):"
    assert [re.search(r"\d{4}/PPID/\d{4}", x).group() for x in lines[1:-1]] == [
        "0004/PPID/2026", "0002/PPID/2026", "0003/PPID/2026", "0001/PPID/2026"]
    assert lines[1].split()[:3] == ["OVERDUE", "2026-11-16", "-11"]
    assert lines[2].split()[:3] == ["OVERDUE", "2026-11-23", "-6"]
    assert "OVERDUE" not in lines[3] and lines[3].split()[:2] == ["2026-12-09", "6"]
    assert REVIEW_ITEM[:40] in lines[1]  # the subject, so the clerk knows what it is
    assert lines[-1] == "4 open, 2 overdue."


def test_due_exit_code_turns_one_the_day_after_the_due_date(tmp_path, inbox):
    # Received Wed 25 Nov: due Wed 9 Dec (see above).
    write_request(inbox, "c.yaml", base_request(received="2026-11-25 09:00", information=[REVIEW_ITEM]))
    run(tmp_path, inbox, date="2026-11-25")

    result = ppid(tmp_path, "due", "--within", "5", date="2026-11-25")  # 10 working days left
    assert result.exit_code == 0
    assert result.stdout.strip() == "Nothing open within 5 working days on 2026-11-25."
    code, listed = due_json(tmp_path, "2026-11-25", "--within", "10")
    assert [(x["register_no"], x["days_left"]) for x in listed] == [("0001/PPID/2026", 10)] and code == 0

    result = ppid(tmp_path, "due", date="2026-12-09")  # the due date itself: 0 left, not overdue
    assert result.exit_code == 0
    assert "OVERDUE" not in result.stdout
    assert result.stdout.rstrip().splitlines()[-1] == "1 open, 0 overdue."

    result = ppid(tmp_path, "due", date="2026-12-10")  # one working day late
    assert result.exit_code == 1
    assert result.stdout.rstrip().splitlines()[1].split()[:3] == ["OVERDUE", "2026-12-09", "-1"]
    assert result.stdout.rstrip().splitlines()[-1] == "1 open, 1 overdue."


# --- 7. extension ------------------------------------------------------------------------


def test_extension_notice_moves_the_due_date_to_working_day_seventeen(tmp_path, inbox):
    # Received Thu 10 Dec 2026, day 1 = Fri 11 Dec:
    #   11 Dec day 1, 14-18 Dec days 2-6, 21-23 Dec days 7-9, (24, 25 Dec off) 28 Dec day 10
    #   + 7: 29, 30, 31 Dec days 11-13, (1 Jan off) 4 Jan day 14, (5 Jan off) 6, 7, 8 Jan days 15-17
    #   -> extended due Fri 8 Jan 2027. Announced on Tue 22 Dec (day 8), before day 10.
    data = base_request(received="2026-12-10 09:00", information=[REVIEW_ITEM], decision={
        "by": "Nama Pejabat PPID", "extend": {"days": 7, "reason": "Notulen masih dalam penyusunan"}})
    write_request(inbox, "a.yaml", data)
    code, out = run(tmp_path, inbox, date="2026-12-22")
    line = out["a.yaml"]
    assert line["status"] == "review"
    assert kinds(line) == ["receipt", "extension_notice"]
    assert line["due"] == "2027-01-08"
    assert not line.get("warnings")
    row = book(tmp_path).loc["0001/PPID/2026"]
    assert row["extended"] == "True" and row["due_date"] == "2027-01-08"
    code, listed = due_json(tmp_path, "2026-12-22")
    assert [(x["register_no"], x["due"]) for x in listed] == [("0001/PPID/2026", "2027-01-08")]

    # Decided on Thu 7 Jan 2027 (working day 16): on time, no second extension letter.
    data["decision"]["items"] = [{"item": 1, "status": "open"}]
    write_request(inbox, "a.yaml", data)
    code, out = run(tmp_path, inbox, date="2027-01-07")
    line = out["a.yaml"]
    assert line["status"] == "answered" and line["outcome"] == "granted"
    assert kinds(line) == ["decision_notice"] and line["due"] == "2027-01-08"
    row = book(tmp_path).loc["0001/PPID/2026"]
    assert row["extended"] == "True" and row["due_date"] == "2027-01-08"
    assert row["answered_at"] == "2027-01-07" and row["working_days"] == "16" and row["on_time"] == "True"


def test_extension_announced_after_day_ten_is_refused_and_the_answer_counts_late(tmp_path, inbox):
    # Received Fri 20 Nov: day 10 = Fri 4 Dec. An extension dated Mon 7 Dec is too late
    # (UU KIP Pasal 22 ayat 8): no extension notice, still due on 4 Dec, and a notice on
    # 8 Dec counts as late.
    data = base_request(information=[REVIEW_ITEM], decision={
        "by": "Nama Pejabat PPID", "extend": {"days": 7, "reason": "Dokumen di arsip kabupaten", "date": "2026-12-07"}})
    write_request(inbox, "a.yaml", data)
    code, out = run(tmp_path, inbox, date="2026-12-07")
    line = out["a.yaml"]
    assert kinds(line) == ["receipt"] and line["due"] == "2026-12-04"
    assert line["warnings"] == ["decision.extend.date 2026-12-07 is after day 10 (2026-12-04): no extension "
                                "(UU KIP Pasal 22 ayat 8); the request stays due on 2026-12-04 and its answer "
                                "counts as late"]
    assert book(tmp_path).loc["0001/PPID/2026", "extended"] == "False"
    data["decision"]["items"] = [{"item": 1, "status": "open"}]
    write_request(inbox, "a.yaml", data)
    code, out = run(tmp_path, inbox, date="2026-12-08")
    row = book(tmp_path).loc["0001/PPID/2026"]
    assert row["due_date"] == "2026-12-04" and row["answered_at"] == "2026-12-08" and row["on_time"] == "False"


def test_extension_dated_on_day_ten_is_accepted_and_its_event_carries_the_date(tmp_path, inbox):
    write_request(inbox, "a.yaml", base_request(information=[REVIEW_ITEM], decision={
        "by": "Nama Pejabat PPID", "extend": {"days": 7, "reason": "Dokumen di arsip kabupaten", "date": "2026-12-04"}}))
    code, out = run(tmp_path, inbox, date="2026-12-07")
    line = out["a.yaml"]
    # day 17 = Tue 15 Dec (7-11 Dec days 11-15, 14-15 Dec days 16-17)
    assert kinds(line) == ["receipt", "extension_notice"] and line["due"] == "2026-12-15"
    log = (tmp_path / "records" / "events.jsonl").read_text(encoding="utf-8").splitlines()
    extended = [json.loads(x) for x in log if '"extended"' in x]
    assert [(e["date"], e["days"], e["new_due"]) for e in extended] == [("2026-12-04", 7, "2026-12-15")]


# --- 8. complaints -----------------------------------------------------------------------


def test_complaints_are_registered_and_their_response_recorded(tmp_path, inbox):
    by_email = base_request("complaint", "email", category="complaint")
    write_request(inbox, "a-email.yaml", by_email)
    write_request(inbox, "b-walkin.yaml", base_request("complaint", "walk_in", category="suggestion",
                                                      text="Mohon disediakan kursi tunggu di Front Office."))
    code, out = run(tmp_path, inbox, date="2026-11-27")
    assert code == 0
    assert out["a-email.yaml"]["status"] == "registered" and out["a-email.yaml"]["missing"] == []
    assert kinds(out["a-email.yaml"]) == ["receipt"]
    assert out["b-walkin.yaml"]["status"] == "registered" and kinds(out["b-walkin.yaml"]) == []
    assert out["a-email.yaml"]["due"] is None and out["b-walkin.yaml"]["due"] is None
    assert due_json(tmp_path, "2026-11-27") == (0, [])  # complaints are not on the deadline list
    rows = book(tmp_path)
    assert list(rows["service"]) == ["complaint", "complaint"]
    assert list(rows["answered_at"]) == ["", ""]

    by_email["response"] = {"text": "Petugas pengganti telah dijadwalkan pada jam pelayanan.",
                            "by": "Kepala Sub Bagian Umum", "date": "2026-11-26"}
    write_request(inbox, "a-email.yaml", by_email)
    code, out = run(tmp_path, inbox, date="2026-11-30")
    line = out["a-email.yaml"]
    assert line["register_no"] == "0001/PPID/2026" and line["status"] == "registered"
    assert "receipt" not in kinds(line)  # not issued twice
    rows = book(tmp_path)
    assert rows.loc["0001/PPID/2026", "answered_at"] == "2026-11-26"
    assert rows.loc["0002/PPID/2026", "answered_at"] == ""


def test_purge_erases_personal_data_of_old_closed_requests_and_keeps_the_book(tmp_path):
    """UU 27/2022: identity numbers, contacts, addresses and attachments go; the statistics stay."""
    from click.testing import CliRunner as _Runner

    from pipeline.cli import main as _main
    from helpers import ROOT as _ROOT, base_request as _base, write_request as _write

    inbox = tmp_path / "inbox"
    _write(inbox, "a.yaml", _base(letter="surat-a.pdf"), attachments=("ktp.jpg", "surat.pdf", "surat-a.pdf"))
    open_one = _base(information=["Memo rapat koordinasi tertutup yang belum diputuskan"])
    open_one["requester"]["name"] = "Yohanes Ndun"
    _write(inbox, "b.yaml", open_one)
    common = ["--config", str(_ROOT / "config"), "--records", str(tmp_path / "records")]
    _Runner().invoke(_main, ["run", str(inbox), "--no-pdf", "--templates", str(TEMPLATES),
                             "--out", str(tmp_path / "out"), "--date", "2026-11-27", *common], catch_exceptions=False)
    book_before = (tmp_path / "records" / "register.csv").read_text()
    log = tmp_path / "records" / "events.jsonl"
    assert "5371012345670001" in log.read_text()
    result = _Runner().invoke(_main, ["purge", "--before", "2026-12-01", "--date", "2027-03-01", *common,
                                      "--inbox", str(inbox), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "purged 0001/PPID/2026" in result.stdout and "1 request(s)" in result.stdout
    text = log.read_text()
    purged = [e for e in map(__import__("json").loads, text.splitlines()) if e.get("register_no") == "0001/PPID/2026"]
    assert all(not any((e.get("personal") or {}).values()) for e in purged)
    assert any(e["type"] == "purged" and "identity_number" in e["fields"] for e in purged)
    assert not (inbox / "surat-a.pdf").exists()  # the closed request's own attachment is deleted
    assert (inbox / "ktp.jpg").exists()  # one the open request still uses is kept
    # the request still open (under review) keeps its data
    assert any((e.get("personal") or {}).get("phone") for e in map(__import__("json").loads, text.splitlines())
               if e.get("register_no") == "0002/PPID/2026")
    assert (tmp_path / "records" / "register.csv").read_text() == book_before


# --- 6. a dispute at the Komisi Informasi ------------------------------------------------


def test_dispute_is_recorded_counted_and_a_ruling_for_the_requester_reopens_the_original(tmp_path, inbox):
    from pipeline import report, stats
    from pipeline.book import read_book

    rejected_original(inbox)
    run(tmp_path, inbox, date="2026-11-27")  # refused: written notice 27 Nov 2026
    data = objection(received="2026-12-01 10:00", decision={
        "by": "Nama Atasan PPID", "date": "2026-12-03", "result": "upheld", "reason": "Tetap dikecualikan."})
    write_request(inbox, "k-keberatan.yaml", data)
    run(tmp_path, inbox, date="2026-12-03")

    # Filed at the Komisi Informasi on Mon 14 Dec (within the 14 working days of Pasal 37).
    data["dispute"] = {"filed": "2026-12-14", "case_no": "012/XII/KI-NTT-PS/2026"}
    write_request(inbox, "k-keberatan.yaml", data)
    code, out = run(tmp_path, inbox, date="2026-12-14")
    line = out["k-keberatan.yaml"]
    assert line["register_no"] == "0001/KEB/PPID/2026" and kinds(line) == []  # no letter again
    row = book(tmp_path).loc["0001/KEB/PPID/2026"]
    assert (row["dispute_filed"], row["dispute_case_no"], row["dispute_result"]) == (
        "2026-12-14", "012/XII/KI-NTT-PS/2026", "")
    assert book(tmp_path).loc["0001/PPID/2026", "status"] == "answered"  # nothing reopened yet
    figures = stats.compute_year(read_book(tmp_path / "records"), 2026, dt.date(2026, 12, 14))
    assert figures["disputes"]["filed"] == 1 and figures["disputes"]["pending"] == 1

    # The Komisi grants part of the request on Thu 4 Feb 2027: the office must give the
    # information after all, so the original is open again for a new written notice.
    # Fri 5 Feb is cuti bersama (Tahun Baru Imlek, Sat 6 Feb), so day 1 is Mon 8 Feb:
    # 8-12 Feb days 1-5, 15-19 Feb days 6-10 -> Fri 19 Feb 2027.
    data["dispute"].update(result="partially_granted", decided="2027-02-04")
    write_request(inbox, "k-keberatan.yaml", data)
    code, out = run(tmp_path, inbox, date="2027-02-04")
    assert book(tmp_path).loc["0001/KEB/PPID/2026", "dispute_result"] == "partially_granted"
    code, listed = due_json(tmp_path, "2027-02-04")
    assert [(x["register_no"], x["status"]) for x in listed] == [("0001/PPID/2026", "review")]
    assert listed[0]["due"] == "2027-02-19"
    # an edit that keeps the ruling does not reopen it again
    data["dispute"]["case_no"] = "012/XII/KI-NTT-PS/2026 (putusan)"
    write_request(inbox, "k-keberatan.yaml", data)
    run(tmp_path, inbox, date="2027-02-05")
    reopened = [e for e in map(json.loads, (tmp_path / "records" / "events.jsonl").read_text().splitlines())
                if e["type"] == "reopened"]
    assert len(reopened) == 1 and reopened[0]["by_dispute"] == "012/XII/KI-NTT-PS/2026"

    book_now = read_book(tmp_path / "records")
    figures = stats.compute_year(book_now, 2026, dt.date(2027, 2, 5))
    assert figures["disputes"]["filed"] == 1 and figures["disputes"]["decided"] == 1
    assert figures["disputes"]["by_result"]["partially_granted"] == 1
    assert stats.compute_year(book_now, 2027, dt.date(2027, 2, 5))["disputes"]["filed"] == 0
    from pipeline.config import load_config
    ctx = report.context(figures, 2026, office={}, survey=None, as_of=dt.date(2027, 2, 5),
                         narrative={}, requirement_titles={},
                         deadlines=load_config(ROOT / "config").deadlines)
    assert ("tercatat 1 sengketa informasi publik yang diajukan ke Komisi Informasi atas "
            "tanggapan keberatan; 1 dikabulkan sebagian.") in ctx["dispute_text"], ctx["dispute_text"]
