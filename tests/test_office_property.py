"""Same answer everywhere (issue 19): for generated inboxes of new files, supplements,
edits, objections and wrong register numbers, `validate`, `run --no-pdf` and the desk's
file status (`Office.assess`) give each file the same status and the same due date.

A register of three requests is built once; each example restores it (the records and
the inbox it came from, at the same path, so that edited files are the same files) and
adds the generated files to that inbox."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import ROOT, TEMPLATES, base_request, write_request
from pipeline.config import load_config
from pipeline.office import Office
from pipeline.outcome import Output

FIRST, LATER = dt.date(2026, 11, 20), dt.date(2026, 11, 30)
HELD = "Notulen rapat koordinasi pengelolaan arsip dinamis 2025"
EXEMPT = "Salinan KTP dan nomor telepon seluruh anggota PPK"
BASE = {  # file -> request: answered, incomplete, scheduled
    "a.yaml": base_request(information=[HELD], decision={"by": "PPID", "items": [{"item": 1, "status": "open"}]}),
    "b.yaml": base_request(received="2026-11-20 10:00", purpose=None,
                           requester={**base_request()["requester"], "name": "Yohanes Ndun"}),
    "c.yaml": base_request("consultation", "email", received="2026-11-20 11:00",
                           requester={**base_request()["requester"], "name": "Ani Taek"}),
}
NUMBERS = {"a.yaml": "0001/PPID/2026", "b.yaml": "0002/PPID/2026", "c.yaml": "0003/PPID/2026"}


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    """The register after the first run, kept aside; `restore` puts it back for an example."""
    root = tmp_path_factory.mktemp("property")
    cfg = load_config(ROOT / "config")
    kept = root / "kept"
    for name, data in BASE.items():
        write_request(kept / "inbox", name, data)
    work = root / "work"

    def restore():
        shutil.rmtree(work, ignore_errors=True)
        shutil.copytree(kept / "inbox", work / "inbox")
        if (kept / "records").exists():
            shutil.copytree(kept / "records", work / "records")
        return work

    restore()
    report = Office(ROOT / "config", work / "records", date=FIRST, cfg=cfg).run(
        work / "inbox", work / "out", templates=TEMPLATES, output=Output.DOCX)
    assert [o.status for o in report.outcomes] == ["answered", "incomplete", "scheduled"]
    assert [o.register_no for o in report.outcomes] == list(NUMBERS.values())
    shutil.copytree(work / "records", kept / "records")
    return cfg, restore


day = st.integers(min_value=21, max_value=30).map(lambda d: f"2026-11-{d:02d} 09:00")
new_file = st.builds(lambda service, received, drop, items: ("new", service, received, drop, items),
                     st.sampled_from(["information", "consultation", "complaint"]), day,
                     st.sampled_from([None, "purpose", "source", "letter"]),
                     st.lists(st.sampled_from([HELD, EXEMPT, "Daftar hadir rapat pleno 2024"]), min_size=1, max_size=2))
supplement = st.builds(lambda target, same, purpose: ("supplement", target, same, purpose),
                       st.sampled_from(sorted(NUMBERS)), st.booleans(), st.sampled_from([None, "Bahan skripsi"]))
edit = st.builds(lambda target, change: ("edit", target, change), st.sampled_from(sorted(NUMBERS)),
                 st.sampled_from(["purpose", "received", "name", "nothing"]))
objection = st.builds(lambda target, decided, notice: ("objection", target, decided, notice),
                      st.sampled_from(["0001/PPID/2026", "0002/PPID/2026", "0042/PPID/2026"]), st.booleans(),
                      st.sampled_from([None, "2026-11-23"]))
wrong_no = st.builds(lambda no: ("wrong_no", no), st.sampled_from(["0099/PPID/2026", "0001/PPID/2025", "xyz"]))
inbox_files = st.lists(st.one_of(new_file, supplement, edit, objection, wrong_no), min_size=1, max_size=6)


def materialise(spec, n: int) -> tuple[str, dict]:
    """A generated file: its name and its content."""
    kind = spec[0]
    if kind == "new":
        _, service, received, drop, items = spec
        data = base_request(service, "letter" if service != "complaint" else "whatsapp", received=received,
                            requester={**base_request()["requester"], "name": f"Pemohon {n}"})
        if service == "information":
            data["information"] = items
        if drop and drop in data:
            data[drop] = None
        return f"n{n}.yaml", data
    if kind == "supplement":
        _, target, same, purpose = spec
        data = dict(BASE[target], register_no=NUMBERS[target], received=f"2026-11-2{n % 9 + 1} 08:00")
        if purpose:
            data["purpose"] = purpose
        if not same:
            data["requester"] = {**data["requester"], "name": "Orang Lain"}
        return f"s{n}.yaml", data
    if kind == "edit":
        _, target, change = spec
        data = dict(BASE[target])
        if change == "purpose":
            data["purpose"] = "Bahan tulisan tentang partisipasi pemilih"
        elif change == "received":
            data["received"] = "2026-11-21 08:00"
        elif change == "name":
            data["requester"] = {**data["requester"], "name": "Orang Lain"}
        return target, data
    if kind == "objection":
        _, target, decided, notice = spec
        data = base_request("objection", "letter", received="2026-11-27 10:00", objection_to=target,
                            requester={**base_request()["requester"], "name": "Maria Goreti Bria"})
        if decided:
            data["decision"] = {"by": "Atasan PPID", "result": "upheld", "reason": "Sudah sesuai"}
        if notice:
            data["notice_received"] = notice
        return f"k{n}.yaml", data
    _, no = spec
    return f"w{n}.yaml", dict(base_request(received="2026-11-24 09:00"), register_no=no)


def answers(cfg, work, paths):
    office = lambda: Office(ROOT / "config", work / "records", date=LATER, cfg=cfg)  # noqa: E731
    validated = {o.file: (o.status, o.due) for o in office().validate([work / "inbox"])}
    assessor = office()
    assessed = {str(p): (o.status, o.due) for p in paths for o in [assessor.assess(p, work / "inbox")]}
    ran = office().run(work / "inbox", work / "out", templates=TEMPLATES, output=Output.DOCX)
    return validated, assessed, {o.file: (o.status, o.due) for o in ran.outcomes}


@pytest.mark.slow  # about 0.3 s an example (three office runs); 25 examples
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(specs=inbox_files)
def test_validate_run_and_the_desk_give_each_file_the_same_status_and_due_date(base, specs):
    cfg, restore = base
    work = restore()
    for n, spec in enumerate(specs):
        name, data = materialise(spec, n)
        write_request(work / "inbox", name, data)
    paths = sorted((work / "inbox").glob("*.yaml"))
    validated, assessed, ran = answers(cfg, work, paths)
    assert set(validated) == set(assessed) == set(ran) == {str(p) for p in paths}
    for p in map(str, paths):
        assert validated[p] == assessed[p] == ran[p], (p, specs)
