"""Indeks Kepuasan Masyarakat from survey responses (PermenPANRB 14/2017).

Each respondent scores the nine elements 1-4. Per element the NRR (nilai rata-rata) is
the mean of its scores over the valid respondents; the index is the weighted sum of the
NRRs (weights 1/9 unless config says otherwise), and the IKM is the index times 25,
graded A-D by the bands in ``config/survey.yaml``.

A row with a score outside the scale, not a whole number, or an element left blank is
reported by its row number in the file and left out of every element, so that every
NRR has the same respondents. Only aggregates are stored: no cell of a response, and
none of the file's other columns (names, phone numbers), ever leaves this module.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import asdict, dataclass, field
from fractions import Fraction
from pathlib import Path

import yaml

from pipeline.errors import ConfigError, UsageError

WEIGHT_TOLERANCE = 1e-6


@dataclass
class Element:
    """One element (unsur pelayanan) and its score."""

    code: str
    name: str
    weight: float
    total: int = 0  # sum of the valid respondents' scores
    nrr: float = 0.0  # total / respondents, on the 1-4 scale
    weighted: float = 0.0  # nrr * weight
    converted: float = 0.0  # nrr * conversion (the element's own 25-100 value)


@dataclass
class SurveyResult:
    """The survey's scores; `bad_rows` are (row number in the file, reason)."""

    source: str
    respondents: int
    elements: list[Element]
    index: float  # weighted NRR, 1-4
    ikm: float  # index * conversion, 25-100
    grade: str  # A-D
    label: str  # Sangat Baik | Baik | Kurang Baik | Tidak Baik
    bad_rows: list[tuple[int, str]] = field(default_factory=list)
    year: int | None = None

    def to_dict(self) -> dict:
        data = asdict(self)
        data["bad_rows"] = [list(r) for r in self.bad_rows]
        return data

    @classmethod
    def from_dict(cls, data: dict) -> "SurveyResult":
        data = dict(data)
        data["elements"] = [Element(**e) for e in data.get("elements", [])]
        data["bad_rows"] = [tuple(r) for r in data.get("bad_rows", [])]
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in data.items() if k in known})


# --- config ------------------------------------------------------------------------------


def load_config(config_dir: Path) -> dict:
    """``config/survey.yaml``, checked: elements, weights summing to 1, grade bands."""
    path = Path(config_dir) / "survey.yaml"
    try:
        config = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: missing; it lists the survey elements and grade bands") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}") from exc
    return check_config(config, str(path))


def check_config(config: dict, where: str = "survey config") -> dict:
    """The config with `weight` set on every element (equal weights when none are given)."""
    if not isinstance(config, dict) or not isinstance(config.get("elements"), list) \
            or not config["elements"]:
        raise ConfigError(f"{where}: expected 'elements', a list of {{code, name}}")
    elements = []
    for i, e in enumerate(config["elements"]):
        if not isinstance(e, dict) or not e.get("code") or not e.get("name"):
            raise ConfigError(f"{where} field 'elements[{i}]': needs a code and a name")
        elements.append(dict(e))
    given = [e for e in elements if e.get("weight") is not None]
    if given and len(given) != len(elements):
        raise ConfigError(f"{where}: give a weight for every element or for none "
                          f"({len(given)} of {len(elements)} have one)")
    if given:
        total = Fraction(0)
        for e in elements:
            try:
                w = Fraction(str(e["weight"]).strip())
            except (ValueError, ZeroDivisionError):
                raise ConfigError(f"{where} field 'elements.{e['code']}.weight': "
                                  f"{e['weight']!r} is not a number or a fraction") from None
            if w < 0:
                raise ConfigError(f"{where} field 'elements.{e['code']}.weight': negative")
            e["weight"], total = float(w), total + w
        if abs(float(total) - 1) > WEIGHT_TOLERANCE:
            raise ConfigError(f"{where}: the weights sum to {float(total):.4f}; they must sum "
                              "to 1 (leave them all out for 1/9 each)")
    else:
        for e in elements:
            e["weight"] = 1 / len(elements)
    scale = config.get("scale") or {"min": 1, "max": 4}
    grades = config.get("grades")
    if not isinstance(grades, list) or not grades or not all(
            isinstance(g, dict) and {"grade", "min", "label"} <= set(g) for g in grades):
        raise ConfigError(f"{where}: expected 'grades', a list of {{grade, min, max, label}}")
    return {
        "elements": elements,
        "scale": {"min": int(scale["min"]), "max": int(scale["max"])},
        "conversion": float(config.get("conversion", 25)),
        "grades": sorted(grades, key=lambda g: -float(g["min"])),
    }


