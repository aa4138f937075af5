"""Generate the stock letter templates (templates/<kind>.docx) with python-docx.

Run: .venv/bin/python templates/make_templates.py

Offices edit the resulting .docx files in Word afterwards; this script is only how the
stock set is produced. The variables follow templates/README.md (the contract).

Layout follows Tata Naskah Dinas (KPU style): A4, Arial 11 pt, kop surat with a
thick+thin double rule, place and date at the right, Nomor/Sifat/Lampiran/Hal block,
"Yth." address, justified body, signature block at the right, Tembusan at the bottom
left. The page footer stays empty: the bottom margin is reserved for the verification
stamp that is added to the PDF later.

docxtpl rules kept here: every Jinja tag sits inside one run (checked by `_run`);
paragraph-level control uses `{%p ... %}` in a paragraph of its own, table rows use
`{%tr ... %}` in a row of its own. `request['items']` is written with brackets because
`request.items` would be the dict method in Jinja.
"""

from __future__ import annotations

import re
from pathlib import Path

from docx import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import _Cell

import sys

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script from anywhere

HERE = Path(__file__).resolve().parent

FONT = "Arial"
BODY_PT = 11
SMALL_PT = 9  # kop address lines
NOTE_PT = 10  # tables and Tembusan

# Page geometry (A4) and margins, Tata Naskah Dinas.
PAGE_W, PAGE_H = Cm(21.0), Cm(29.7)
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = Cm(2.0), Cm(2.5), Cm(2.5), Cm(2.0)
TEXT_W = 21.0 - 2.5 - 2.0  # cm

FIRST_LINE = 1.25  # cm, body paragraph first-line indent
SIGN_LEFT = 6.2  # cm, where the signature block starts (its lines are centred)

# Detail blocks ("label : value") aligned on tab stops.
DETAIL_LABEL = 0.6
DETAIL_COLON = 5.1
DETAIL_VALUE = 5.5
LIST_HANG = 0.6  # hanging indent of a numbered line

J = WD_ALIGN_PARAGRAPH.JUSTIFY
L = WD_ALIGN_PARAGRAPH.LEFT
C = WD_ALIGN_PARAGRAPH.CENTER
R = WD_ALIGN_PARAGRAPH.RIGHT

TAG = re.compile(r"{{.*?}}|{%.*?%}|{#.*?#}")


# --------------------------------------------------------------------------- low level


def _set_fonts(rfonts) -> None:
    for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        rfonts.attrib.pop(qn(f"w:{attr}"), None)
    for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
        rfonts.set(qn(f"w:{attr}"), FONT)


def _new_document(title: str) -> Document:
    doc = Document()
    # Document defaults: Arial 11, Indonesian, single spacing, no space after.
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_fonts(rpr.find(qn("w:rFonts")))
    for sz in ("w:sz", "w:szCs"):
        rpr.find(qn(sz)).set(qn("w:val"), str(BODY_PT * 2))
    lang = rpr.find(qn("w:lang"))
    lang.set(qn("w:val"), "id-ID")
    lang.set(qn("w:eastAsia"), "id-ID")
    spacing = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), "240")
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    _set_fonts(normal.element.get_or_add_rPr().get_or_add_rFonts())
    normal.font.size = Pt(BODY_PT)

    section = doc.sections[0]
    section.page_width, section.page_height = PAGE_W, PAGE_H
    section.top_margin, section.bottom_margin = MARGIN_TOP, MARGIN_BOTTOM
    section.left_margin, section.right_margin = MARGIN_LEFT, MARGIN_RIGHT
    section.header_distance, section.footer_distance = Cm(1.0), Cm(1.0)

    # A line that ends in a manual line break ("\n" in a value, rendered by docxtpl as
    # <w:br/>) must not be stretched across a justified paragraph.
    compat = doc.settings.element.find(qn("w:compat"))
    compat.insert(0, OxmlElement("w:doNotExpandShiftReturn"))

    props = doc.core_properties
    props.title = title
    props.author = "PPID KPU Provinsi Nusa Tenggara Timur"
    props.last_modified_by = "PPID KPU Provinsi Nusa Tenggara Timur"
    props.comments = "Templat surat (docxtpl). Variabel: lihat templates/README.md."
    props.language = "id-ID"
    return doc


def _run(par, text: str, fmt: str = "", size: float | None = None):
    """Add one run; a Jinja tag must never be split across runs (docxtpl)."""
    rest = TAG.sub("", text)
    for token in ("{{", "}}", "{%", "%}", "{#", "#}"):
        if token in rest:
            raise ValueError(f"unbalanced Jinja tag in run: {text!r}")
    for piece in TAG.findall(text):
        if "\t" in piece or "\n" in piece:
            raise ValueError(f"tab or newline inside a Jinja tag: {piece!r}")
    run = par.add_run(text)
    run.bold = "b" in fmt or None
    run.italic = "i" in fmt or None
    if "u" in fmt:
        run.underline = True
    if size:
        run.font.size = Pt(size)
    return run


_STARTED: set = set()  # table cells whose first (empty) paragraph is already used


def _paragraph(container):
    """A new paragraph in a document or table cell (a new cell's empty one is reused)."""
    if isinstance(container, _Cell):
        if container._tc not in _STARTED:
            _STARTED.add(container._tc)
            return container.paragraphs[0]
        return container.add_paragraph()
    return container.add_paragraph()


def par(container, *parts, align=J, left: float = 0.0, first: float = 0.0,
        before: float = 0, after: float = 6, keep: bool = False, size: float | None = None,
        tabs: tuple[float, ...] = ()):
    """A paragraph made of parts: "text" or ("text", "b"|"i"|"bi"), one run each."""
    p = _paragraph(container)
    fmt = p.paragraph_format
    p.alignment = align
    if left:
        fmt.left_indent = Cm(left)
    if first:
        fmt.first_line_indent = Cm(first)
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)
    if keep:
        fmt.keep_with_next = True
    for pos in tabs:
        fmt.tab_stops.add_tab_stop(Cm(pos))
    for part in parts:
        text, style = (part, "") if isinstance(part, str) else part
        _run(p, text, style, size)
    return p


def spacer(container, pt: float):
    """An empty paragraph exactly `pt` high (vertical space between blocks)."""
    p = par(container, "", align=L, after=0)
    p.paragraph_format.line_spacing = Pt(pt)
    return p


def ctl(container, tag: str):
    """A paragraph holding only a `{%p ... %}` tag (docxtpl removes the paragraph)."""
    assert tag.startswith("{%p ") and tag.endswith("%}"), tag
    return par(container, tag, align=L, after=0)


def _border(tag: str, val: str = "single", sz: int = 4, space: int = 0):
    el = OxmlElement(f"w:{tag}")
    el.set(qn("w:val"), val)
    el.set(qn("w:sz"), str(sz))
    el.set(qn("w:space"), str(space))
    el.set(qn("w:color"), "000000")
    return el


def bottom_rule(p) -> None:
    """The kop's thick+thin double rule, as the paragraph's bottom border."""
    ppr = p._p.get_or_add_pPr()
    pbdr = OxmlElement("w:pBdr")
    pbdr.append(_border("bottom", "thickThinSmallGap", 24, 1))
    ppr.insert_element_before(
        pbdr, "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap",
        "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi",
        "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing",
        "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection",
        "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle",
        "w:rPr", "w:sectPr", "w:pPrChange")


def table(container, widths: list[float], *, grid: bool,
          pad: tuple[int, int] | None = None):
    """A fixed-width table; `grid` draws borders, else it is a layout table.

    `pad` is the left/right cell padding in twips.
    """
    t = container.add_table(rows=0, cols=len(widths))
    t.autofit = False
    t.alignment = WD_TABLE_ALIGNMENT.LEFT
    tblpr = t._tbl.tblPr
    tblw = tblpr.find(qn("w:tblW"))  # python-docx always writes one
    tblw.set(qn("w:w"), str(int(sum(widths) * 567)))
    tblw.set(qn("w:type"), "dxa")
    follow = ("w:tblLook", "w:tblCaption", "w:tblDescription", "w:tblPrChange")
    if grid:
        borders = OxmlElement("w:tblBorders")
        for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
            borders.append(_border(side))
        tblpr.insert_element_before(borders, "w:shd", "w:tblLayout", "w:tblCellMar", *follow)
    mar = OxmlElement("w:tblCellMar")
    if pad is None:
        pad = (57, 85) if grid else (0, 57)
    for side, w in (("top", 0), ("left", pad[0]), ("bottom", 0), ("right", pad[1])):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(w))
        el.set(qn("w:type"), "dxa")
        mar.append(el)
    tblpr.insert_element_before(mar, *follow)
    grid_el = t._tbl.tblGrid
    for col, w in zip(grid_el.findall(qn("w:gridCol")), widths):
        col.set(qn("w:w"), str(int(w * 567)))
    t._widths = widths
    return t


def row(t, *, header: bool = False, cant_split: bool = True):
    """A new row; by default it may not break across pages, a header row repeats."""
    r = t.add_row()
    for cell, w in zip(r.cells, t._widths):
        cell.width = Cm(w)
    trpr = r._tr.get_or_add_trPr()
    if cant_split:
        trpr.append(OxmlElement("w:cantSplit"))
    if header:
        trpr.append(OxmlElement("w:tblHeader"))
    return r


def ctl_row(t, tag: str):
    """A table row holding only a `{%tr ... %}` tag (docxtpl removes the row)."""
    assert tag.startswith("{%tr ") and tag.endswith("%}"), tag
    r = row(t, cant_split=False)
    widest = max(range(len(t._widths)), key=t._widths.__getitem__)  # readable in Word
    par(r.cells[widest], tag, align=L, after=0, size=NOTE_PT)
    return r


