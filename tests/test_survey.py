"""Indeks Kepuasan Masyarakat (PermenPANRB 14/2017) on a worked example.

tests/fixtures/survey_worked.csv (';'-separated, as Excel writes it in Indonesia) has
four valid respondents, three bad rows and one empty line. The valid scores, U1..U9:

    row 2:  4 4 4 4 4 4 4 4 4
    row 3:  3 3 3 4 3 3 4 3 3
    row 4:  3 2 3 4 3 3 3 2 3
    row 5:  4 3 2 4 3 4 4 3 3
    sums:  14 12 12 16 13 14 15 12 13   -> NRR = sum / 4:
           3.50 3.00 3.00 4.00 3.25 3.50 3.75 3.00 3.25   (total 30.25)

Index = 30.25 / 9 = 3.3611; IKM = 3.3611 x 25 = 84.03 -> B (76.61-88.30), "Baik".
Left out: row 6 (U3 = 5), row 7 (U8 blank), row 9 (U9 = "x"); row 8 is empty.
"""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from pipeline import survey
from pipeline.errors import ConfigError, UsageError

ROOT = Path(__file__).resolve().parent.parent
WORKED = ROOT / "tests" / "fixtures" / "survey_worked.csv"
NRR = [3.5, 3.0, 3.0, 4.0, 3.25, 3.5, 3.75, 3.0, 3.25]


@pytest.fixture(scope="module")
def config() -> dict:
    return survey.load_config(ROOT / "config")


def test_worked_example(config):
    result = survey.score(WORKED, config)
    assert result.respondents == 4
    assert [e.nrr for e in result.elements] == NRR
    assert [e.total for e in result.elements] == [14, 12, 12, 16, 13, 14, 15, 12, 13]
    assert [e.code for e in result.elements] == [f"U{i}" for i in range(1, 10)]
    assert result.elements[1].name == "Sistem, Mekanisme dan Prosedur"
    assert all(e.weight == pytest.approx(1 / 9) for e in result.elements)
    assert result.index == pytest.approx(3.3611, abs=1e-4)
    assert result.ikm == 84.03
    assert (result.grade, result.label) == ("B", "Baik")
    assert result.elements[3].converted == 100.0


def test_bad_rows_are_reported_by_row_and_left_out(config):
    result = survey.score(WORKED, config)
    assert [n for n, _ in result.bad_rows] == [6, 7, 9]
    reasons = dict(result.bad_rows)
    assert reasons[6] == "U3 (Waktu Penyelesaian): 5 is outside 1-4"
    assert reasons[7] == "U8 (Penanganan Pengaduan, Saran dan Masukan): blank"
    assert reasons[9] == "U9 (Sarana dan Prasarana): not a number from 1 to 4"


def test_the_same_responses_from_excel(config, tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    rows = [line.split(";") for line in WORKED.read_text(encoding="utf-8").splitlines()]
    for i, row in enumerate(rows):
        # Scores as numbers, as Excel stores them; the empty line as empty cells.
        ws.append([int(v) if i and v.isdigit() and 3 <= j <= 11 else (v or None)
                   for j, v in enumerate(row)])
    wb.save(tmp_path / "skm.xlsx")
    xlsx = survey.score(tmp_path / "skm.xlsx", config)
    csv = survey.score(WORKED, config)
    assert (xlsx.ikm, xlsx.respondents, [e.nrr for e in xlsx.elements]) == \
        (csv.ikm, csv.respondents, [e.nrr for e in csv.elements])
    assert [n for n, _ in xlsx.bad_rows] == [6, 7, 9]


@pytest.mark.parametrize("ikm, grade, label", [
    (100.0, "A", "Sangat Baik"), (88.31, "A", "Sangat Baik"), (88.30, "B", "Baik"),
    (76.61, "B", "Baik"), (76.60, "C", "Kurang Baik"), (65.00, "C", "Kurang Baik"),
    (64.99, "D", "Tidak Baik"), (25.00, "D", "Tidak Baik"),
])
def test_grade_bands(config, ikm, grade, label):
    assert survey.grade(ikm, config["grades"]) == (grade, label)


def test_weights_from_config(config, tmp_path):
    weighted = {**config, "elements": [dict(e, weight="1/5" if e["code"] == "U1" else 0.1)
                                       for e in config["elements"]]}
    result = survey.score(WORKED, weighted)
    # 0.2 x 3.5 + 0.1 x (30.25 - 3.5) = 0.7 + 2.675 = 3.375 -> x 25 = 84.375
    assert result.index == pytest.approx(3.375)
    assert result.ikm == pytest.approx(84.375, abs=0.006)
    assert result.elements[0].weight == 0.2


@pytest.mark.parametrize("weights, message", [
    ({"U1": 0.5}, "every element or for none"),
    (dict.fromkeys([f"U{i}" for i in range(1, 10)], 0.11), "sum to 0.9900"),
    (dict.fromkeys([f"U{i}" for i in range(1, 10)], "sepersembilan"), "not a number"),
])
def test_bad_weights_are_config_errors(config, weights, message):
    raw = {**config, "elements": [dict({k: v for k, v in e.items() if k != "weight"},
                                       **({"weight": weights[e["code"]]} if e["code"] in weights else {}))
                                  for e in config["elements"]]}
    with pytest.raises(ConfigError, match=message):
        survey.check_config(raw)


def test_a_missing_element_column_is_named(config, tmp_path):
    path = tmp_path / "skm.csv"
    path.write_text("U1,U2,U3,U4,U5,U6,U7,U8\n4,4,4,4,4,4,4,4\n", encoding="utf-8")
    with pytest.raises(UsageError, match="no column for U9 Sarana dan Prasarana"):
        survey.score(path, config)


def test_no_valid_response(config, tmp_path):
    path = tmp_path / "skm.csv"
    path.write_text("U1,U2,U3,U4,U5,U6,U7,U8,U9\n4,4,4,4,4,4,4,4,0\n", encoding="utf-8")
    with pytest.raises(UsageError, match="no valid response.*row 2: U9"):
        survey.score(path, config)


def test_store_and_load(config, tmp_path):
    result = survey.score(WORKED, config)
    path = survey.store(result, tmp_path, 2026)
    assert path == tmp_path / "survey-2026.json"
    again = survey.load(tmp_path, 2026)
    assert again == result and again.year == 2026
    assert survey.load(tmp_path, 2025) is None
    # Only aggregates: no respondent's name, phone or remark.
    text = path.read_text(encoding="utf-8")
    for value in ("Maria", "081234567890", "085239001122", "Antrean lama"):
        assert value not in text
    assert json.loads(text)["ikm"] == 84.03


def test_a_phone_number_typed_as_a_score_is_not_echoed(config, tmp_path):
    path = tmp_path / "skm.csv"
    path.write_text("U1,U2,U3,U4,U5,U6,U7,U8,U9\n4,4,4,4,4,4,4,4,4\n"
                    "4,4,4,4,4,4,4,4,081234567890\n", encoding="utf-8")
    result = survey.score(path, config)
    assert result.bad_rows == [(3, "U9 (Sarana dan Prasarana): a number is outside 1-4")]


def test_render_lists_the_rows_left_out(config):
    text = survey.render(survey.score(WORKED, config))
    assert "IKM: 84.03   grade B (Baik)" in text
    assert "row 6: U3 (Waktu Penyelesaian): 5 is outside 1-4" in text
