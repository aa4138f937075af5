"""The prepared-template path writes the document docxtpl writes, for every letter kind."""

from __future__ import annotations

import copy
import io
import shutil
import zipfile

import pytest
from docx import Document
from lxml import etree

from pipeline.letters import KINDS, Renderer, _clean
from helpers import ROOT, fast_share
from tests.letter_samples import sample


class Part:
    """One member of a .docx. Two parts are equal when their bytes are, or else when their
    canonical XML is (byte layout may differ, content not); canonicalizing only the parts
    whose bytes differ keeps the comparison as strict and makes it about 10 times faster."""

    def __init__(self, name: str, raw: bytes):
        self.name, self.raw = name, raw

    def canonical(self) -> bytes:
        if not self.name.endswith((".xml", ".rels")):
            return self.raw
        root = etree.fromstring(self.raw)
        if self.name == "docProps/core.xml":  # docxtpl adds an empty <dc:identifier/>
            for el in root.findall("{http://purl.org/dc/elements/1.1/}identifier"):
                if not (el.text or "").strip():
                    root.remove(el)
        return etree.tostring(root, method="c14n")

    def __eq__(self, other) -> bool:
        if isinstance(other, bytes):
            return self.raw == other
        return self.raw == other.raw or self.canonical() == other.canonical()

    def __repr__(self) -> str:
        return f"Part({self.name!r}, {len(self.raw)} bytes)"