def shade(cell, fill: str = "D9D9D9") -> None:
    """Grey background of a table header cell."""
    tcpr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tcpr.append(shd)


# --------------------------------------------------------------------------- letter parts


KOP_SIDE = 2.2  # cm, the logo column (and its empty twin, so the text stays centred)


def kop(doc) -> None:
    """Kop surat: logo cell (empty when office.logo is ""), office name and contacts,
    and the thick+thin double rule."""
    t = table(doc, [KOP_SIDE, TEXT_W - 2 * KOP_SIDE, KOP_SIDE], grid=False, pad=(0, 0))
    logo, text, _twin = row(t).cells
    logo.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    par(logo, "{{ office.logo }}", align=L, after=0)
    par(text, ("KOMISI PEMILIHAN UMUM", "b"), align=C, after=0, size=14)
    par(text, ("PROVINSI NUSA TENGGARA TIMUR", "b"), align=C, after=1, size=14)
    par(text, "{{ office.address }}", align=C, after=0, size=SMALL_PT)
    par(text, "{% if office.phone %}", "Telepon {{ office.phone }}   ", "{% endif %}",
        "WhatsApp {{ office.whatsapp }}   Pos-el: {{ office.email }}",
        align=C, after=0, size=SMALL_PT)
    par(text, "Laman: {{ office.website }}   e-PPID: {{ office.eppid }}",
        align=C, after=0, size=SMALL_PT)
    rule = spacer(doc, 3)
    rule.paragraph_format.space_after = Pt(10)
    bottom_rule(rule)


def heading(doc) -> None:
    """Place and date, Nomor/Sifat/Lampiran/Hal, addressee."""
    par(doc, "{{ letter.place }}, {{ letter.date }}", align=R, after=4)
    t = table(doc, [2.3, 0.4, TEXT_W - 2.7], grid=False)
    for label, value in (("Nomor", "{{ letter.number }}"), ("Sifat", "{{ letter.sifat }}"),
                         ("Lampiran", "{{ letter.lampiran }}"), ("Hal", "{{ letter.hal }}")):
        r = row(t)
        par(r.cells[0], label, align=L, after=0)
        par(r.cells[1], ":", align=L, after=0)
        par(r.cells[2], value, align=L, after=0)
    spacer(doc, 10)
    yth = 0.9  # where the name starts after "Yth.", so that following lines align
    par(doc, "Yth.\t", "{% if recipient.salutation %}{{ recipient.salutation }} {% endif %}",
        "{{ recipient.name }}", align=L, left=yth, first=-yth, after=0, keep=True,
        tabs=(yth,))
    ctl(doc, "{%p if recipient.organization %}")
    par(doc, "{{ recipient.organization }}", align=L, left=yth, after=0, keep=True)
    ctl(doc, "{%p endif %}")
    ctl(doc, "{%p if recipient.address %}")
    par(doc, "{{ recipient.address }}", align=L, left=yth, after=10)
    ctl(doc, "{%p else %}")
    par(doc, "di –", align=L, after=0, keep=True)
    par(doc, "Tempat", align=L, left=FIRST_LINE, after=10)
    ctl(doc, "{%p endif %}")


def body(doc, *parts, keep: bool = False, after: float = 6, before: float = 0):
    """A justified body paragraph with a first-line indent."""
    return par(doc, *parts, first=FIRST_LINE, before=before, after=after, keep=keep)


DETAIL_TABS = (DETAIL_LABEL, DETAIL_COLON, DETAIL_VALUE)


def detail(doc, label: str, *value, after: float = 0):
    """A "label : value" line; wrapped value lines align with the value."""
    return par(doc, "\t", label, "\t:\t", *value, align=L, left=DETAIL_VALUE,
               first=-DETAIL_VALUE, after=after, tabs=DETAIL_TABS)


def detail_list(doc, label: str, loop: str, marker: str, text: str):
    """A "label : 1. first" line and the further elements under the first one."""
    hang = DETAIL_VALUE + LIST_HANG
    ctl(doc, "{%p " + loop + " %}")
    par(doc, "\t", "{% if loop.first %}" + label + "{% endif %}", "\t",
        "{% if loop.first %}:{% endif %}", "\t", marker, "\t", text, align=L, left=hang,
        first=-hang, after=0, tabs=DETAIL_TABS + (hang,))
    ctl(doc, "{%p endfor %}")


def numbered(doc, loop: str, marker: str, text: str, *, left: float, after: float = 0):
    """A numbered list driven by a Jinja loop: one paragraph per element."""
    ctl(doc, "{%p " + loop + " %}")
    par(doc, marker, "\t", text, align=L, left=left + LIST_HANG, first=-LIST_HANG,
        after=after, tabs=(left + LIST_HANG,))
    ctl(doc, "{%p endfor %}")


def signature(cell) -> None:
    """Signature block at the right; "a.n. ..." above the title for a delegated
    signature (Tata Naskah Dinas), NIP only when given."""
    opts = dict(align=C, left=SIGN_LEFT, after=0)
    ctl(cell, "{%p if signatory.on_behalf %}")
    par(cell, "{{ signatory.on_behalf }}", **opts)
    ctl(cell, "{%p endif %}")
    par(cell, "{{ signatory.title }}", **opts)
    ctl(cell, "{%p if signatory.office %}")
    par(cell, "{{ signatory.office }},", **opts)
    ctl(cell, "{%p endif %}")
    par(cell, ("{{ signatory.name }}", "b"), before=44, **opts)
    ctl(cell, "{%p if signatory.nip %}")
    par(cell, "NIP {{ signatory.nip }}", **opts)
    ctl(cell, "{%p endif %}")


def tembusan(cell) -> None:
    """Tembusan at the bottom left, only when there are copies."""
    ctl(cell, "{%p if tembusan %}")
    par(cell, "Tembusan:", align=L, before=8, after=0, size=NOTE_PT)
    ctl(cell, "{%p for t in tembusan %}")
    par(cell, "{{ loop.index }}.", "\t", "{{ t }}", align=L, left=0.5, first=-0.5, after=0,
        size=NOTE_PT, tabs=(0.5,))
    ctl(cell, "{%p endfor %}")
    ctl(cell, "{%p endif %}")


CLOSING = "Demikian disampaikan. Atas perhatian Saudara, kami ucapkan terima kasih."


def keep_tail(doc) -> None:
    """The body's last paragraph keeps with the closing block after it, so that the closing and
    the signature never open a page alone. docxtpl drops a `{%p %}` paragraph, so the keep is
    set on every paragraph back to the last one outside any `{%p if %}` or `{%p for %}` (one
    that always prints); a table stops the walk."""
    from docx.text.paragraph import Paragraph

    depth = 0
    for el in reversed(doc.element.body):
        if el.tag != qn("w:p"):
            if el.tag == qn("w:tbl"):
                return
            continue
        p = Paragraph(el, doc)
        p.paragraph_format.keep_with_next = True
        text = p.text.strip()
        if text.startswith(("{%p endif", "{%p endfor")):
            depth += 1
        elif text.startswith(("{%p if", "{%p for")):
            depth -= 1
        elif text and not text.startswith("{%p") and depth == 0:
            return


def finish(doc, *closing) -> None:
    """Closing sentence, signature block and Tembusan.

    They sit in one borderless table row that may not break across pages, so that the
    signature never stands alone on a page (LibreOffice does not follow a chain of
    "keep with next" paragraphs).
    """
    keep_tail(doc)
    t = table(doc, [TEXT_W], grid=False, pad=(0, 0))
    cell = row(t).cells[0]
    par(cell, *(closing or (CLOSING,)), first=FIRST_LINE, after=10)
    signature(cell)
    tembusan(cell)
    spacer(doc, 1)  # a document should not end with a table


# Legal phrases of the letters, each written once. Sources:
# - UU 14/2008 (UU KIP), LN 2008/61, TLN 4846: the Act's own text (Pasal 2 ayat 4, 17, 19,
#   22 ayat 7 and 8, 35 ayat 1, 36 ayat 1-3, 37 ayat 1-2, 38 ayat 1), e.g.
#   https://carapedia.com/keterbukaan_informasi_publik_thn_2008_info1749.html
# - PP 61/2010 and Perki 1/2019 as cited in Perki 1/2019's own Mengingat
#   (https://id.scribd.com/document/448193310/FINAL-PERKI-PEMILU-NO-1-TAHUN-2019-Lampiran).
# - Perki 1/2021: https://pabardappid.kpu.go.id/regulasi/25046/ (title).
# - PKPU 22/2023 (BN 2023/870, in force 1 November 2023, revoked PKPU 1/2015):
#   https://padangpariamankabppid.kpu.go.id/regulasi/25354/undefined; amended by PKPU
#   11/2024 and PKPU 4/2025 (Perubahan Kedua, in force 29 December 2025):
#   https://ppid.kpu.go.id/regulasi/27793/
# one home for each legal phrase: pipeline/wording.py (with its sources)
from pipeline.wording import PERKI_2019, UU_KIP  # noqa: E402
# the decree's own title, and its two standards (diktum KEDUA angka 1 and 2), as it writes them
KEPUTUSAN_129 = ("Keputusan KPU Provinsi Nusa Tenggara Timur Nomor 129 Tahun 2022 tentang "
                 "Penetapan Standar Pelayanan Publik pada Komisi Pemilihan Umum Provinsi Nusa Tenggara Timur")
