"""Working days and deadlines (spec section 6) across Idul Fitri 2026, Christmas 2026 and New Year 2027."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.calendar import WorkingCalendar

D = dt.date


@pytest.fixture(scope="module")
def cal():
    return WorkingCalendar()


@pytest.mark.parametrize("start,due", [
    # Idul Fitri 2026: Nyepi 19 Mar, cuti bersama 18, 20, 23, 24 Mar; Idul Fitri 21-22 Mar (weekend)
    (D(2026, 3, 13), D(2026, 4, 6)),   # day 1 = 16 Mar; 16,17 then 25,26,27,30,31, 1 Apr, 2 Apr, (3 Apr Good Friday) 6 Apr
    (D(2026, 3, 17), D(2026, 4, 8)),   # day 1 = 25 Mar (18-24 all off)
    # Christmas 2026 (cuti bersama 24 Dec, Christmas 25 Dec) and New Year 2027, Isra Mikraj 5 Jan 2027
    (D(2026, 12, 18), D(2027, 1, 7)),
    (D(2026, 12, 23), D(2027, 1, 12)),
    (D(2026, 11, 20), D(2026, 12, 4)),  # an ordinary fortnight
])
def test_day_ten(cal, start, due):
    assert cal.add_working_days(start, 10) == due


def test_day_one_is_the_first_working_day_after_completion(cal):
    assert cal.day_one(D(2026, 11, 20)) == D(2026, 11, 23)  # Friday -> Monday
    assert cal.day_one(D(2026, 12, 23)) == D(2026, 12, 28)  # over cuti bersama, Christmas and a weekend


def test_cuti_bersama_switch(cal):
    assert not cal.is_working_day(D(2026, 12, 24))
    open_office = WorkingCalendar(cuti_bersama_is_working_day=True)
    assert open_office.is_working_day(D(2026, 12, 24))
    assert not open_office.is_working_day(D(2026, 12, 25))  # a national holiday stays one
    assert open_office.add_working_days(D(2026, 12, 18), 10) == D(2027, 1, 6)


def test_office_overrides():
    office = WorkingCalendar(add={D(2026, 11, 30): "Rapat pleno"}, remove={D(2026, 12, 24): "Kantor buka"})
    assert not office.is_working_day(D(2026, 11, 30))
    assert office.is_working_day(D(2026, 12, 24))
    assert "ketetapan kantor" in office.off_reason(D(2026, 11, 30))


def test_working_days_counts_from_day_one(cal):
    assert cal.working_days(D(2026, 11, 20), D(2026, 11, 20)) == 0  # same day
    assert cal.working_days(D(2026, 11, 20), D(2026, 11, 23)) == 1
    assert cal.working_days(D(2026, 11, 20), D(2026, 12, 4)) == 10
    assert cal.working_days(D(2026, 12, 18), D(2027, 1, 7)) == 10


def test_explain_names_every_skipped_day_and_its_source(cal):
    days = cal.explain(D(2026, 12, 18), 10)
    skipped = {d.date: d.reason for d in days if d.count is None}
    assert skipped[D(2026, 12, 24)].endswith("(cuti bersama, paket holidays)")
    assert "Natal" in skipped[D(2026, 12, 25)] and "libur nasional" in skipped[D(2026, 12, 25)]
    assert "Tahun Baru" in skipped[D(2027, 1, 1)]
    assert skipped[D(2026, 12, 19)] == "akhir pekan"
    assert [d.count for d in days if d.count][-1] == 10 and days[-1].date == D(2027, 1, 7)


def test_the_repository_config_builds_the_same_calendar(cfg):
    assert cfg.calendar.add_working_days(D(2026, 3, 13), 10) == D(2026, 4, 6)
