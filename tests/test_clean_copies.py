"""Clean stamped copies (issue 18 item 10): a photo loses its EXIF, GPS and comments without
being encoded again, upright as its EXIF said; a PDF loses scripts, automatic actions,
launches and embedded files, and its stamp says so in Indonesian."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageOps
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject, TextStringObject

from pipeline.pdf import incoming
from pipeline.pdf.incoming import clean_jpeg, stamp_incoming

OFFICE = "KPU Provinsi Nusa Tenggara Timur"
SECRETS = [b"CanonSecretCam", b"EOS-GPS-9", b"rumah saya di Oesapa", b"komentar pribadi", b"Photoshop 3.0",
           b"Kupang-IPTC"]


def photo(size=(60, 40), orientation: int = 1, quality: int = 95) -> bytes:
    """A grey photo with a red block in its stored top-left corner, with EXIF (camera, GPS,
    user comment, orientation), a JPEG comment and an APP13 (IPTC) segment."""
    img = Image.new("RGB", size, (128, 128, 128))
    img.paste((220, 0, 0), (0, 0, size[0] // 3, size[1] // 3))
    exif = Image.Exif()
    exif[0x010F] = "CanonSecretCam"  # Make
    exif[0x0110] = "EOS-GPS-9"  # Model
    exif[0x0112] = orientation
    exif[0x8825] = {1: "S", 2: (10.0, 9.0, 30.0), 3: "E", 4: (123.0, 36.0, 0.0)}  # GPS: Kupang
    exif[0x8769] = {0x9286: b"ASCII\0\0\0rumah saya di Oesapa"}  # UserComment
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=quality, exif=exif, comment=b"komentar pribadi")
    data = buf.getvalue()
    app13 = b"Photoshop 3.0\0" + b"8BIM\x04\x04\0\0\0\0\0\x0cKupang-IPTC\0"
    return data[:2] + b"\xff\xed" + (len(app13) + 2).to_bytes(2, "big") + app13 + data[2:]


def stamp(src: Path, dst: Path):
    return stamp_incoming(src, dst, office=OFFICE, register_no="0007/PPID/2026",
                          received="20 November 2026 pukul 09.15 WITA", due="4 Desember 2026")


def embedded_image(pdf: Path) -> bytes:
    page = PdfReader(pdf).pages[-1]
    [xobj] = [o.get_object() for o in page["/Resources"]["/XObject"].values()]
    return xobj._data


def test_a_photo_loses_its_metadata_not_its_pixels(tmp_path):
    data = photo()
    assert all(s in data for s in SECRETS)  # the test photo really carries them
    src = tmp_path / "IMG-20261120-WA0001.jpg"
    src.write_bytes(data)
    placement = stamp(src, tmp_path / "diterima.pdf")
    out = (tmp_path / "diterima.pdf").read_bytes()
    assert not [s for s in SECRETS if s in out]
    assert b"Exif" not in out
    jpeg = embedded_image(tmp_path / "diterima.pdf")
    # byte for byte: the same scan data, only segments taken out
    sos = data.index(b"\xff\xda")
    assert jpeg.endswith(data[sos:data.rindex(b"\xff\xd9") + 2])
    assert jpeg == clean_jpeg(data)[0]
    assert placement.dropped == ("metadata",)
    text = PdfReader(tmp_path / "diterima.pdf").pages[0].extract_text()
    assert "Dihapus dari salinan: metadata foto (EXIF/GPS)" in " ".join(text.split())


def test_a_large_photo_is_encoded_again_and_loses_its_metadata_too(tmp_path):
    src = tmp_path / "besar.jpg"
    src.write_bytes(photo(size=(3000, 2000), quality=70))
    placement = stamp(src, tmp_path / "diterima.pdf")
    out = (tmp_path / "diterima.pdf").read_bytes()
    assert not [s for s in SECRETS if s in out] and b"Exif" not in out
    assert placement.dropped == ("metadata",)


def test_a_photo_without_metadata_says_nothing_was_dropped(tmp_path):
    buf = io.BytesIO()
    Image.new("RGB", (60, 40), (128, 128, 128)).save(buf, "JPEG")
    src = tmp_path / "polos.jpg"
    src.write_bytes(buf.getvalue())
    assert stamp(src, tmp_path / "d.pdf").dropped == ()
    assert embedded_image(tmp_path / "d.pdf") == buf.getvalue()  # JFIF kept: nothing to take out
    assert "Dihapus" not in PdfReader(tmp_path / "d.pdf").pages[0].extract_text()


def _red_quadrant(rgb: np.ndarray) -> tuple[int, int]:
    """(row, column) half, 0 or 1, where the red block lies within the grey photo."""
    grey = (abs(rgb[..., 0].astype(int) - 128) < 30) & (abs(rgb[..., 1].astype(int) - 128) < 30)
    red = (rgb[..., 0] > 150) & (rgb[..., 1] < 90) & (rgb[..., 2] < 90)
    photo_px = np.argwhere(grey | red)
    (r0, c0), (r1, c1) = photo_px.min(0), photo_px.max(0)
    rr, cc = np.argwhere(red).mean(0)
    return int((rr - r0) / (r1 - r0 + 1) >= 0.5), int((cc - c0) / (c1 - c0 + 1) >= 0.5)


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs poppler's pdftoppm")
@pytest.mark.parametrize("orientation", range(1, 9))
def test_the_photo_stands_as_its_exif_orientation_says(tmp_path, orientation):
    data = photo(orientation=orientation)
    src = tmp_path / "foto.jpg"
    src.write_bytes(data)
    stamp(src, tmp_path / "d.pdf")
    assert b"Exif" not in (tmp_path / "d.pdf").read_bytes()
    subprocess.run(["pdftoppm", "-r", "30", "-png", "-singlefile", str(tmp_path / "d.pdf"), str(tmp_path / "p")],
                   check=True)
    shown = np.asarray(Image.open(tmp_path / "p.png").convert("RGB"))
    upright = np.asarray(ImageOps.exif_transpose(Image.open(io.BytesIO(data))).convert("RGB"))
    assert _red_quadrant(shown) == _red_quadrant(upright)
    page = PdfReader(tmp_path / "d.pdf").pages[0]
    w, h = float(page.mediabox.width), float(page.mediabox.height)
    assert (w > h) == (upright.shape[1] > upright.shape[0])  # landscape as the upright photo


# --- PDFs ------------------------------------------------------------------------------------------


def hostile_pdf() -> bytes:
    """A pypdf-written letter that runs JavaScript on opening, carries a document-level
    script, a page action, a Launch link and an embedded executable."""
    w = PdfWriter()
    w.add_blank_page(595, 842)
    w.add_attachment("lampiran-jahat.exe", b"MZ executable payload")
    root = w.root_object
    script = DictionaryObject({NameObject("/S"): NameObject("/JavaScript"),
                               NameObject("/JS"): TextStringObject("app.alert('skrip dokumen');")})
    root["/Names"].get_object()[NameObject("/JavaScript")] = DictionaryObject({
        NameObject("/Names"): ArrayObject([TextStringObject("skrip"), w._add_object(script)])})
    root[NameObject("/OpenAction")] = DictionaryObject({
        NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert('dibuka');")})
    page = w.pages[0]
    page[NameObject("/AA")] = DictionaryObject({NameObject("/O"): DictionaryObject({
        NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert('halaman');")})})
    link = DictionaryObject({
        NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/Link"),
        NameObject("/Rect"): ArrayObject([NumberObject(50), NumberObject(50), NumberObject(200), NumberObject(80)]),
        NameObject("/A"): DictionaryObject({NameObject("/S"): NameObject("/Launch"),
                                            NameObject("/F"): TextStringObject("calc-jahat.exe")})})
    page[NameObject("/Annots")] = ArrayObject([w._add_object(link)])
    buf = io.BytesIO()
    w.write(buf)
    return buf.getvalue()


HOSTILE = [b"app.alert", b"calc-jahat.exe", b"lampiran-jahat.exe", b"MZ executable payload"]


def test_a_pdf_letter_loses_scripts_actions_launches_and_embedded_files(tmp_path):
    data = hostile_pdf()
    reader = PdfReader(io.BytesIO(data))
    assert "/OpenAction" in reader.trailer["/Root"] and reader.attachments  # really hostile
    src = tmp_path / "surat.pdf"
    src.write_bytes(data)
    placement = stamp(src, tmp_path / "diterima.pdf")
    out = (tmp_path / "diterima.pdf").read_bytes()
    assert not [s for s in HOSTILE if s in out]
    reader = PdfReader(tmp_path / "diterima.pdf")
    root = reader.trailer["/Root"]
    assert "/OpenAction" not in root and "/AA" not in root
    assert "/JavaScript" not in (root.get("/Names") or {}) and not reader.attachments
    for page in reader.pages:
        assert "/AA" not in page
        for annot in page.get("/Annots") or []:
            assert "/A" not in annot.get_object()
    assert set(placement.dropped) == {"javascript", "actions", "launch", "embedded_files"}
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert "Dihapus dari salinan:" in text and all(w in text for w in ("JavaScript", "berkas sisipan", "perintah menjalankan program")), text


def test_a_plain_pdf_letter_is_stamped_without_a_note(tmp_path):
    w = PdfWriter()
    w.add_blank_page(595, 842)
    src = tmp_path / "surat.pdf"
    w.write(src)
    assert stamp(src, tmp_path / "d.pdf").dropped == ()
    assert "Dihapus" not in PdfReader(tmp_path / "d.pdf").pages[0].extract_text()


@pytest.mark.parametrize("data", [b"\xff\xd8\xff\xe1\xff\xff", b"\xff\xd8", b"not a jpeg", b"\xff\xd8\xff\xda\x00\x02"])
def test_clean_jpeg_gives_up_on_what_it_cannot_follow(data):
    assert clean_jpeg(data) is None


def test_dropped_labels_are_indonesian_and_complete():
    assert set(incoming._ACTION_KINDS.values()) <= set(incoming.DROPPED_LABELS)


# --- what a clean copy dropped is recorded, not only printed ----------------------------------------


@pytest.mark.slow  # a run with PDFs: LibreOffice converts the receipt
@pytest.mark.parametrize("letter", ["surat.pdf", "surat.jpg"])
def test_the_incoming_stamped_event_records_what_the_copy_dropped(tmp_path, letter):
    from test_robustness import cli_run, events

    from helpers import base_request, write_request

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / letter).write_bytes(hostile_pdf() if letter.endswith(".pdf") else photo())
    write_request(inbox, "a.yaml", base_request("complaint", "letter", letter=letter))
    run = cli_run(inbox, tmp_path / "records", tmp_path / "out", pdf=True)
    assert run.code == 0, run.stderr
    [stamped] = [e for e in events(tmp_path / "records") if e["type"] == "incoming_stamped"]
    expected = {"javascript", "actions", "launch", "embedded_files"} if letter.endswith(".pdf") else {"metadata"}
    assert set(stamped["dropped"]) == expected
    assert set(stamped["dropped"]) <= set(incoming.DROPPED_LABELS)


def test_the_event_carries_the_list_and_an_older_log_without_it_still_reads(tmp_path):
    import json

    from pipeline.events import IncomingStamped
    from pipeline.register import Register, event_problem

    ev = IncomingStamped(incoming_digest="ab" * 32, pdf="out/x.pdf", dropped=["metadata"]).record("0001/PPID/2026")
    assert ev["dropped"] == ["metadata"] and event_problem(ev) is None
    old = {k: v for k, v in ev.items() if k != "dropped"}  # as logs before the field hold it
    assert event_problem(old) is None
    assert event_problem({**ev, "dropped": "metadata"}) == "'dropped' is not a list of what a clean copy left out"
    assert event_problem({**ev, "dropped": [3]}) is not None
    records = tmp_path / "records"
    records.mkdir()
    received = {"type": "received", "register_no": "0001/PPID/2026", "key": "inbox/a.yaml", "digest": "d",
                "file": "a.yaml", "received_at": "2026-11-20 09:15", "row": {"service": "complaint"},
                "personal": {}, "register_seq": 1, "register_year": 2026}
    for stamped, want in ((old, []), (ev, ["metadata"])):
        (records / "events.jsonl").write_text(json.dumps(received) + "\n" + json.dumps(stamped) + "\n",
                                              encoding="utf-8")
        rec = Register(records).load().records["0001/PPID/2026"]
        assert rec.incoming_pdf == "out/x.pdf" and rec.incoming_dropped == want