STANDARD_INFORMATION = "Standar Pelayanan Data dan Informasi"
STANDARD_CONSULTATION = "Standar Pelayanan Konsultasi"
PPID = "Pejabat Pengelola Informasi dan Dokumentasi (PPID) {{ office.short }}"
# the Atasan PPID as a post: "Sekretaris KPU Provinsi Nusa Tenggara Timur selaku Atasan PPID"
# (letters.posts, from `staff:`), never a bare role
ATASAN = "{{ posts.atasan_ppid }}"
REGISTER_NO = ("{{ request.register_no }}", "b")
# the public status page's key (spec section 3); its address when the office publishes the page
STATUS_CODE = ("{{ request.status_code }}", "b"), ("{% if request.status_url %} ({{ request.status_url }}){% endif %}")
OBJECTION_NO = ("{{ objection.objection_no }}", "b")
# Where to send a supplement or an objection (Keputusan KPU Provinsi NTT 129/2022).
CHANNELS = ("surat atau datang langsung ke Kantor {{ office.short }}, {{ office.address }}",
            "WhatsApp {{ office.whatsapp }}{% if office.phone %} atau telepon "
            "{{ office.phone }}{% endif %}",
            "pos-el {{ office.email }}", "e-PPID {{ office.eppid }}")


def reference(doc, *tail, keep: bool = False):
    """The opening sentence that names the request being answered."""
    return body(doc, "Menindaklanjuti {{ request.service_label }} Saudara yang kami terima "
                     "pada {{ request.received }} melalui {{ request.channel_label }} dengan "
                     "nomor registrasi ", REGISTER_NO, *tail, keep=keep)


def requester_line(doc) -> None:
    detail(doc, "Pemohon", "{{ requester.name }} ({{ requester.kind_label }}"
           "{% if requester.organization %}, {{ requester.organization }}{% endif %})")


# a decree is no letter: the regime sentence (wording.ELECTION_REGIME_SENTENCE) speaks of "Keputusan ini"
DECREE_REGIME = "{{ regime.basis|replace('dalam surat ini', 'dalam Keputusan ini') }}"


def regime(doc, cited: str = "") -> None:
    """During an election stage the times follow Perki 1/2019 (spec section 6): say so.

    `cited`: a Jinja condition under which the letter's body already cites Perki 1/2019; the
    regulation is then named once, and this sentence names only the stage."""
    if cited:
        ctl(doc, "{%p if regime.election and (" + cited + ") %}")
        body(doc, "Jangka waktu layanan yang disebut dalam surat ini mulai dihitung pada masa "
                  "tahapan {{ regime.name }}.")
        ctl(doc, "{%p elif regime.election %}")
    else:
        ctl(doc, "{%p if regime.election %}")
    body(doc, "{{ regime.basis }}")
    ctl(doc, "{%p endif %}")


def channels(doc, intro: str) -> None:
    """The ways to send something to the office, a. to d."""
    body(doc, intro, keep=True, after=2)
    opts = dict(left=FIRST_LINE + LIST_HANG, first=-LIST_HANG, after=0, align=L,
                tabs=(FIRST_LINE + LIST_HANG,), keep=True)
    last = len(CHANNELS) - 1
    for i, text in enumerate(CHANNELS):
        end = "." if i == last else "; atau" if i == last - 1 else ";"
        extra = {"after": 6, "keep": False} if i == last else {}
        par(doc, f"{'abcd'[i]}.\t{text}{end}", **{**opts, **extra})


# --------------------------------------------------------------------------- the letters


def receipt(doc) -> None:
    """Tanda Bukti Penerimaan Permohonan (information, consultation, complaint)."""
    body(doc, "Dengan ini kami sampaikan bahwa {{ request.service_label }} Saudara telah "
              "kami terima dan dicatat dalam register PPID {{ office.short }} sebagai "
              "berikut:", keep=True)
    detail(doc, "Nomor registrasi", REGISTER_NO)
    detail(doc, "Kode cek status", *STATUS_CODE)
    detail(doc, "Diterima", "{{ request.received }} melalui {{ request.channel_label }}")
    ctl(doc, "{%p if request.completed %}")
    detail(doc, "Dinyatakan lengkap", "{{ request.completed }}")
    ctl(doc, "{%p endif %}")
    requester_line(doc)
    detail_list(doc, "Informasi yang diminta", "for it in request['items']",
                "{{ loop.index }}.", "{{ it }}")
    for cond, label in (("request.topic", "Perihal/materi"),
                        ("request.purpose", "Maksud dan tujuan"),
                        ("request.source", "Sumber data"),
                        ("request.form_label", "Bentuk informasi"),
                        ("request.delivery_label", "Cara penyampaian")):
        ctl(doc, "{%p if " + cond + " %}")
        detail(doc, label, "{{ " + cond + " }}")
        ctl(doc, "{%p endif %}")
    detail(doc, "Biaya", "{{ request.cost }}", after=8)

    due = ("{% if request.due %}tanggal ", ("{{ request.due }}", "b"),
           ", yaitu {% endif %}{{ request.period }} sejak permohonan diterima secara "
           "lengkap")
    ctl(doc, "{%p if request.service == 'information' %}")
    # spec section 6: in an election stage the period is Perki 1/2019's, not UU KIP Pasal 22's
    body(doc, "{% if regime.election %}Sesuai dengan jangka waktu layanan informasi pada masa tahapan "
              "menurut " + PERKI_2019 + ", pemberitahuan tertulis atas permohonan Saudara{% else %}"
              "Pemberitahuan tertulis atas permohonan Saudara sebagaimana dimaksud dalam "
              "Pasal 22 ayat (7) " + UU_KIP + "{% endif %} akan kami sampaikan paling lambat ", *due,
         ", dalam bentuk dan dengan cara penyampaian sebagaimana tercantum di atas.")
    ctl(doc, "{%p elif request.service == 'consultation' %}")
    body(doc, "Sesuai dengan " + KEPUTUSAN_129 + ", jawaban atas konsultasi Saudara akan "
              "kami sampaikan secara tertulis melalui Surat Jawaban Konsultasi paling "
              "lambat ", *due, ".")
    ctl(doc, "{%p else %}")
    body(doc, "{{ request.service_label|capitalize }} Saudara akan kami tindak lanjuti dan "
              "hasilnya kami sampaikan kepada Saudara secara tertulis"
              "{% if request.due %} paling lambat tanggal {{ request.due }}{% endif %}.")
    ctl(doc, "{%p endif %}")
    regime(doc, cited="request.service == 'information'")
    finish(doc, "Mohon nomor registrasi di atas dicantumkan dalam setiap komunikasi "
                "selanjutnya. Demikian tanda bukti penerimaan ini disampaikan untuk "
                "dipergunakan sebagaimana mestinya.")


def incomplete_notice(doc) -> None:
    """Pemberitahuan Kekurangan Persyaratan, worded per service (spec section 3).

    information and consultation: the requirements are the office's service standard (Keputusan
    KPU Provinsi NTT 129/2022, Lampiran, "Persyaratan": identity with a contact number and e-mail,
    the information asked, the purpose, an identity card, the source); UU KIP Pasal 22 gives
    none of them, only the clock, which starts once complete. objection: UU KIP Pasal 35 ayat (1)
    (in writing, to the Atasan PPID, on one of its grounds), with no promise of the 10-day period
    (an objection is answered under Pasal 36 ayat 2); signed by the PPID, who registers it.
    """
    basis = ("{% if request.service == 'objection' %}pengajuan keberatan sebagaimana dimaksud "
             "dalam Pasal 35 ayat (1) " + UU_KIP + "{% else %}sebagaimana ditetapkan dalam "
             "{% if request.service == 'consultation' %}" + STANDARD_CONSULTATION + "{% else %}"
             + STANDARD_INFORMATION + "{% endif %} pada " + KEPUTUSAN_129 + "{% endif %}")
    reference(doc, ", dengan ini kami beritahukan bahwa {{ request.service_label }} tersebut "
                   "belum memenuhi persyaratan " + basis + ", yaitu:", keep=True)
    t = table(doc, [1.0, 6.3, TEXT_W - 7.3], grid=True)
    head = row(t, header=True)
    for cell, text in zip(head.cells, ("No.", "Persyaratan yang belum dipenuhi",
                                       "Cara melengkapi")):
        shade(cell)
        par(cell, (text, "b"), align=C, before=2, after=2, size=NOTE_PT)
    ctl_row(t, "{%tr for m in missing %}")
    r = row(t)
    par(r.cells[0], "{{ loop.index }}.", align=C, before=2, after=2, size=NOTE_PT)
    par(r.cells[1], "{{ m.title }}", align=L, before=2, after=2, size=NOTE_PT)
    par(r.cells[2], "{{ m.how }}", align=L, before=2, after=2, size=NOTE_PT)
    ctl_row(t, "{%tr endfor %}")
    spacer(doc, 8)
    body(doc, "Kode cek status {% if request.service == 'objection' %}keberatan{% else %}permohonan"
              "{% endif %} Saudara: ", *STATUS_CODE, ".")
    # objection: UU KIP Pasal 36 ayat (2), the Atasan PPID answers within its period from
    # receipt, stated on the receipt once registered (no promise of the 10 days here).
    # the objection already has its number in the register of objections: no promise to record it
    clock = ("{% if request.service == 'objection' %}Keberatan Saudara telah kami catat dalam "
             "register keberatan dengan nomor registrasi {{ request.register_no }}. Setelah persyaratan "
             "dilengkapi, kami sampaikan tanda bukti penerimaan keberatan beserta batas waktu tanggapan "
             "Atasan PPID sebagaimana "
             "dimaksud dalam Pasal 36 ayat (2) Undang-Undang tersebut. Pemberitahuan ini tidak "
             "menghentikan jangka waktu {{ deadlines.objection_window }} untuk mengajukan keberatan "
             "sebagaimana dimaksud dalam Pasal 36 ayat (1) Undang-Undang tersebut"
             "{% if objection_window_end %}, yang berakhir pada tanggal {{ objection_window_end }}"
             "{% endif %}; mohon kekurangan persyaratan disampaikan dalam jangka waktu tersebut."
             "{% elif request.service == 'consultation' %}Jangka waktu jawaban konsultasi "
             "{{ request.period }} menurut Keputusan tersebut baru mulai dihitung setelah "
             "permohonan Saudara diterima secara lengkap."
             "{% else %}Jangka waktu {{ request.period }} untuk menyampaikan pemberitahuan "
             "tertulis sebagaimana dimaksud dalam Pasal 22 ayat (7) " + UU_KIP + " "
             "baru mulai dihitung setelah permohonan Saudara diterima secara lengkap.{% endif %}")
    channels(doc, clock + " Kekurangan persyaratan tersebut dapat Saudara sampaikan dengan "
                          "mencantumkan nomor registrasi di atas melalui:")
    regime(doc)
    finish(doc, "{% if request.service != 'objection' %}Setelah persyaratan lengkap, kami "
                "akan menyampaikan tanda bukti penerimaan beserta batas waktu jawaban atas "
                "permohonan Saudara. {% endif %}Layanan ini {{ request.cost }}. Atas perhatian "
                "Saudara, kami ucapkan terima kasih.")


