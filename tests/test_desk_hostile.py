"""What a hostile test found in the desk, each kept as a test (issue 18): links planted at the
names and folders the desk writes, a clerk writing the PPID's decision through the file
editor, two intakes taking one name, tasks on files outside the inbox root, tracebacks on odd
input, and single-line fields that are not one line."""

from __future__ import annotations

import io
import json
import os
import re

import pytest

from desk_support import PASSWORDS, USERS, make_env, pdf_bytes

from desk_tasks_support import build, copy, run


def csrf(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def client_as(env, role: str):
    c = env.app.test_client()
    page = c.get("/login").get_data(as_text=True)
    r = c.post("/login", data={"csrf_token": csrf(page), "username": USERS[role], "password": PASSWORDS[role]})
    assert r.status_code == 302
    return c


def form(c, url: str) -> dict:
    html = c.get(url).get_data(as_text=True)
    out = {"csrf_token": csrf(html)}
    m = re.search(r'name="staged" value="([0-9a-f]+)"', html)
    if m:
        out["staged"] = m.group(1)
    return out


def post(c, url: str, data: dict, **kw):
    return c.post(url, data={**form(c, url), **data}, **kw)


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    return build(tmp_path_factory.mktemp("registered"))


@pytest.fixture
def reg_env(base, tmp_path):
    e = copy(base, tmp_path)
    yield e
    e.desk.close()


@pytest.fixture
def env(tmp_path):
    e = make_env(tmp_path)
    yield e
    e.desk.close()


def rno_of(env, stem: str) -> str:
    from pipeline.desk import decisions as D

    for rec in env.desk.view().records.values():
        path = D.request_path(rec)
        if path is not None and stem in path.name:
            return rec.register_no
    raise AssertionError(stem)


VICTIM = b'{"precious": "the office\'s own file"}\n'

EMAIL_INTAKE = {
    "received": "2026-11-27 09:05", "requester.name": "Yohanes Ndun", "requester.kind": "individual",
    "requester.phone": "081298765432", "requester.identity.type": "ktp",
    "requester.identity.number": "5371010107900031", "requester.email": "yohanes@example.org",
    "addressed_to": "Ketua KPU Provinsi Nusa Tenggara Timur",
    "information": "Salinan Keputusan KPU Provinsi NTT tentang penetapan calon terpilih DPRD Provinsi 2024",
    "purpose": "Penelitian skripsi", "source": "Laman resmi KPU Provinsi NTT", "form": "softcopy",
    "delivery": "email", "save_incomplete": "1",
}


# --- 1. links planted at the names and folders the desk writes ----------------------------------------


@pytest.mark.parametrize("date, status", [("27-11-2026", 302), ("01-01-2026", 422)])
def test_a_task_never_writes_through_a_link_planted_at_its_old_temporary_name(reg_env, tmp_path, date, status):
    victim = tmp_path / "victim.jsonl"
    victim.write_bytes(VICTIM)
    path = next(reg_env.day.glob("*paulus*.yaml"))
    before = path.read_bytes()
    (path.parent / f".{path.name}.desk.tmp").symlink_to(victim)
    c = client_as(reg_env, "ppid")
    url = f"/tugas/disposisi?rno={rno_of(reg_env, 'paulus')}"
    r = post(c, url, {"disposition.to": "Sekretaris", "disposition.note": "", "disposition.date": date})
    assert r.status_code == status
    assert victim.read_bytes() == VICTIM
    assert not path.is_symlink() and ("disposition:" in path.read_text()) == (status == 302)
    if status == 422:
        assert path.read_bytes() == before


@pytest.mark.parametrize("text, status", [
    ("service: information\nchannel: letter\nreceived: 2026-11-20 10:00\n", 302),
    ("service: informasi\nchannel: letter\nreceived: 2026-11-20 10:00\n", 422),
])
def test_the_file_editor_never_writes_through_a_link_planted_at_its_old_temporary_name(env, tmp_path, text, status):
    victim = tmp_path / "victim.jsonl"
    victim.write_bytes(VICTIM)
    env.day.mkdir(parents=True)
    path = env.day / "rusak.yaml"
    path.write_text("service: informasi\n")
    (env.day / ".rusak.yaml.editor.tmp").symlink_to(victim)
    c = client_as(env, "clerk")
    url = f"/tugas/berkas?file={env.day.name}/rusak.yaml"
    assert c.get(url).status_code == 200  # the check of the file as it is
    r = post(c, url, {"text": text})
    assert r.status_code == status
    assert victim.read_bytes() == VICTIM and not path.is_symlink()


def test_an_attachment_never_follows_a_dangling_link_at_its_name(env, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (env.day / "lampiran").mkdir(parents=True)
    (env.day / "lampiran" / "surat-yohanes-ndun.pdf").symlink_to(outside / "stolen.pdf")
    c = client_as(env, "clerk")
    r = post(c, "/intake/information/email", {**EMAIL_INTAKE, "letter": (io.BytesIO(pdf_bytes()), "surat.pdf")},
             content_type="multipart/form-data")
    assert r.status_code == 302
    assert not (outside / "stolen.pdf").exists()
    [path] = env.day.glob("*.yaml")
    assert "letter: lampiran/surat-yohanes-ndun-2.pdf" in path.read_text()
    assert (env.day / "lampiran" / "surat-yohanes-ndun-2.pdf").read_bytes().startswith(b"%PDF-")


def test_a_day_folder_replaced_by_a_link_takes_no_request_nor_attachment(env, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env.day.symlink_to(elsewhere, target_is_directory=True)
    c = client_as(env, "clerk")
    r = post(c, "/intake/information/email", {**EMAIL_INTAKE, "letter": (io.BytesIO(pdf_bytes()), "surat.pdf")},
             content_type="multipart/form-data")
    html = r.get_data(as_text=True)
    assert r.status_code == 409 and "tautan simbolik" in html and "Traceback" not in html
    assert list(elsewhere.rglob("*")) == []


# --- 3. two intakes taking one name ---------------------------------------------------------------


OTHER = """\
service: information
channel: email
received: 2026-11-27 09:00
requester:
  name: Yohanes Ndun
  kind: individual
  phone: "081211112222"
information:
  - Daftar calon tetap DPRD Provinsi 2024
"""


def test_two_intakes_of_one_name_at_once_never_overwrite_each_other(env, monkeypatch):
    """The other intake takes the name while this one waits for the records lock (the race made
    deterministic: the competitor's file appears as the lock is taken)."""
    changing = env.desk.changing
    taken = []

    def racing(user, action, **details):
        if action == "intake" and not taken:
            other = env.inbox_root / details["file"]
            other.write_text(OTHER)
            taken.append(other)
        return changing(user, action, **details)

    monkeypatch.setattr(env.desk, "changing", racing)
    c = client_as(env, "clerk")
    r = post(c, "/intake/information/email", {**EMAIL_INTAKE, "letter": (io.BytesIO(pdf_bytes()), "surat.pdf")},
             content_type="multipart/form-data")
    assert r.status_code == 302
    [other] = taken
    assert other.read_text() == OTHER
    mine = other.with_name(other.stem + "-2.yaml")
    assert "081298765432" in mine.read_text() and mine.name in r.headers["Location"]
    events = [json.loads(x) for x in (env.records / "events.jsonl").read_text().splitlines()]
    assert [e["file"] for e in events if e.get("action") == "intake"] == [f"{env.day.name}/{mine.name}"]


def test_an_attachment_placed_at_a_name_taken_meanwhile_takes_the_next(env, tmp_path):
    from pipeline import files
    from pipeline.desk import requestfile as R

    folder = tmp_path / "day"
    folder.mkdir()
    first = R.place_new(files.stage(folder / "x.pdf", b"first"))
    with pytest.raises(R.NameTaken):
        R.place_new(files.stage(folder / "x.pdf", b"second"))
    assert first.read_bytes() == b"first" and sorted(p.name for p in folder.iterdir()) == ["x.pdf"]
    src = tmp_path / "staged.pdf"
    src.write_bytes(b"upload")
    placed = [R.place_attachment(src, folder, "ani", "letter") for _ in range(3)]
    assert [p.name for p in placed] == ["surat-ani.pdf", "surat-ani-2.pdf", "surat-ani-3.pdf"]


# --- 4. tasks on files outside the inbox root --------------------------------------------------------


def test_a_task_on_a_request_filed_outside_the_inbox_root_is_refused_with_a_message(reg_env, tmp_path):
    other = tmp_path / "other-inbox" / "2026-11-27"
    other.mkdir(parents=True)
    path = other / "2026-11-26-agnes-lay.yaml"
    path.write_text((next(reg_env.day.glob("*maria-bria*.yaml")).read_text()
                     .replace("Maria Goreti Bria", "Agnes Lay").replace("2026-11-25", "2026-11-26")
                     .replace("5371012345670001", "5371012345670099").replace("081234567890", "081299990000")))
    run(reg_env, other)
    reg_env2 = reg_env
    before = path.read_bytes()
    c = client_as(reg_env2, "clerk")
    url = f"/tugas/pencabutan?rno={rno_of(reg_env2, 'agnes-lay')}"
    r = post(c, url, {"withdrawn": "27-11-2026", "withdrawn_note": "lisan"})
    html = r.get_data(as_text=True)
    assert r.status_code == 422 and "di luar folder kotak masuk" in html
    assert path.read_bytes() == before



# --- 2. the file editor writes no other role's act ---------------------------------------------------


INFO = "service: information\nchannel: letter\nreceived: 2026-11-20 10:00\ninformation:\n  - Daftar calon tetap\n"
OBJ = "service: objection\nchannel: letter\nreceived: 2026-11-20 10:00\nobjection_to: 0009/PPID/2026\ngrounds: [a]\n"
DECISION = "decision:\n  by: Yosefina\n  date: 2026-11-26\n  items:\n    - item: 1\n      status: open\n"
OVERTURNED = "decision:\n  by: Agustinus\n  date: 2026-11-26\n  result: overturned\n  reason: Tidak beralasan\n"


@pytest.mark.parametrize("role, old, new, field", [
    ("clerk", INFO, INFO + DECISION, "decision"),
    ("clerk", OBJ, OBJ + OVERTURNED, "decision"),
    ("ppid", OBJ, OBJ + OVERTURNED, "decision"),
    ("clerk", INFO, INFO + "answer:\n  text: Sudah dijawab\n  by: Yosefina\n  date: 2026-11-26\n", "answer"),
    ("clerk", OBJ, OBJ + "dispute:\n  filed: 2026-11-26\n  case_no: 1/KI/2026\n", "dispute"),
    ("clerk", INFO, INFO + "withdrawn: 2026-11-26\n", "withdrawn"),
    ("clerk", INFO + DECISION, INFO + DECISION.replace("Yosefina", "Yuliana"), "decision"),
    ("clerk", INFO + DECISION, INFO, "decision"),  # erasing a decision is changing it too
])
def test_the_file_editor_refuses_a_change_to_another_role_s_act(env, role, old, new, field):
    env.day.mkdir(parents=True)
    path = env.day / "berkas.yaml"
    path.write_text(old.replace("service:", "servis:"))  # malformed: the editor's file
    before = path.read_bytes()
    c = client_as(env, role)
    url = f"/tugas/berkas?file={env.day.name}/berkas.yaml"
    r = post(c, url, {"text": new})
    html = r.get_data(as_text=True)
    assert r.status_code == 422, html[-1500:]
    assert re.search(rf"(Baris \d+|Seluruh berkas) \(<code>{field}</code>\): hanya [^<]* yang mengisi atau mengubah bagian ini", html)
    assert path.read_bytes() == before


@pytest.mark.parametrize("role, old, new", [
    ("clerk", INFO.replace("service:", "servis:") + DECISION, INFO + DECISION),  # the decision kept as it was
    ("ppid", INFO.replace("service:", "servis:"), INFO + "withdrawn: 2026-11-26\n"),
    ("ppid", INFO.replace("service:", "servis:"), INFO + DECISION),
])
def test_the_file_editor_saves_an_act_its_owner_writes_or_nobody_changes(env, role, old, new):
    env.day.mkdir(parents=True)
    path = env.day / "berkas.yaml"
    path.write_text(old)
    c = client_as(env, role)
    r = post(c, f"/tugas/berkas?file={env.day.name}/berkas.yaml", {"text": new})
    assert r.status_code == 302, r.get_data(as_text=True)[-1500:]
    assert path.read_text() == new


# --- 5. statistics of a year no date holds -----------------------------------------------------------


@pytest.mark.parametrize("year, status", [("99999", 400), ("-5", 400), ("1", 400), ("1999", 400), ("2027", 400),
                                          ("2026", 200), ("2000", 200), ("tahun", 200)])
def test_the_statistics_of_an_impossible_year_are_a_message_not_a_traceback(env, year, status):
    c = client_as(env, "analyst")
    r = c.get(f"/stats?year={year}")
    html = r.get_data(as_text=True)
    assert r.status_code == status
    if status == 400:
        assert "2000" in html and "2026" in html and "Traceback" not in html


# --- 6. the Atasan PPID's reasons, one-line fields, staff names, mail -----------------------------------


@pytest.mark.parametrize("result", ["overturned", "upheld", "inadmissible"])
def test_an_objection_decision_without_its_reason_is_refused(reg_env, result):
    rno = next(r for r, rec in reg_env.desk.view().records.items() if rec.row.get("service") == "objection")
    path = next(reg_env.day.glob("*keberatan*.yaml"))
    before = path.read_bytes()
    c = client_as(reg_env, "atasan_ppid")
    url = f"/review/item?rno={rno}"
    r = post(c, url, {"rno": rno, "by": "Nama Atasan PPID", "date": "27-11-2026", "result": result, "reason": "  "})
    assert r.status_code == 422 and "Tuliskan alasan keputusan atas keberatan" in r.get_data(as_text=True)
    assert path.read_bytes() == before


ONE_LINE_BREAKS = ["Yosefina\nb: c", "Yosefina\x85b: c", "Yosefina\u2028b: c", "Yosefina\u2029", "Yose\x00fina",
                   "\u202eanifesoY"]


@pytest.mark.parametrize("by", ONE_LINE_BREAKS)
def test_the_decision_form_refuses_a_signer_name_that_is_not_one_line(reg_env, by):
    rno = rno_of(reg_env, "maria-bria")
    path = next(reg_env.day.glob("*maria-bria*.yaml"))
    before = path.read_bytes()
    c = client_as(reg_env, "ppid")
    r = post(c, f"/review/item?rno={rno}", {"rno": rno, "by": by, "date": "27-11-2026", "item1.status": "open"})
    assert r.status_code == 422 and "Isian ini satu baris" in r.get_data(as_text=True)
    assert path.read_bytes() == before


@pytest.mark.parametrize("name", ONE_LINE_BREAKS[:3])
def test_the_intake_form_refuses_a_name_that_is_not_one_line(env, name):
    c = client_as(env, "clerk")
    r = post(c, "/intake/information/email", {**EMAIL_INTAKE, "requester.name": name})
    assert r.status_code == 422 and "Isian ini satu baris" in r.get_data(as_text=True)
    assert not env.day.exists() or not list(env.day.glob("*.yaml"))


@pytest.mark.parametrize("fields, field, words", [
    ({"answer.by": "Orang Asing"}, "answer.by", "pilih nama dari daftar pegawai kantor"),
    ({"answer.by": "Adrianus Sole, S.Sos.", "answer.role": "delegated",
      "answer.approved_by": "Orang Asing (Presiden Republik Indonesia)"}, "answer.approved_by",
     "pilih nama dari daftar pegawai kantor"),
    ({"answer.by": "Adrianus Sole, S.Sos.\nrole: member"}, "answer.by", "hanya satu baris"),
    ({"answer.by": "Adrianus Sole, S.Sos.", "answer.role": "delegated",
      "answer.approved_by": "Wilhelmus Nenobais\u2028x"}, "answer.approved_by", "hanya satu baris"),
])
def test_a_consultation_answer_is_signed_only_by_one_of_the_staff(reg_env, fields, field, words):
    path = next(reg_env.day.glob("*paulus*.yaml"))
    before = path.read_bytes()
    c = client_as(reg_env, "ppid")
    data = {"answer.text": "Dapat difasilitasi.", "answer.role": "member", "answer.date": "27-11-2026", **fields}
    r = post(c, f"/tugas/jawaban?rno={rno_of(reg_env, 'paulus')}", data)
    html = r.get_data(as_text=True)
    assert r.status_code == 422
    err = re.search(rf'id="f-{field.replace(".", "-").replace("_", "-")}-err">([^<]*)<', html)
    assert err and words in err.group(1), html[-2000:]
    assert path.read_bytes() == before


def test_a_staff_name_signs_the_answer(reg_env):
    path = next(reg_env.day.glob("*paulus*.yaml"))
    c = client_as(reg_env, "ppid")
    r = post(c, f"/tugas/jawaban?rno={rno_of(reg_env, 'paulus')}", {
        "answer.text": "Dapat difasilitasi.", "answer.by": "Adrianus Sole, S.Sos.", "answer.role": "delegated",
        "answer.date": "27-11-2026", "answer.approved_by": "Wilhelmus Nenobais, S.H., M.Si."})
    assert r.status_code == 302
    assert "approved_by: Wilhelmus Nenobais, S.H., M.Si." in path.read_text()


def _eml() -> bytes:
    from email.message import EmailMessage

    m = EmailMessage()
    m["From"], m["To"], m["Subject"] = "yohanes@example.org", "ppid@example.org", "Permohonan informasi"
    m.set_content("Mohon salinan keputusan.")
    return m.as_bytes()


def test_a_message_is_read_bounded_and_never_moved_through_a_processed_link(env, tmp_path, monkeypatch):
    from pipeline.desk import mail as M

    (env.root / "mail" / "pesan.eml").write_bytes(_eml())
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (env.root / "mail" / "processed").symlink_to(elsewhere, target_is_directory=True)
    monkeypatch.setattr(M, "MAX_EML", 100)  # the file is larger than the limit: refused, never read whole
    c = client_as(env, "clerk")
    r = c.get("/mail/draft?name=pesan.eml")
    assert r.status_code == 200 and "Traceback" not in r.get_data(as_text=True)
    assert len(M.read_bounded(env.root / "mail" / "pesan.eml")) == 101
    monkeypatch.undo()
    r = post(c, "/intake/information/email", {**EMAIL_INTAKE, "mail_source": "pesan.eml"})
    assert r.status_code == 302
    assert list(elsewhere.iterdir()) == [] and (env.root / "mail" / "pesan.eml").exists()


STRANGER_ANSWER = """\
service: consultation
channel: letter
received: 2026-11-19 10:00
requester:
  name: Paulus Bata
  kind: individual
  phone: "081339445566"
topic: Dukungan pemerintah daerah
answer:
  text: Dapat difasilitasi.
  by: {by}
  role: delegated
  date: 2026-11-26
  approved_by: {approved}
"""


@pytest.mark.parametrize("by, approved, field, line", [
    ("Adrianus Sole, S.Sos.", "Orang Asing (Presiden Republik Indonesia)", "answer.approved_by", 14),
    ("Orang Asing", "Wilhelmus Nenobais, S.H., M.Si. (Sekretaris KPU Provinsi NTT)", "answer.by", 11),
])
def test_the_batch_refuses_an_approved_answer_signed_by_a_name_not_on_the_staff(tmp_path, by, approved, field, line):
    from click.testing import CliRunner

    from pipeline.cli import main

    from desk_support import ROOT, TODAY

    path = tmp_path / "inbox" / "2026-11-27-paulus.yaml"
    path.parent.mkdir()
    path.write_text(STRANGER_ANSWER.format(by=by, approved=approved))
    r = CliRunner().invoke(main, ["validate", str(path), "--date", TODAY.isoformat(), "--config", str(ROOT / "config"),
                                  "--records", str(tmp_path / "records")])
    assert r.exit_code == 1 and "Traceback" not in r.output
    assert f"REJECTED {path}:{line}: field '{field}'" in r.output
    assert "not one of the office's staff" in r.output and "config/office.yaml" in r.output
    ok = STRANGER_ANSWER.format(by="Adrianus Sole, S.Sos.", approved="Wilhelmus Nenobais, S.H., M.Si.")
    path.write_text(ok)
    r = CliRunner().invoke(main, ["validate", str(path), "--date", TODAY.isoformat(), "--config", str(ROOT / "config"),
                                  "--records", str(tmp_path / "records")])
    assert "REJECTED" not in r.output and "staff" not in r.output


@pytest.mark.parametrize("plant", ["dangling", "to-a-folder"])
def test_a_day_folder_link_is_refused_before_anything_is_made(env, tmp_path, plant):
    target = tmp_path / ("nowhere" if plant == "dangling" else "elsewhere")
    if plant != "dangling":
        target.mkdir()
    env.day.symlink_to(target, target_is_directory=True)
    c = client_as(env, "clerk")
    r = post(c, "/intake/information/email", EMAIL_INTAKE)
    assert r.status_code == 409 and "tautan simbolik" in r.get_data(as_text=True)
    assert not target.exists() or list(target.iterdir()) == []


def test_a_task_on_a_request_file_that_is_a_link_is_refused(reg_env, tmp_path):
    path = next(reg_env.day.glob("*paulus*.yaml"))
    real = tmp_path / "real.yaml"
    real.write_bytes(path.read_bytes())
    rno = rno_of(reg_env, "paulus")
    path.unlink()
    path.symlink_to(real)
    c = client_as(reg_env, "ppid")
    r = post(c, f"/tugas/disposisi?rno={rno}", {"disposition.to": "Sekretaris", "disposition.date": "27-11-2026"})
    assert r.status_code == 422 and "di luar folder kotak masuk" in r.get_data(as_text=True)
    assert path.is_symlink() and "disposition" not in real.read_text()
