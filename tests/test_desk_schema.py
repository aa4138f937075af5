"""The JSON Schema of request files: generated from the loader's field table, committed
under docs/, named by every example file, and in agreement with the loader."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.desk.cli import schema_text
from pipeline.loading import json_schema

ROOT = Path(__file__).resolve().parents[1]
SCHEMA_FILE = ROOT / "docs" / "request.schema.json"
EXAMPLES = sorted((ROOT / "examples").glob("inbox*/*.yaml"))
MALFORMED = "2026-11-24-agustinus-kolo.yaml"  # service: informasi, on purpose
FIRST_LINE = "# yaml-language-server: $schema=../../docs/request.schema.json\n"


class _Yaml12ish(yaml.SafeLoader):
    """Dates and times stay text, as editors (YAML 1.2) and the loader read them."""


_Yaml12ish.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _validator():
    return jsonschema.Draft202012Validator(json.loads(SCHEMA_FILE.read_text(encoding="utf-8")))


def test_committed_schema_is_the_output_of_ppid_schema():
    result = CliRunner().invoke(main, ["schema"])
    assert result.exit_code == 0, result.output
    assert result.output == SCHEMA_FILE.read_text(encoding="utf-8"), "run: ppid schema > docs/request.schema.json"
    assert result.output == schema_text(json_schema())
    jsonschema.Draft202012Validator.check_schema(json.loads(result.output))


def test_schema_follows_the_field_table():
    from pipeline import loading, model

    s = json_schema()
    assert set(s["properties"]) == set(loading.REQUEST_FIELDS)
    assert s["required"] == list(loading.REQUIRED)
    assert s["properties"]["channel"]["enum"] == [*model.CHANNELS, None]
    requester = s["properties"]["requester"]["properties"]
    assert requester["identity"]["properties"]["type"]["enum"] == [*model.IDENTITY_TYPES, None]


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_every_example_names_the_schema_and_fits_it(path):
    text = path.read_text(encoding="utf-8")
    assert text.startswith(FIRST_LINE)
    assert (path.parent / "../../docs/request.schema.json").resolve() == SCHEMA_FILE
    errors = list(_validator().iter_errors(yaml.load(text, Loader=_Yaml12ish)))
    if path.name == MALFORMED:
        assert [list(e.absolute_path) for e in errors] == [["service"]]
    else:
        assert errors == [], [e.message for e in errors]


@pytest.mark.parametrize("field, value", [
    ("channel", "fax"), ("service", "informasi"), ("form", "pdf"), ("guest_book", "maybe"),
    ("colour", "red"), ("received", "20 November 2026"),
])
def test_schema_rejects_what_the_loader_rejects(field, value):
    doc = {"service": "information", "channel": "letter", "received": "2026-11-20 09:15", field: value}
    assert not _validator().is_valid(doc)


def test_schema_rejects_a_wrong_enum_inside_the_requester():
    doc = {"service": "information", "channel": "letter", "received": "2026-11-20 09:15",
           "requester": {"name": "A", "kind": "person"}}
    errors = list(_validator().iter_errors(doc))
    assert [list(e.absolute_path) for e in errors] == [["requester", "kind"]]
    assert "'person' is not one of" in errors[0].message


def test_the_examples_in_the_request_format_page_fit_the_schema():
    page = (ROOT / "docs" / "request-format.md").read_text(encoding="utf-8")
    blocks = [b.split("```", 1)[0] for b in page.split("```yaml\n")[1:]]
    assert len(blocks) >= 5
    for block in blocks:
        doc = yaml.load(block, Loader=_Yaml12ish)
        if doc is None:  # the schema line shown alone
            continue
        if "decision" in doc and "service" not in doc:  # the decision block shown alone
            doc = {"service": "information", "channel": "letter", "received": "2026-11-20 09:15",
                   "information": ["a", "b"], **doc}
        errors = list(_validator().iter_errors(doc))
        assert errors == [], (block[:60], [e.message for e in errors])