# "nomor 1 dan nomor 3", "nomor 1, nomor 2, dan nomor 3" (EYD), after the words "informasi nomor "
NUMS = ("{%% for n in %s %%}{%% if not loop.first %%}{%% if loop.last %%}{%% if loop.length > 2 %%},"
        "{%% endif %%} dan nomor {%% else %%}, nomor {%% endif %%}{%% endif %%}{{ n.no }}{%% endfor %%}")
GIVEN = "(given + partial)|sort(attribute='no')"
DECREE_REF = ("dalam Keputusan PPID {{ office.short }} Nomor {{ refusal_decree_no }} tentang Penolakan "
              "Permohonan Informasi Publik yang kami sampaikan bersama surat ini")
NOT_GIVEN = "(refused + not_held + not_documented)|sort(attribute='no')"



def item_table(doc, widths, headers):
    """A grid table of requested items with a shaded header row (the notice, the decree)."""
    t = table(doc, widths, grid=True)
    for cell, text in zip(row(t, header=True).cells, headers):
        shade(cell)
        par(cell, (text, "b"), align=C, before=2, after=2, size=NOTE_PT)
    return t

def decision_notice(doc) -> None:
    """Pemberitahuan Tertulis, UU 14/2008 Pasal 22 ayat (7); one template, every outcome.

    Pasal 22 ayat (7) asks for: a. whether the office holds the information; b. the body
    that holds it if not; c. the decision with its Pasal 17 ground; d. the material given;
    e. what is blacked out and why; f. the form and means; g. the cost. Items are worded one
    by one from their status, so nothing reads "granted in part" when nothing is given. A
    not-held or not-documented item keeps the right to object (Pasal 35 ayat 1 huruf c-e).
    """
    body(doc, "Menindaklanjuti permohonan informasi publik Saudara yang kami terima pada "
              "{{ request.received }} melalui {{ request.channel_label }} dengan nomor "
              "registrasi ", REGISTER_NO,
         "{% if request.completed %} dan dinyatakan lengkap pada {{ request.completed }}"
         "{% endif %}, bersama ini kami sampaikan pemberitahuan tertulis sebagaimana "
         "dimaksud dalam Pasal 22 ayat (7) " + UU_KIP + ". Atas permohonan tersebut, "
         + PPID + " memutuskan: ", ("{{ outcome_label }}", "b"), ".")
    # spec section 3: a new or corrected notice cites the response, the ruling, or the notice it
    # replaces; the refusal decree it reverses is revoked by a decree of its issuer (UU 30/2014 Pasal 64)
    ctl(doc, "{%p if replaces.sentence %}")
    body(doc, "{{ replaces.sentence }}{% if revocation_decree_no %} Keputusan PPID {{ office.short }} "
              "Nomor {{ replaces.decree_no }}{% if replaces.decree_date %} tanggal {{ replaces.decree_date }}"
              "{% endif %} tentang Penolakan Permohonan Informasi Publik dicabut dengan "
              "Keputusan PPID {{ office.short }} Nomor {{ revocation_decree_no }} yang kami sampaikan "
              "bersama surat ini.{% endif %}")
    ctl(doc, "{%p endif %}")
    # spec section 6: a notice sent after its due date says so (UU KIP Pasal 35 ayat 1 huruf g)
    ctl(doc, "{%p if late.sentence %}")
    body(doc, "{{ late.sentence }}")
    ctl(doc, "{%p endif %}")
    ctl(doc, "{%p if outcome == 'granted' %}")
    body(doc, "Seluruh informasi yang Saudara minta berada di bawah penguasaan "
              "{{ office.short }} dan merupakan informasi publik yang terbuka, sehingga dapat "
              "kami berikan seluruhnya. Rincian keputusan atas setiap informasi adalah "
              "sebagai berikut:", keep=True)
    ctl(doc, "{%p elif outcome == 'partially_granted' %}")
    body(doc, "Informasi yang dapat kami berikan adalah informasi nomor ", NUMS % GIVEN,
         "{% if partial %}, dengan menghitamkan bagian yang dikecualikan pada informasi nomor "
         + NUMS % "partial" + "{% endif %}{% if refused or not_held or not_documented %}; "
         "informasi nomor " + NUMS % NOT_GIVEN + " tidak dapat kami berikan{% endif %}. "
         "Rincian keputusan atas setiap informasi adalah sebagai berikut:", keep=True)
    ctl(doc, "{%p elif outcome == 'rejected' %}")
    body(doc, "Tidak ada informasi yang dapat kami berikan atas permohonan Saudara: informasi "
              "nomor " + NUMS % "refused" + " merupakan informasi yang dikecualikan "
              "sebagaimana dimaksud dalam Pasal 17 Undang-Undang tersebut"
              "{% if not_held %}; informasi nomor " + NUMS % "not_held" + " tidak berada di "
              "bawah penguasaan {{ office.short }}{% endif %}{% if not_documented %}; "
              "informasi nomor " + NUMS % "not_documented" + " belum didokumentasikan"
              "{% endif %}. Rincian keputusan atas setiap informasi adalah sebagai berikut:",
         keep=True)
    ctl(doc, "{%p else %}")
    body(doc, "Tidak ada informasi yang dapat kami berikan atas permohonan Saudara: "
              "{% if not_held %}informasi nomor " + NUMS % "not_held" + " tidak berada di "
              "bawah penguasaan {{ office.short }}{% endif %}{% if not_held and not_documented "
              "%}; {% endif %}{% if not_documented %}informasi nomor "
              + NUMS % "not_documented" + " belum didokumentasikan oleh {{ office.short }}"
              "{% endif %}. Rincian keputusan atas setiap informasi adalah sebagai berikut:",
         keep=True)
    ctl(doc, "{%p endif %}")

    t = item_table(doc, [0.9, 4.7, 3.3, TEXT_W - 8.9],
                   ("No.", "Informasi yang diminta", "Keputusan", "Keterangan"))
    ctl_row(t, "{%tr for it in items %}")
    r = row(t)
    cell_opts = dict(align=L, before=2, after=2, size=NOTE_PT)
    par(r.cells[0], "{{ it.no }}.", **{**cell_opts, "align": C})
    par(r.cells[1], "{{ it.text }}", **cell_opts)
    par(r.cells[2], "{{ it.status_label }}", **cell_opts)
    k = r.cells[3]
    # One unconditional first paragraph (a cell must keep a paragraph): whether the office
    # holds the item (huruf a, b) and the decision with its ground (huruf c); then the
    # particulars that apply. An inline if/elif may span runs within one paragraph.
    par(k, "{% if it.status == 'open' %}Dikuasai {{ office.short }}; informasi publik yang "
           "terbuka.{% elif it.status == 'exempt' %}Dikuasai {{ office.short }}; informasi "
           "yang dikecualikan{% if it.ground_text %} berdasarkan {% endif %}",
        ("{{ it.ground_text }}", "b"),
        ".{% elif it.status == 'partial' %}Dikuasai {{ office.short }}; diberikan dengan "
        "menghitamkan bagian yang dikecualikan{% if it.ground_text %} berdasarkan {% endif %}",
        ("{{ it.ground_text }}", "b"),
        ".{% elif it.status == 'not_held' %}Tidak berada di bawah penguasaan "
        "{{ office.short }}; {% if it.holder %}dikuasai oleh {% else %}badan publik yang "
        "menguasainya tidak diketahui{% endif %}",
        ("{{ it.holder }}", "b"),
        ".{% else %}Belum didokumentasikan oleh {{ office.short }}.{% endif %}",
        **cell_opts)
    for cond, label, value in (
            ("it.redact", "Bagian yang dihitamkan: ", "{{ it.redact }}"),
            ("it.basis and it.basis != it.ground_text", "Dasar hukum: ", "{{ it.basis }}"),
            ("it.reason", "Alasan: ", "{{ it.reason }}"),
            ("it.consequence", "Akibat apabila dibuka: ", "{{ it.consequence }}"),
            ("it.consequence_test", "Uji konsekuensi: ", "{{ it.consequence_test }}")):
        ctl(k, "{%p if " + cond + " %}")
        par(k, (label, "i"), value, **cell_opts)
        ctl(k, "{%p endif %}")
    ctl_row(t, "{%tr endfor %}")
    spacer(doc, 8)

    ctl(doc, "{%p if given or partial %}")
    body(doc, "Informasi nomor ", NUMS % GIVEN, " kami sediakan dalam bentuk "
         "{{ request.form_label }} dengan cara penyampaian {{ request.delivery_label }} mulai "
         "tanggal {{ letter.date }}. Pemberian informasi tersebut {{ request.cost }}.")
    ctl(doc, "{%p endif %}")
    ctl(doc, "{%p if partial %}")
    # UU KIP Pasal 22 ayat (7) huruf e: "informasi yang dikecualikan tersebut dapat
    # dihitamkan dengan disertai alasan dan materinya" (the Act says nothing of blurring)
    body(doc, "Sesuai dengan Pasal 22 ayat (7) huruf e Undang-Undang tersebut, informasi "
              "yang dikecualikan dalam dokumen berikut dihitamkan dengan disertai alasan "
              "dan materinya sebagai berikut:", keep=True, after=2)
    numbered(doc, "for it in partial", "{{ it.no }}.",
             "{{ it.redact }}{% if it.ground_text %}, berdasarkan {{ it.ground_text }}"
             "{% endif %}{% if it.reason %} ({{ it.reason }}){% endif %}", left=FIRST_LINE)
    spacer(doc, 6)
    ctl(doc, "{%p endif %}")
    ctl(doc, "{%p if refused or partial %}")
    body(doc, "Informasi yang dikecualikan sebagaimana tercantum pada kolom Keterangan "
              "ditetapkan berdasarkan Pasal 17 Undang-Undang tersebut setelah pengujian "
              "konsekuensi sebagaimana dimaksud dalam Pasal 2 ayat (4) dan Pasal 19, yaitu "
              "pertimbangan bahwa menutup informasi tersebut melindungi kepentingan yang "
              "lebih besar daripada membukanya."
              # a blacked-out part is refused on a Pasal 17 ground too (the objection route is
              # Pasal 35 ayat (1) huruf a), so the refusal decree also records it
              "{% if refused %} Oleh karena itu, informasi nomor " + NUMS % "refused" +
              " tidak dapat kami berikan{% if partial and refusal_decree_no %} dan bagian yang "
              "dikecualikan pada informasi nomor " + NUMS % "partial" + " dihitamkan{% endif %}"
              "{% if refusal_decree_no %}, sebagaimana ditetapkan " + DECREE_REF + "{% endif %}."
              "{% elif refusal_decree_no %} Bagian yang dikecualikan pada informasi nomor " +
              NUMS % "partial" + " dihitamkan sebagaimana ditetapkan " + DECREE_REF + ".{% endif %}")
    ctl(doc, "{%p endif %}")
    ctl(doc, "{%p if not_held %}")
    # UU KIP Pasal 22 ayat (7) huruf a and b: each holder named once, with the items it holds
    body(doc, "Sesuai dengan Pasal 22 ayat (7) huruf a dan huruf b Undang-Undang tersebut, "
              "kami beritahukan bahwa informasi nomor " + NUMS % "not_held" + " tidak berada di bawah "
              "penguasaan {{ office.short }}{% if referrals %}; Saudara dapat mengajukan permohonan "
              "informasi kepada badan publik yang menguasainya:{% else %} dan badan publik yang "
              "menguasainya tidak kami ketahui.{% endif %}", keep=True, after=2)
    numbered(doc, "for r in referrals", "{{ 'abcdefghijklmnopqrstuvwxyz'[loop.index0] }}.",
             "{{ r.holder }}, untuk informasi nomor " + NUMS % "r.numbers"
             + "{% if loop.last %}.{% else %};{% endif %}", left=FIRST_LINE)
    spacer(doc, 6)
    ctl(doc, "{%p endif %}")
    ctl(doc, "{%p if not_documented %}")
    body(doc, "Informasi nomor " + NUMS % "not_documented" + " belum didokumentasikan oleh "
              "{{ office.short }}, sehingga belum dapat kami berikan.")
    ctl(doc, "{%p endif %}")
    ctl(doc, "{%p if outcome != 'granted' %}")
    # UU KIP Pasal 35 ayat (1) (grounds; a refusal: huruf a; an item not held or not
    # documented: huruf d "ditanggapi tidak sebagaimana yang diminta" and huruf e "tidak
    # dipenuhinya permintaan informasi"; huruf c, "tidak ditanggapinya", cannot apply to a
    # letter that is itself the answer) and Pasal 36 ayat (1) (the filing period).
    # A notice that replaces one on the Atasan PPID's order: what that answer decided goes to
    # the Komisi Informasi (Pasal 37), only the rest to a new objection (as the decree's KETIGA).
    body(doc, "{% if " + ROUTE_OPEN + " %}" + ruled_route("Apabila Saudara tidak puas atas keputusan ini", "Saudara ",
                                                          "Undang-Undang tersebut")
              + "{% endif %}{% if " + ROUTE_OPEN + " and replaces.commission_unsure %}Apabila jangka waktu "
              "tersebut telah berakhir, atau apabila{% else %}Apabila{% endif %} Saudara tidak puas atas keputusan "
              "ini{% if " + ROUTE_OPEN + " %} sepanjang mengenai informasi lain{% endif %}, Saudara berhak mengajukan "
              "keberatan secara tertulis kepada {{ posts.atasan_ppid }} paling lambat ",
         ("{{ deadlines.objection_window }}", "b"), " setelah diterimanya pemberitahuan "
         "tertulis ini (Pasal 35 ayat (1) huruf {% if refused or partial %}a{% if not_held or "
         "not_documented %}, huruf d, dan huruf e{% endif %}{% else %}d dan "
         "huruf e{% endif %} serta Pasal 36 ayat (1) Undang-Undang tersebut), dengan "
         "mencantumkan nomor registrasi di atas, melalui surat, WhatsApp "
         "{{ office.whatsapp }}, pos-el {{ office.email }}, atau e-PPID {{ office.eppid }}. "
         "Pengajuan keberatan tidak dipungut biaya.")
    ctl(doc, "{%p endif %}")
    regime(doc)
    finish(doc)


