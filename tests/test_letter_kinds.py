"""The letter-kind registry is the one list of kinds: templates, templates/README.md and
`ppid templates check` agree with it (issue 10: a new kind is one template + one entry)."""

from __future__ import annotations

import re

from click.testing import CliRunner

from helpers import ROOT, TEMPLATES
from pipeline import templatecheck
from pipeline.cli import main
from pipeline.letters import KINDS, REGISTRY


def readme_kinds() -> list[str]:
    text = (ROOT / "templates" / "README.md").read_text(encoding="utf-8")
    return re.findall(r"^\| `(\w+)\.docx` \|", text, flags=re.M)


def test_registry_readme_and_check_list_the_same_kinds():
    assert list(KINDS) == list(REGISTRY)
    assert sorted(readme_kinds()) == sorted(REGISTRY)
    assert sorted(templatecheck.PER_KIND) == sorted(REGISTRY)
    assert templatecheck.ESSENTIAL_PER_KIND == {k: set(v.needs) for k, v in REGISTRY.items()}


def test_every_kind_names_who_signs_and_its_subject():
    roles = {"ppid", "atasan_ppid", "answerer"}
    for kind in REGISTRY.values():
        assert kind.signs in roles and set(kind.signs_by_service.values()) <= roles, kind.name
        assert kind.hal and kind.label and kind.template == f"{kind.name}.docx"
        assert set(kind.needs) <= set(templatecheck.PER_KIND[kind.name]) | set(templatecheck.COMMON), kind.name


def test_templates_check_passes_on_a_folder_with_every_kind():
    result = CliRunner().invoke(main, ["templates", "check", "--templates", str(TEMPLATES),
                                       "--config", str(ROOT / "config")])
    assert result.exit_code == 0, result.stdout
    assert result.stdout.strip().endswith("use exactly the variables the pipeline gives.")


def test_a_missing_kind_is_reported(tmp_path):
    import shutil

    for kind in KINDS:
        if kind != "refusal_decree":
            shutil.copy(TEMPLATES / f"{kind}.docx", tmp_path / f"{kind}.docx")
    result = CliRunner().invoke(main, ["templates", "check", "--templates", str(tmp_path),
                                       "--config", str(ROOT / "config")])
    assert result.exit_code == 1
    assert f"{tmp_path / 'refusal_decree.docx'}: missing (every letter kind needs its template)" in result.stdout
