"""The desk's page templates compile once per process, and again when their source changes."""
from __future__ import annotations

import jinja2

from pipeline.desk.pages import CompiledPages


def _env(cache: CompiledPages, source: str, compiled: list[str]) -> jinja2.Environment:
    class Counting(jinja2.Environment):
        def _compile(self, source, filename):
            compiled.append(filename)
            return super()._compile(source, filename)

    env = Counting(loader=jinja2.DictLoader({"page.html": source}), autoescape=True)
    env.bytecode_cache = cache
    return env


def test_a_second_app_reuses_the_compiled_page_and_an_edited_page_compiles_again():
    cache, compiled = CompiledPages(), []
    assert _env(cache, "Halo {{ name }}", compiled).get_template("page.html").render(name="Ina") == "Halo Ina"
    assert _env(cache, "Halo {{ name }}", compiled).get_template("page.html").render(name="Ina") == "Halo Ina"
    assert len(compiled) == 1
    edited = _env(cache, "Selamat pagi {{ name }}", compiled).get_template("page.html")
    assert edited.render(name="Ina") == "Selamat pagi Ina" and len(compiled) == 2