def extension_notice(doc) -> None:
    """Pemberitahuan Perpanjangan Waktu, UU 14/2008 Pasal 22 ayat (8)."""
    reference(doc, ", dengan ini kami beritahukan bahwa berdasarkan {% if regime.election %}"
                   + PERKI_2019 + "{% else %}Pasal 22 ayat (8) " + UU_KIP + "{% endif %}"
                   ", jangka waktu penyampaian pemberitahuan tertulis atas "
                   "permohonan tersebut kami perpanjang selama ",
              ("{{ extension.days_words }}", "b"),
              ", dari semula paling lambat tanggal {{ extension.old_due }} menjadi paling "
              "lambat tanggal ", ("{{ extension.new_due }}", "b"), ".")
    body(doc, "Perpanjangan waktu tersebut diperlukan dengan alasan: {{ extension.reason }}.")
    ctl(doc, "{%p if request['items'] %}")
    body(doc, "Informasi yang Saudara minta adalah sebagai berikut:", keep=True, after=2)
    numbered(doc, "for it in request['items']", "{{ loop.index }}.", "{{ it }}",
             left=FIRST_LINE)
    spacer(doc, 6)
    ctl(doc, "{%p endif %}")
    body(doc, "Pemberitahuan tertulis beserta informasi yang dapat diberikan akan kami "
              "sampaikan dalam bentuk {{ request.form_label }} dengan cara penyampaian "
              "{{ request.delivery_label }}, paling lambat tanggal {{ extension.new_due }}. "
              "Layanan ini {{ request.cost }}.")
    regime(doc, cited="true")
    finish(doc, "Demikian disampaikan. Atas pengertian dan perhatian Saudara, kami ucapkan "
                "terima kasih.")


def consultation_answer(doc) -> None:
    """Surat Jawaban Konsultasi (Keputusan KPU Provinsi NTT 129/2022, Standar Konsultasi),
    signed by the official who answered; a delegated official signs "a.n." the approver."""
    # the topic runs on inside the sentence: its first letter lower case unless it opens an acronym
    reference(doc, ", perihal ", ("{% if request.topic[1:2].islower() %}{{ request.topic[:1]|lower }}"
                                  "{{ request.topic[1:] }}{% else %}{{ request.topic }}{% endif %}", "i"),
              ", dengan ini kami sampaikan jawaban atas konsultasi tersebut sebagai "
              "berikut:", keep=True)
    # "\n" in answer.text becomes a line break (docxtpl); an empty line separates
    # paragraphs. The block is indented so that it reads as the answer itself.
    par(doc, "{{ answer.text }}", align=J, left=FIRST_LINE, after=8)
    body(doc, "Jawaban konsultasi ini diberikan oleh {{ answer.by }} selaku "
              "{{ answer.role_label }}{% if answer.approved_by %}, dengan persetujuan "
              "{{ answer.approved_by }}{% endif %}"
              "{% if answer.date %} pada tanggal {{ answer.date }}{% endif %}.")
    body(doc, "Apabila memerlukan penjelasan lebih lanjut, Saudara dapat menghubungi kami "
              "melalui WhatsApp {{ office.whatsapp }} atau pos-el {{ office.email }} dengan "
              "mencantumkan nomor registrasi di atas. Sesuai dengan " + STANDARD_CONSULTATION + " "
              "dalam " + KEPUTUSAN_129 + ", layanan konsultasi ini {{ request.cost }}.")
    regime(doc)
    finish(doc)


