"""`ppid templates check`: variables a template uses that the pipeline does not give, and the reverse."""

from __future__ import annotations

from pathlib import Path

import jinja2
from jinja2 import nodes

from pipeline.letters import KINDS, REGISTRY

COMMON: dict = {
    "office": {"name", "short", "address", "phone", "whatsapp", "email", "website", "eppid", "city",
               "ppid_name", "logo"},
    "letter": {"kind", "number", "date", "place", "sifat", "lampiran", "hal"},
    "recipient": {"name", "organization", "address", "salutation"},
    "signatory": {"title", "office", "name", "nip", "on_behalf"},
    "posts": {"atasan_ppid"},
    "tembusan": [str],
    "regime": {"election": bool, "name": str, "basis": str},
    "deadlines": {"notice", "extension", "objection_window", "objection_answer", "commission"},
    "request": {**dict.fromkeys(("register_no", "service", "service_label", "channel_label", "received",
                                 "received_date", "completed", "topic", "purpose", "source", "form_label",
                                 "delivery_label", "due", "period", "cost", "status_code", "status_url"), str), "items": [str]},
    "requester": {"name", "kind_label", "organization", "address"},
}
PER_KIND: dict[str, dict] = {name: kind.context for name, kind in REGISTRY.items()}  # the letter-kind registry
# What a letter of each kind must use: its substance (the reverse check).
ESSENTIAL = {"letter", "signatory", "request"}
ESSENTIAL_PER_KIND = {name: set(kind.needs) for name, kind in REGISTRY.items()}  # the letter-kind registry


def _norm(schema):
    """Turn the set/dict shorthand into nested dicts; lists keep their element schema."""
    if isinstance(schema, set):
        return {k: str for k in schema}
    if isinstance(schema, dict):
        return {k: (_norm(v) if isinstance(v, (set, dict, list)) else v) for k, v in schema.items()}
    if isinstance(schema, list):
        return [_norm(schema[0])]
    return schema




def template_source(path: Path) -> str:
    from docxtpl import DocxTemplate

    tpl = DocxTemplate(str(path))
    tpl.init_docx()
    return tpl.patch_xml(tpl.get_xml())


def _path(node, loops) -> tuple[str, ...] | None:
    if isinstance(node, nodes.Name):
        if node.ctx != "load":
            return None
        return loops.get(node.name, (node.name,))
    if isinstance(node, nodes.Getattr):
        base = _path(node.node, loops)
        return base + (node.attr,) if base else None
    if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
        base = _path(node.node, loops)  # request['items']: .items would be the dict method
        return base + (node.arg.value,) if base else None
    return None


def _iter_path(node, loops) -> tuple[str, ...] | None:
    """What a loop walks: `(refused + partial)|sort(attribute='no')` walks `refused` items
    (the lists joined are of one element schema)."""
    while isinstance(node, (nodes.Filter, nodes.Add)):
        node = node.node if isinstance(node, nodes.Filter) else node.left
    return _path(node, loops)


def used_paths(source: str) -> list[tuple[str, ...]]:
    """Every dotted variable path the template reads, loop variables resolved to 'list[]'."""
    ast = jinja2.Environment().parse(source)
    loops: dict[str, tuple[str, ...]] = {}
    for loop in ast.find_all(nodes.For):
        it = _iter_path(loop.iter, loops)
        if isinstance(loop.target, nodes.Name) and it:
            loops[loop.target.name] = it + ("[]",)
    out = []
    for node in ast.find_all((nodes.Getattr, nodes.Getitem, nodes.Name)):
        p = _path(node, loops)
        if p:
            out.append(p)
    return out


def _resolves(schema, path: tuple[str, ...]) -> bool:
    node = schema
    for name in path:
        if name == "[]":
            if not isinstance(node, list):
                return False
            node = node[0]
        elif isinstance(node, dict) and name in node:
            node = node[name]
        elif node is str:
            return True  # a string method or filter-like attribute
        else:
            return False
    return True


def check_template(kind: str, path: Path) -> list[str]:
    """Problems of one template: unknown variables used, essential ones unused."""
    schema = _norm({**COMMON, **PER_KIND.get(kind, {})})
    try:
        paths = used_paths(template_source(path))
    except jinja2.TemplateSyntaxError as exc:
        return [f"{path.name}: template error near line {exc.lineno}: {exc.message}"]
    problems, seen = [], set()
    for p in paths:
        if p[0] == "loop" or _resolves(schema, p):
            continue
        shown = ".".join(x for x in p if x != "[]")
        if shown not in seen:
            seen.add(shown)
            problems.append(f"{path.name}: uses '{shown}', which the pipeline does not give")
    used_top = {p[0] for p in paths}
    for name in sorted((ESSENTIAL | ESSENTIAL_PER_KIND.get(kind, set())) - used_top):
        problems.append(f"{path.name}: does not use '{name}', which this letter must show")
    return problems


def check_templates(folder: Path) -> list[str]:
    """Problems of every letter template in the folder."""
    problems = []
    for kind in KINDS:
        path = Path(folder) / f"{kind}.docx"
        if not path.is_file():
            problems.append(f"{path}: missing (every letter kind needs its template)")
            continue
        try:
            problems.extend(check_template(kind, path))
        except Exception as exc:  # noqa: BLE001 - not a zip, truncated: a problem of that template, one line
            problems.append(f"{path}: not a readable Word .docx template ({type(exc).__name__}); restore it "
                            "from the stock set (templates/make_templates.py) or save it again from Word as .docx")
    return problems