def parts(data: bytes) -> dict[str, Part]:
    """Each member of a .docx, compared as `Part` says."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert z.testzip() is None
        return {name: Part(name, z.read(name)) for name in z.namelist()}


def variants(kind: str) -> list[dict]:
    """The sample context, plus one with awkward requester text (escaping, line breaks)."""
    base = sample(kind)
    odd = copy.deepcopy(base)
    odd["recipient"]["name"] = "A & B <w:t> {{ 7*7 }} \"kutip\" 'x'"
    odd["recipient"]["address"] = "Jl. El Tari\nKupang\tNTT"
    if odd.get("request", {}).get("items"):
        odd["request"]["items"] = odd["request"]["items"] + ["baris\nbaru & <tag>"]
    return [base, odd]


@pytest.mark.parametrize("kind", fast_share(KINDS))
def test_prepared_fill_equals_docxtpl(kind):
    renderer = Renderer(ROOT / "templates")
    prepared = renderer.prepared(kind)
    assert prepared.supported
    for ctx in variants(kind):
        slow = parts(renderer.render_docxtpl(kind, _clean(copy.deepcopy(ctx))))
        fast = parts(prepared.fill(_clean(copy.deepcopy(ctx))))
        assert sorted(fast) == sorted(slow)
        for name in slow:
            assert fast[name] == slow[name], f"{kind}: {name} differs from docxtpl's"


def test_prepared_template_is_reused_and_letters_do_not_leak_into_each_other(tmp_path):
    renderer = Renderer(ROOT / "templates")
    a, b = sample("receipt"), sample("receipt")
    a["recipient"]["name"], b["recipient"]["name"] = "Maria Goreti Bere", "Yohanes Lado"
    da = renderer.render("receipt", a, tmp_path / "a.docx")
    db = renderer.render("receipt", b, tmp_path / "b.docx")
    ta = "\n".join(p.text for p in Document(da).paragraphs)
    tb = "\n".join(p.text for p in Document(db).paragraphs)
    assert "Maria Goreti Bere" in ta and "Yohanes Lado" not in ta
    assert "Yohanes Lado" in tb and "Maria Goreti Bere" not in tb
    assert len(renderer._prepared) == 1


def test_tags_in_document_properties_fall_back_to_docxtpl(tmp_path):
    folder = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", folder)
    doc = Document(folder / "receipt.docx")
    doc.core_properties.title = "Tanda terima {{ request.register_no }}"
    doc.save(folder / "receipt.docx")
    renderer = Renderer(folder)
    assert not renderer.prepared("receipt").supported
    ctx = sample("receipt")
    out = renderer.render("receipt", ctx, tmp_path / "r.docx")
    assert Document(out).core_properties.title == f"Tanda terima {ctx['request']['register_no']}"


def test_tags_in_a_header_are_filled(tmp_path):
    folder = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", folder)
    doc = Document(folder / "receipt.docx")
    doc.sections[0].header.paragraphs[0].text = "Nomor register {{ request.register_no }}"
    doc.save(folder / "receipt.docx")
    renderer = Renderer(folder)
    prepared = renderer.prepared("receipt")
    assert prepared.supported and prepared.others
    ctx = sample("receipt")
    fast = parts(prepared.fill(_clean(copy.deepcopy(ctx))))
    slow = parts(renderer.render_docxtpl("receipt", _clean(copy.deepcopy(ctx))))
    assert fast == slow
    out = renderer.render("receipt", ctx, tmp_path / "r.docx")
    assert Document(out).sections[0].header.paragraphs[0].text == f"Nomor register {ctx['request']['register_no']}"


def logo_config(tmp_path):
    """The stock config with a logo configured (a PNG drawn here)."""
    from PIL import Image, ImageDraw

    from pipeline.config import load_config

    folder = tmp_path / "config"
    shutil.copytree(ROOT / "config", folder)
    img = Image.new("RGB", (240, 240), "white")
    ImageDraw.Draw(img).ellipse((10, 10, 230, 230), fill=(180, 20, 20))
    img.save(folder / "logo-kpu.png")
    office = (folder / "office.yaml").read_text(encoding="utf-8")
    assert 'logo: ""' in office
    (folder / "office.yaml").write_text(office.replace('logo: ""', 'logo: "logo-kpu.png"', 1), encoding="utf-8")
    return load_config(folder)


@pytest.mark.parametrize("kind", fast_share(KINDS[::-1]))  # the fast loop: other kinds than above
def test_prepared_fill_with_a_logo_equals_docxtpl(kind, tmp_path):
    cfg = logo_config(tmp_path)
    renderer = Renderer(ROOT / "templates", cfg)
    prepared = renderer.prepared(kind)
    assert prepared.supported and prepared.logo
    for _ in range(2):  # the second letter of a batch as well
        slow = parts(renderer.render_docxtpl(kind, _clean(sample(kind)), cfg.office["logo"]))
        fast = parts(prepared.fill(_clean(sample(kind))))
        assert sorted(fast) == sorted(slow)
        media = [n for n in fast if n.startswith("word/media/")]
        assert len(media) == 1 and fast[media[0]] == (cfg.folder / "logo-kpu.png").read_bytes()
        for name in slow:
            assert fast[name] == slow[name], f"{kind}: {name} differs from docxtpl's"
    out = renderer.render(kind, sample(kind), tmp_path / f"{kind}.docx")
    assert len(Document(out).inline_shapes) == 1


def test_a_logo_outside_the_body_falls_back_to_docxtpl(tmp_path):
    cfg = logo_config(tmp_path)
    folder = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", folder)
    doc = Document(folder / "receipt.docx")
    doc.sections[0].header.paragraphs[0].text = "{{ office.logo }}"
    doc.save(folder / "receipt.docx")
    renderer = Renderer(folder, cfg)
    assert not renderer.prepared("receipt").supported
    out = renderer.render("receipt", sample("receipt"), tmp_path / "r.docx")
    assert len(Document(out).sections[0].header.part.package.image_parts) == 1


def test_a_missing_or_wrong_logo_is_a_config_error(tmp_path):
    from pipeline.config import load_config
    from pipeline.errors import ConfigError

    folder = tmp_path / "config"
    shutil.copytree(ROOT / "config", folder)
    office = (folder / "office.yaml").read_text(encoding="utf-8")
    (folder / "office.yaml").write_text(office.replace('logo: ""', 'logo: "kpu.png"', 1), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"office.logo 'kpu.png' is not a readable file"):
        load_config(folder)
    (folder / "kpu.png").write_text("not an image", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"office.logo 'kpu.png' is not a PNG or JPEG image"):
        load_config(folder)