def objection_receipt(doc) -> None:
    """Tanda Bukti Penerimaan Keberatan (UU 14/2008 Pasal 35-36), issued by the PPID, who
    registers the objection in the register of objections (Perki 1/2021)."""
    body(doc, "Dengan ini kami sampaikan bahwa keberatan Saudara atas permohonan informasi "
              "publik kepada {{ office.short }} telah kami terima, dicatat dalam register "
              "keberatan, dan diteruskan kepada {{ posts.atasan_ppid }}, sebagai "
              "berikut:", keep=True)
    detail(doc, "Nomor registrasi keberatan", OBJECTION_NO)
    detail(doc, "Diterima pada", "{{ request.received }}")
    detail(doc, "Disampaikan melalui", "{{ request.channel_label }}")
    requester_line(doc)
    detail(doc, "Registrasi permohonan", "{{ objection.original_register_no }}")
    ctl(doc, "{%p if objection.original_letter_no %}")
    detail(doc, "Nomor pemberitahuan", "{{ objection.original_letter_no }}")
    ctl(doc, "{%p endif %}")
    detail_list(doc, "Alasan keberatan", "for g in objection.grounds", "{{ g.letter }}.",
                "{{ g.text }}")
    spacer(doc, 8)
    body(doc, "Alasan keberatan tersebut merujuk pada Pasal 35 ayat (1) " + UU_KIP + ". "
              "Sesuai dengan {% if regime.election %}" + PERKI_2019 + "{% else %}Pasal 36 ayat (2) "
              "Undang-Undang tersebut{% endif %}, {{ posts.atasan_ppid }}" +
              " akan memberikan tanggapan secara tertulis paling lambat "
              "{{ deadlines.objection_answer }} sejak keberatan diterima, yaitu paling lambat "
              "tanggal ", ("{{ objection.due }}", "b"), ".")
    body(doc, "Pengajuan keberatan ini {{ request.cost }}. Mohon nomor registrasi keberatan "
              "di atas dicantumkan dalam setiap komunikasi selanjutnya.")
    regime(doc, cited="true")
    finish(doc, "Demikian tanda bukti penerimaan keberatan ini disampaikan untuk "
                "dipergunakan sebagaimana mestinya.")


# Why a late objection cannot be accepted: UU KIP Pasal 36 ayat (1) (30 working days to
# file), counted as spec section 6 says (from the day the requester received the notice,
# else the notice's date, else the day the notice was due).
# Only a known day of receipt (notice_received, or a delivery record) or, with no notice, its
# due date makes an objection inadmissible; counted from the notice's own date it waits for
# the Atasan PPID (spec section 6).
LATE_FROM = ("{% if objection.late.counted_from in ('notice_received', 'delivered') %}sejak diterimanya "
             "pemberitahuan tertulis oleh Saudara{% elif objection.late.counted_from == 'notice' "
             "%}sejak tanggal pemberitahuan tertulis{% else %}sejak berakhirnya jangka waktu "
             "penyampaian pemberitahuan tertulis yang tidak Saudara terima{% endif %}")


def objection_response(doc) -> None:
    """Tanggapan Atasan PPID atas Keberatan (UU 14/2008 Pasal 36-38): upheld, overturned, or
    inadmissible (filed after the Pasal 36 ayat 1 period: it cannot be accepted)."""
    body(doc, "Menindaklanjuti keberatan Saudara dengan nomor registrasi ", OBJECTION_NO,
         " yang kami terima pada {{ request.received }} atas permohonan informasi publik "
         "nomor registrasi {{ objection.original_register_no }}"
         "{% if objection.original_letter_no %} (pemberitahuan tertulis Nomor "
         "{{ objection.original_letter_no }}){% endif %}, bersama ini {{ posts.atasan_ppid }}" +
         " menyampaikan tanggapan sebagaimana dimaksud dalam Pasal 36 ayat (2) " + UU_KIP
         + ".")
    body(doc, "Keberatan tersebut diajukan dengan alasan sebagaimana dimaksud dalam Pasal 35 "
              "ayat (1) Undang-Undang tersebut, yaitu:", keep=True, after=2)
    numbered(doc, "for g in objection.grounds", "{{ g.letter }}.", "{{ g.text }}",
             left=FIRST_LINE)
    spacer(doc, 6)
    ctl(doc, "{%p if objection.result == 'inadmissible' %}")
    # UU KIP Pasal 36 ayat (1): "paling lambat 30 (tiga puluh) hari kerja setelah
    # ditemukannya alasan sebagaimana dimaksud dalam Pasal 35 ayat (1)"
    body(doc, "Sesuai dengan Pasal 36 ayat (1) Undang-Undang tersebut, keberatan diajukan "
              "paling lambat {{ deadlines.objection_window }} setelah ditemukannya alasan "
              "sebagaimana dimaksud dalam Pasal 35 ayat (1); dalam hal ini jangka waktu "
              # the day of receipt is day 0: the window is counted from it, not on it
              "tersebut dihitung " + LATE_FROM + ", yaitu tanggal {{ objection.late.window_start }}, "
              "dan berakhir pada tanggal ", ("{{ objection.late.window_end }}", "b"),
         ", sedangkan keberatan Saudara diajukan pada tanggal ",
         ("{{ objection.late.filed }}", "b"), ".")
    # the label says why ("... karena diajukan melewati jangka waktu"): not said again here
    body(doc, "Dengan demikian, {{ posts.atasan_ppid }} memutuskan: ",
         ("{{ objection.result_label }}", "b"), ", sehingga pokok keberatan Saudara tidak "
         "diperiksa.{% if objection.reason %} "
         "{{ objection.reason }}{% endif %}")
    ctl(doc, "{%p else %}")
    # upheld: the PPID's decision stands, with its written reason (Pasal 36 ayat 3). overturned:
    # the Atasan PPID accepts the objection and orders the PPID, who issued the decision, to revoke
    # its refusal decree and give a new written notice by a date (UU 30/2014 Pasal 64: the issuer
    # revokes; no annulment, Pasal 66); the period is the office's notice period from the response
    # (neither Act gives one; planner._order).
    body(doc, "Setelah memeriksa keberatan tersebut, " + ATASAN + " memutuskan: ",
         ("{{ objection.result_label }}", "b"),
         ". {% if objection.result == 'overturned' %}Pertimbangan tanggapan ini adalah sebagai berikut: "
         "{% elif objection.decree_no %}Keputusan PPID {{ office.short }} Nomor {{ objection.decree_no }}"
         "{% if objection.decree_date %} tanggal {{ objection.decree_date }}{% endif %} tentang Penolakan "
         "Permohonan Informasi Publik atas permohonan tersebut tetap berlaku. Sesuai dengan Pasal 36 ayat (3) "
         "Undang-Undang tersebut, alasan tertulis tanggapan ini adalah sebagai berikut: "
         "{% else %}Keputusan PPID {{ office.short }} atas permohonan tersebut sebagaimana dimuat dalam "
         "pemberitahuan tertulis{% if objection.original_letter_no %} Nomor {{ objection.original_letter_no }}"
         "{% endif %} tetap berlaku. Sesuai dengan Pasal 36 ayat (3) Undang-Undang tersebut, alasan tertulis "
         "tanggapan ini adalah sebagai berikut: {% endif %}{{ objection.reason }}")
    ctl(doc, "{%p if objection.result == 'overturned' %}")
    body(doc, "Berdasarkan tanggapan ini, " + ATASAN + " memerintahkan PPID {{ office.short }} untuk "
              "{% if objection.revoke_decree %}mencabut Keputusan PPID{% if objection.revoke_decree_no %} "
              "Nomor {{ objection.revoke_decree_no }}{% if objection.revoke_decree_date %} tanggal "
              "{{ objection.revoke_decree_date }}{% endif %}{% endif %} tentang Penolakan Permohonan "
              "Informasi Publik atas permohonan informasi publik nomor registrasi "
              "{{ objection.original_register_no }} dengan keputusan pencabutan sebagaimana dimaksud dalam "
              "Pasal 64 Undang-Undang Nomor 30 Tahun 2014 tentang Administrasi Pemerintahan paling lambat "
              "{{ objection.revoke_period }} sejak tanggal tanggapan ini, yaitu tanggal ",
         ("{{ objection.revoke_due }}", "b"), ", serta untuk {% endif %}menyampaikan kepada Saudara pemberitahuan tertulis yang baru sesuai dengan "
              "tanggapan ini{% if objection.original_letter_no %} sebagai pengganti pemberitahuan tertulis "
              "Nomor {{ objection.original_letter_no }}{% endif %}, paling lambat "
              "{{ objection.order_period }} sejak tanggal tanggapan ini, yaitu tanggal ",
         ("{{ objection.order_due }}", "b"), ".")
    ctl(doc, "{%p endif %}")
    ctl(doc, "{%p endif %}")
    regime(doc)
    # UU KIP Pasal 37 ayat (1) and (2): a requester not satisfied with the Atasan PPID's
    # answer may ask the Komisi Informasi to settle the dispute, within its period from
    # receiving the answer; Pasal 38 ayat (1): mediation and/or non-litigation adjudication.
    finish(doc, "Apabila Saudara tidak puas dengan tanggapan ini, Saudara dapat mengajukan "
                "permohonan penyelesaian sengketa informasi publik kepada ",
           ("Komisi Informasi Provinsi Nusa Tenggara Timur", "b"), " paling lambat ",
           ("{{ deadlines.commission }}", "b"), " setelah diterimanya tanggapan "
           "tertulis ini (Pasal 37 ayat (1) dan ayat (2) Undang-Undang tersebut); Komisi "
           "Informasi mengupayakan penyelesaiannya melalui mediasi dan/atau ajudikasi "
           "nonlitigasi (Pasal 38 ayat (1)). Demikian disampaikan untuk menjadi perhatian.")


# --------------------------------------------------------------------------- the decree

LABEL_W, COLON_W, MARK_W = 2.7, 0.4, 0.6  # "Menimbang", ":", "a." columns of the decree


def decree_line(doc, label: str, marker: str, *text, after: float = 2, keep: bool = False):
    """One "Menimbang : a. bahwa ..." line; wrapped text aligns with the text."""
    hang = LABEL_W + COLON_W + (MARK_W if marker else 0)
    tabs = (LABEL_W, LABEL_W + COLON_W) + ((hang,) if marker else ())
    parts = (label, "\t", ":" if label else "", "\t") + ((marker, "\t") if marker else ())
    return par(doc, *parts, *text, align=J, left=hang, first=-hang, after=after, tabs=tabs,
               keep=keep)