# --- scoring -----------------------------------------------------------------------------


def _norm(text) -> str:
    return " ".join(re.sub(r"[^0-9a-z]+", " ", str(text).casefold()).split())


def _columns(header: list[str], elements: list[dict], source: str) -> list[int]:
    """For each element, the index of its column in `header`."""
    names = [_norm(h) for h in header]
    found = []
    for e in elements:
        keys = {_norm(e["code"]), _norm(e["name"])} | {_norm(a) for a in e.get("aliases") or []}
        code = _norm(e["code"])
        hit = [i for i, n in enumerate(names)
               if n in keys or n.startswith(code + " ")]
        if not hit:
            raise UsageError(f"{source}: no column for {e['code']} {e['name']}; name a column "
                             f"'{e['code']}' or '{e['name']}'")
        if len(hit) > 1:
            cols = ", ".join(repr(header[i]) for i in hit)
            raise UsageError(f"{source}: {e['code']} {e['name']} matches several columns ({cols})")
        found.append(hit[0])
    return found


def _read_rows(path: Path) -> list[list]:
    """All rows of a CSV (',' ';' or tab) or xlsx file, header first."""
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        try:
            wb = load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds on a bad file
            raise UsageError(f"{path}: cannot be read as an Excel workbook: {exc}") from exc
        try:
            return [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]
        finally:
            wb.close()
    if suffix not in (".csv", ".txt", ".tsv"):
        raise UsageError(f"{path}: survey responses must be a .csv or .xlsx file")
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise UsageError(f"{path}: not a text CSV file (neither UTF-8 nor Windows-1252); save the survey "
                         "as CSV UTF-8 or as .xlsx")
    if "\x00" in text:
        raise UsageError(f"{path}: holds NUL bytes, so it is not a CSV file; save the survey as CSV UTF-8 or as .xlsx")
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return list(reader)
    except csv.Error as exc:  # a cell over csv.field_size_limit() (131,072 characters), a stray NUL
        raise UsageError(f"{path}:{reader.line_num}: not a survey response line ({exc}); a cell holds a score "
                         "or a short answer: check that line (a missing closing quote joins the lines after it)") from None


