"""A path parameter that is no path (issue 18, the second hostile test): a NUL byte, an
over-long name or a name outside the inbox answers 404, never a traceback (500)."""

from __future__ import annotations

import pytest

from desk_support import make_env
from test_desk_hostile import client_as

BAD = ["%00", "a%00b.yaml", "x%00/../a.yaml", "a" * 5000 + ".yaml", "../../etc/passwd", "%2e%2e/x.yaml"]
PAGES = ["/tugas/berkas", "/tugas/susulan", "/inbox/edit"]


@pytest.fixture
def env(tmp_path):
    e = make_env(tmp_path)
    yield e
    e.desk.close()


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("name", BAD, ids=["nul", "nul-inside", "nul-dotdot", "too-long", "outside", "dotdot"])
def test_a_path_parameter_that_is_no_path_answers_404(env, page, name):
    c = client_as(env, "clerk")
    r = c.get(f"{page}?file={name}")
    assert r.status_code == 404, (page, name, r.status_code)