REPLACED_DECREE = (
    "bahwa Keputusan Pejabat Pengelola Informasi dan Dokumentasi {{ office.short }} Nomor {{ revoked.number }} "
    "tanggal {{ revoked.date }} tentang Penolakan Permohonan Informasi Publik atas permohonan tersebut telah "
    "dicabut dengan Keputusan Pejabat Pengelola Informasi dan Dokumentasi {{ office.short }} Nomor "
    "{{ revocation_decree_no }} tanggal {{ letter.date }} "
    "{% if replaces.cause == 'objection' %}untuk melaksanakan tanggapan Atasan PPID Nomor {{ replaces.response_no }} "
    "tanggal {{ replaces.response_date }} atas keberatan nomor registrasi {{ replaces.objection_no }}"
    "{% elif replaces.cause == 'dispute' %}untuk melaksanakan putusan Komisi Informasi Nomor {{ replaces.case_no }} "
    "tanggal {{ replaces.ruling_date }}{% else %}setelah PPID {{ office.short }} menilai kembali keputusannya"
    "{% endif %}, sehingga atas informasi yang tetap dikecualikan perlu ditetapkan Keputusan yang baru;")
# UU KIP Pasal 37 ayat (1): what the Atasan PPID has already answered goes to the Komisi
# Informasi, not to a second objection; ayat (2): within 14 working days of receiving the
# Atasan PPID's written answer (deadlines.commission). One sentence for the replacing decree
# and the replacing written notice, each with its own opening and actor.
def ruled_route(opening: str, actor: str, law: str) -> str:
    return (
        opening + ", sepanjang mengenai informasi yang telah menjadi pokok "
        "keberatan nomor registrasi {{ replaces.objection_no }} dan telah ditanggapi oleh Atasan PPID melalui "
        "tanggapan Nomor {{ replaces.response_no }} tanggal {{ replaces.response_date }}, " + actor + "dapat mengajukan "
        "permohonan penyelesaian sengketa informasi publik kepada Komisi Informasi Provinsi Nusa Tenggara Timur "
        "paling lambat {{ deadlines.commission }} setelah diterimanya tanggapan Atasan PPID tersebut"
        "{% if replaces.commission_end %}, yaitu sampai dengan tanggal {{ replaces.commission_end }}{% endif %}, "
        "sebagaimana dimaksud dalam Pasal 37 ayat (1) dan ayat (2) " + law + ". ")


# the route is offered while it is open (planner.commission_window)
ROUTE_OPEN = "replaces.cause == 'objection' and replaces.commission_open"
RULED_ROUTE = ruled_route("Pemohon yang tidak puas atas Keputusan ini", "", "Undang-Undang Nomor 14 Tahun 2008")


def refusal_decree(doc) -> None:
    """Keputusan PPID tentang Penolakan Permohonan Informasi Publik (Perki 1/2021).

    Issued with a written notice that refuses an item (exempt) or blacks out part of one
    (partial: refused in that part on a Pasal 17 ground, objected to under Pasal 35 ayat 1
    huruf a like a refusal; planner.refuses); lists every refused item
    and every blacked-out part with its Pasal 17 ground and the harm that opening it would
    cause (UU KIP Pasal 2 ayat 4 and Pasal 19: the consequence test), and the right to
    object (Pasal 35 ayat 1 huruf a, Pasal 36 ayat 1). Signed by the PPID.
    """
    decree_title(doc)

    decree_line(doc, "Menimbang", "a.", "bahwa pada {{ request.received }} PPID "
                "{{ office.short }} menerima permohonan informasi publik dari "
                "{{ requester.name }} dengan nomor registrasi ", REGISTER_NO, ";")
    # a decree that replaces a revoked one says so, and why (spec section 3): the revocation
    # decree goes with it, issued the same day
    ctl(doc, "{%p if revocation_decree_no %}")
    decree_line(doc, "", "b.", REPLACED_DECREE)
    ctl(doc, "{%p endif %}")
    decree_line(doc, "", "{{ 'c' if revocation_decree_no else 'b' }}.", "bahwa berdasarkan pengujian konsekuensi sebagaimana dimaksud "
                "dalam Pasal 2 ayat (4) dan Pasal 19 " + UU_KIP + ", informasi sebagaimana "
                "tercantum dalam Diktum KESATU merupakan informasi yang dikecualikan "
                "sebagaimana dimaksud dalam Pasal 17 Undang-Undang tersebut, karena "
                "menutup informasi tersebut melindungi kepentingan yang lebih besar daripada "
                "membukanya;")
    decree_line(doc, "", "{{ 'd' if revocation_decree_no else 'c' }}.", "bahwa berdasarkan pertimbangan "
                "sebagaimana dimaksud dalam {% if revocation_decree_no %}huruf a, huruf b, dan huruf c"
                "{% else %}huruf a dan huruf b{% endif %}, perlu menetapkan Keputusan Pejabat Pengelola Informasi "
                "dan Dokumentasi {{ office.short }} tentang {{ decree_title }};", after=8)
    mengingat_lines(doc)
    par(doc, ("MEMUTUSKAN:", "b"), align=C, after=8, keep=True)
    decree_line(doc, "Menetapkan", "", "KEPUTUSAN PEJABAT PENGELOLA INFORMASI DAN "
                "DOKUMENTASI {{ office.name }} TENTANG {{ decree_title|upper }}.", after=8)
    decree_line(doc, "KESATU", "", "Menolak permohonan informasi publik nomor registrasi ",
                REGISTER_NO, " atas nama {{ requester.name }} sepanjang mengenai informasi "
                "yang dikecualikan berikut ini, dengan dasar pengecualian dan akibat yang "
                "timbul apabila informasi tersebut dibuka:", keep=True, after=4)
    t = item_table(doc, [0.9, 4.6, 3.6, TEXT_W - 9.1],
                   ("No.", "Informasi yang dikecualikan", "Dasar pengecualian", "Akibat apabila dibuka"))
    ctl_row(t, "{%tr for it in (refused + partial)|sort(attribute='no') %}")
    r = row(t)
    cell_opts = dict(align=L, before=2, after=2, size=NOTE_PT)
    par(r.cells[0], "{{ it.no }}.", **{**cell_opts, "align": C})
    par(r.cells[1], "{{ it.text }}{% if it.status == 'partial' %} (bagian yang dihitamkan: "
                    "{{ it.redact }}){% endif %}", **cell_opts)
    par(r.cells[2], "{% if it.basis %}{{ it.basis }}{% else %}{{ it.ground_text }}{% endif %}",
        **cell_opts)
    # UU KIP Pasal 19, Perki 1/2021 Pasal 49: the harm per item, never the rule's title
    par(r.cells[3], "{% if it.consequence %}{{ it.consequence }}{% else %}-{% endif %}", **cell_opts)
    ctl(r.cells[3], "{%p if it.consequence_test %}")
    par(r.cells[3], ("Uji konsekuensi: ", "i"), "{{ it.consequence_test }}", **cell_opts)
    ctl(r.cells[3], "{%p endif %}")
    ctl_row(t, "{%tr endfor %}")
    spacer(doc, 8)
    decree_line(doc, "KEDUA", "", "Keputusan ini disampaikan kepada Pemohon bersama "
                "pemberitahuan tertulis Nomor {{ notice_no }} sebagaimana dimaksud dalam Pasal 22 "
                "ayat (7) Undang-Undang Nomor 14 Tahun 2008, yang memuat keputusan atas setiap "
                "informasi yang diminta.{% if revocation_decree_no %} Keputusan ini menggantikan Keputusan "
                "Pejabat Pengelola Informasi dan Dokumentasi {{ office.short }} Nomor {{ revoked.number }} "
                "tanggal {{ revoked.date }} yang telah dicabut dengan Keputusan Pejabat Pengelola Informasi dan "
                "Dokumentasi {{ office.short }} Nomor {{ revocation_decree_no }}.{% endif %}", after=6)
    # UU KIP Pasal 37 ayat (1): what the Atasan PPID has already answered goes to the Komisi
    # Informasi, not to a second objection
    decree_line(doc, "KETIGA", "", "{% if " + ROUTE_OPEN + " %}" + RULED_ROUTE + "{% endif %}"
                "{% if " + ROUTE_OPEN + " and replaces.commission_unsure %}Apabila jangka waktu tersebut telah "
                "berakhir, atau apabila Pemohon tidak puas atas Keputusan ini sepanjang mengenai informasi lain, "
                "Pemohon{% else %}Pemohon yang tidak puas atas Keputusan ini{% if " + ROUTE_OPEN + " %}, sepanjang "
                "mengenai informasi lain,{% endif %}{% endif %} dapat "
                "mengajukan keberatan secara tertulis kepada {{ posts.atasan_ppid }} "
                "paling lambat {{ deadlines.objection_window }} setelah diterimanya Keputusan "
                "ini, sebagaimana dimaksud dalam Pasal 35 ayat (1) huruf a dan Pasal 36 ayat "
                "(1) Undang-Undang Nomor 14 Tahun 2008.", after=6)
    ctl(doc, "{%p if regime.election %}")
    decree_line(doc, "", "", DECREE_REGIME, after=6)
    ctl(doc, "{%p endif %}")
    decree_end(doc, "KEEMPAT", "Keputusan ini mulai berlaku pada tanggal ditetapkan.")


def decree_head(doc) -> None:
    """A decree's head, as the seed decree's: the logo and the office's name, no address and no
    double rule (those belong to a letter's kop)."""
    par(doc, "{{ office.logo }}", align=C, after=2)
    par(doc, ("KOMISI PEMILIHAN UMUM", "b"), align=C, after=0, size=13)
    par(doc, ("PROVINSI NUSA TENGGARA TIMUR", "b"), align=C, after=14, size=13)