def _score_cell(value, lo: int, hi: int) -> int | str:
    """The score, or the reason it is not one."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return "blank"
    if isinstance(value, bool):
        return f"{value!r} is not a score"
    if isinstance(value, (int, float)):
        number = value
    else:
        try:
            number = float(str(value).strip().replace(",", "."))
        except ValueError:
            return f"not a number from {lo} to {hi}"
    # A cell's value is echoed only when it is a small number: a phone number typed into
    # the wrong column must not end up in the stored result.
    shown = f"{number:g} " if abs(number) < 100 else "a number "
    if number != int(number):
        return f"{shown}is not a whole number"
    if not lo <= number <= hi:
        return f"{shown}is outside {lo}-{hi}"
    return int(number)


def score(path: Path, config: dict) -> SurveyResult:
    """Score the responses in `path` (CSV or xlsx) under a survey `config`."""
    path = Path(path)
    config = check_config(config)  # idempotent: a checked config passes unchanged
    elements, lo, hi = config["elements"], config["scale"]["min"], config["scale"]["max"]
    try:
        rows = _read_rows(path)
    except OSError as exc:
        raise UsageError(f"{path}: cannot be read: {exc}") from exc
    if not rows:
        raise UsageError(f"{path}: the file is empty")
    cols = _columns([("" if h is None else str(h)) for h in rows[0]], elements, path.name)

    totals = [0] * len(elements)
    respondents = 0
    bad: list[tuple[int, str]] = []
    for number, row in enumerate(rows[1:], start=2):  # the file's row numbers, header = 1
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in row):
            continue  # an empty line is not a response
        scores, reasons = [], []
        for e, c in zip(elements, cols):
            s = _score_cell(row[c] if c < len(row) else None, lo, hi)
            if isinstance(s, str):
                reasons.append(f"{e['code']} ({e['name']}): {s}")
            scores.append(s)
        if reasons:
            bad.append((number, "; ".join(reasons)))
            continue
        respondents += 1
        for i, s in enumerate(scores):
            totals[i] += s
    if respondents == 0:
        shown = "; ".join(f"row {n}: {r}" for n, r in bad[:5])
        raise UsageError(f"{path}: no valid response to score" + (f" ({shown})" if shown else ""))

    factor = config["conversion"]
    scored = []
    for e, total in zip(elements, totals):
        nrr = total / respondents
        scored.append(Element(code=str(e["code"]), name=str(e["name"]), weight=e["weight"],
                              total=total, nrr=round(nrr, 4), weighted=round(nrr * e["weight"], 4),
                              converted=round(nrr * factor, 2)))
    index = sum(t / respondents * e["weight"] for e, t in zip(elements, totals))
    ikm = round(index * factor, 2)
    letter, label = grade(ikm, config["grades"])
    return SurveyResult(source=path.name, respondents=respondents, elements=scored,
                        index=round(index, 4), ikm=ikm, grade=letter, label=label, bad_rows=bad)


def grade(ikm: float, grades: list[dict]) -> tuple[str, str]:
    """The grade letter and label of an IKM value: the best band whose minimum it reaches."""
    ordered = sorted(grades, key=lambda g: -float(g["min"]))
    band = next((g for g in ordered if ikm >= float(g["min"])), ordered[-1])
    return str(band["grade"]), str(band["label"])


# --- storing for the report ----------------------------------------------------------------


def _path(records: Path, year: int) -> Path:
    return Path(records) / f"survey-{int(year)}.json"


def store(result: SurveyResult, records: Path, year: int) -> Path:
    """Write ``records/survey-<year>.json`` (replacing an earlier result of that year)."""
    result.year = int(year)
    path = _path(records, year)
    from pipeline import files

    files.make_dir(path.parent)

    return files.write(path, (json.dumps(result.to_dict(), indent=2, ensure_ascii=False) + "\n").encode("utf-8"))


def load(records: Path, year: int) -> SurveyResult | None:
    """The stored result of `year`, or None when no survey was scored for it."""
    path = _path(records, year)
    if not path.exists():
        return None
    try:
        return SurveyResult.from_dict(json.loads(path.read_text(encoding="utf-8")))
    except (ValueError, TypeError) as exc:
        raise UsageError(f"{path}: not a stored survey result ({exc}); score the survey "
                         "again with ppid survey") from exc


def render(result: SurveyResult) -> str:
    """A plain-text summary for the command line."""
    lines = [f"Survei Kepuasan Masyarakat: {result.source}",
             f"respondents: {result.respondents}   rows left out: {len(result.bad_rows)}", "",
             f"{'element':<48}{'NRR':>8}{'weight':>9}{'x25':>9}"]
    for e in result.elements:
        lines.append(f"{e.code + ' ' + e.name:<48}{e.nrr:>8.2f}{e.weight:>9.4f}{e.converted:>9.2f}")
    lines += ["", f"index (weighted NRR): {result.index:.4f}",
              f"IKM: {result.ikm:.2f}   grade {result.grade} ({result.label})"]
    if result.bad_rows:
        lines += ["", "rows left out:"] + [f"  row {n}: {r}" for n, r in result.bad_rows]
    return "\n".join(lines) + "\n"