def decree_title(doc) -> None:
    """KEPUTUSAN … NOMOR … TENTANG …, and who decides."""
    title = dict(align=C, after=0, keep=True)
    par(doc, ("KEPUTUSAN PEJABAT PENGELOLA INFORMASI DAN DOKUMENTASI", "b"), **title)
    par(doc, ("{{ office.name }}", "b"), **title)
    par(doc, ("NOMOR {{ letter.number|upper }}", "b"), before=6, **title)
    par(doc, ("TENTANG", "b"), before=6, **title)
    par(doc, ("{{ decree_title|upper }}", "b"), **title)
    par(doc, ("PEJABAT PENGELOLA INFORMASI DAN DOKUMENTASI", "b"), before=12, **title)
    par(doc, ("{{ office.name }},", "b"), align=C, after=12, keep=True)


def mengingat_lines(doc) -> None:
    """Mengingat: 1. …; 2. …; the list comes with the context (letters.mengingat), so that the
    PPID's appointment and the DIK decrees a rule names are cited."""
    hang = LABEL_W + COLON_W + MARK_W
    ctl(doc, "{%p for m in mengingat %}")
    par(doc, "{% if loop.first %}Mengingat{% endif %}", "\t", "{% if loop.first %}:{% endif %}", "\t",
        "{{ loop.index }}.", "\t", "{{ m }}{% if loop.last %}.{% else %};{% endif %}", align=J, left=hang,
        first=-hang, after=2, tabs=(LABEL_W, LABEL_W + COLON_W, hang))
    ctl(doc, "{%p endfor %}")
    spacer(doc, 8)


def decree_end(doc, last: str, text: str) -> None:
    """The last diktum ("Keputusan ini mulai berlaku …"), then "Ditetapkan di … pada tanggal …" and
    the signature block, all in one row that may not break across pages: the signature never
    opens a page without a diktum above it."""
    tt = table(doc, [TEXT_W], grid=False, pad=(0, 0))
    cell = row(tt).cells[0]
    decree_line(cell, last, "", text, after=10)
    opts = dict(align=L, left=SIGN_LEFT + 1.0, after=0, tabs=(SIGN_LEFT + 4.0,))
    par(cell, "Ditetapkan di\t: {{ letter.place }}", **opts)
    par(cell, "pada tanggal\t: {{ letter.date }}", **{**opts, "after": 10})
    signature(cell)
    tembusan(cell)
    spacer(doc, 1)


# Why the refusal decree falls (spec section 3), one clause per cause: the Atasan PPID's order,
# the Komisi Informasi's ruling, or the PPID's own review.
REVOKED_BY = ("{% if replaces.cause == 'objection' %}bahwa " + ATASAN + " melalui tanggapan "
              "atas keberatan Nomor {{ replaces.response_no }} tanggal {{ replaces.response_date }} atas "
              "keberatan nomor registrasi {{ replaces.objection_no }} menerima keberatan Pemohon dan "
              "memerintahkan PPID {{ office.short }} mencabut Keputusan sebagaimana dimaksud dalam huruf a "
              "serta menyampaikan pemberitahuan tertulis yang baru"
              "{% elif replaces.cause == 'dispute' %}bahwa Komisi Informasi melalui putusan Nomor "
              "{{ replaces.case_no }} tanggal {{ replaces.ruling_date }} mengabulkan permohonan "
              "penyelesaian sengketa informasi atas permohonan tersebut"
              "{% else %}bahwa PPID {{ office.short }} telah menilai kembali keputusannya atas permohonan "
              "tersebut setelah pemberitahuan tertulis Nomor {{ replaces.notice_no }} tanggal "
              "{{ replaces.notice_date }} disampaikan{% endif %};")
# UU 30/2014 Pasal 64 ayat (1): a decree is revoked only for a defect of wewenang, prosedur
# and/or substansi, which the new decree names. Here substansi: the exemption the refusal rests
# on does not hold, for the reason the response, the ruling or the new notice gives.
DEFECT = ("bahwa berdasarkan pertimbangan dalam {% if replaces.cause == 'objection' %}tanggapan Atasan PPID "
          "tersebut{% elif replaces.cause == 'dispute' %}putusan Komisi Informasi tersebut{% else %}pemberitahuan "
          "tertulis Nomor {{ notice_no }} yang disampaikan bersama Keputusan ini{% endif %}, pengecualian "
          "informasi yang ditetapkan dalam Keputusan "
          "sebagaimana dimaksud dalam huruf a tidak dapat dipertahankan seluruhnya, sehingga Keputusan "
          "tersebut mengandung cacat substansi sebagaimana dimaksud dalam Pasal 64 ayat (1) Undang-Undang "
          "Nomor 30 Tahun 2014 tentang Administrasi Pemerintahan;")


def revocation_decree(doc) -> None:
    """Keputusan PPID tentang Pencabutan Keputusan tentang Penolakan Permohonan Informasi Publik.

    Issued with the new or corrected written notice when an objection is overturned (the Atasan
    PPID's response orders it), the Komisi Informasi grants the information, or the PPID changes
    a decision after its notice went out (spec sections 3-4). UU 30/2014 Pasal 64: a decree is
    revoked, for a defect the new decree names, by a new decree of the official who issued it,
    stating the legal basis of the revocation; the PPID issued the refusal, so the PPID signs.
    """
    decree_title(doc)
    decree_line(doc, "Menimbang", "a.", "bahwa Pejabat Pengelola Informasi dan Dokumentasi "
                "{{ office.short }} telah menetapkan Keputusan Nomor {{ revoked.number }} tanggal "
                "{{ revoked.date }} tentang Penolakan Permohonan Informasi Publik atas permohonan informasi "
                "publik nomor registrasi ", ("{{ revoked.register_no }}", "b"), ";")
    decree_line(doc, "", "b.", REVOKED_BY)
    decree_line(doc, "", "c.", DEFECT)
    decree_line(doc, "", "d.", "bahwa berdasarkan Pasal 64 Undang-Undang Nomor 30 Tahun 2014 tentang "
                "Administrasi Pemerintahan, pencabutan Keputusan dapat dilakukan oleh Pejabat Pemerintahan "
                "yang menetapkan Keputusan tersebut dengan menerbitkan Keputusan baru yang mencantumkan dasar "
                "hukum pencabutan;")
    decree_line(doc, "", "e.", "bahwa berdasarkan pertimbangan sebagaimana dimaksud dalam huruf a, huruf b, "
                "huruf c, dan huruf d, perlu menetapkan Keputusan Pejabat Pengelola Informasi dan Dokumentasi "
                "{{ office.short }} tentang {{ decree_title }};", after=8)
    mengingat_lines(doc)
    par(doc, ("MEMUTUSKAN:", "b"), align=C, after=8, keep=True)
    decree_line(doc, "Menetapkan", "", "KEPUTUSAN PEJABAT PENGELOLA INFORMASI DAN "
                "DOKUMENTASI {{ office.name }} TENTANG {{ decree_title|upper }}.", after=8)
    decree_line(doc, "KESATU", "", "Mencabut Keputusan Pejabat Pengelola Informasi dan Dokumentasi "
                "{{ office.short }} Nomor {{ revoked.number }} tanggal {{ revoked.date }} tentang Penolakan "
                "Permohonan Informasi Publik atas permohonan informasi publik nomor registrasi ",
                REGISTER_NO, " karena cacat substansi sebagaimana diuraikan dalam konsiderans Menimbang huruf c.",
                after=6)
    decree_line(doc, "KEDUA", "", "Keputusan atas permohonan tersebut dituangkan dalam pemberitahuan "
                "tertulis Nomor {{ notice_no }} yang disampaikan kepada Pemohon bersama Keputusan ini"
                "{% if replaces.notice_no %} dan menggantikan pemberitahuan tertulis Nomor "
                "{{ replaces.notice_no }} tanggal {{ replaces.notice_date }}{% endif %}.", after=6)
    ctl(doc, "{%p if regime.election %}")
    decree_line(doc, "", "", DECREE_REGIME, after=6)
    ctl(doc, "{%p endif %}")
    decree_end(doc, "KETIGA", "Keputusan ini mulai berlaku pada tanggal ditetapkan.")


# The builders of the stock templates. The kinds, their titles and whether each is a letter
# or a decree come from the letter-kind registry (pipeline.letters.REGISTRY): this script only
# scaffolds a first .docx per kind for a new office; the office's own .docx is the source of truth.
BUILDERS = {
    "receipt": receipt, "incomplete_notice": incomplete_notice, "decision_notice": decision_notice,
    "extension_notice": extension_notice, "consultation_answer": consultation_answer,
    "objection_receipt": objection_receipt, "objection_response": objection_response,
    "refusal_decree": refusal_decree, "revocation_decree": revocation_decree,
}


def build(kind: str):
    """The python-docx Document of one letter template."""
    from pipeline.letters import REGISTRY

    doc = _new_document(REGISTRY[kind].label)
    if REGISTRY[kind].form == "decree":  # a decree is not a letter: no kop, Nomor/Hal block or addressee
        decree_head(doc)
    else:
        kop(doc)
        heading(doc)
    BUILDERS[kind](doc)
    return doc


def main(out_dir: Path = HERE) -> list[Path]:
    """Write every template into `out_dir`; returns the paths written."""
    from pipeline.letters import REGISTRY

    written = []
    for kind in REGISTRY:
        path = out_dir / f"{kind}.docx"
        build(kind).save(path)
        written.append(path)
    return written


if __name__ == "__main__":
    for written_path in main():
        print(written_path)
