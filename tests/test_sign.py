"""Electronic signatures (issue 13 part 1): real LibreOffice letters, signed with pyHanko,
validated with pyHanko's validator; a PKI made at run time (tests/sign_pki.py), no key
committed."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from pipeline.cli import main
from pipeline.config import load_config
from pipeline.errors import ConfigError
from pipeline.pdf import Signer, issue_letter, verification_code, verify_letter
from pipeline.pdf.sign import load_signing, signature_digest
from pipeline.register import Register
from helpers import ROOT, base_request, write_request
from tests.sign_pki import PASSPHRASE, make_pki

ENV = "PPID_TTE_PASSPHRASE"
QR_IN_FOOTER = re.compile(rb" cm 1 g -2 -2 \d+ \d+ re f 0 g")  # how pdf/stamp.py starts the footer's QR code
EXAMPLES = ROOT / "examples" / "inbox"
FILES = ("2026-11-20-maria-bria.yaml", "2026-11-16-kornelis-jehadu.yaml", "2026-11-05-umbu-remi-hunggu.yaml")


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    return make_pki(tmp_path_factory.mktemp("pki"))


def signing_config(folder: Path, pki, *, p12: Path | None = None, roots=None, block: str | None = None) -> Path:
    """A copy of the office's config folder with a signing: block and the PKI files in tte/."""
    shutil.copytree(ROOT / "config", folder)
    (folder / "tte").mkdir()
    shutil.copy(p12 or pki.signer, folder / "tte" / "kantor.p12")
    for r in roots or [pki.ca]:
        shutil.copy(r, folder / "tte" / r.name)
    if block is None:
        names = ", ".join(f"tte/{r.name}" for r in roots or [pki.ca])
        block = f"signing:\n  pkcs12: tte/kantor.p12\n  passphrase_env: {ENV}\n  trust_roots: [{names}]\n"
    with open(folder / "office.yaml", "a", encoding="utf-8") as f:
        f.write("\n" + block)
    return folder


def run_args(tmp: Path, config: Path) -> list[str]:
    return ["run", str(tmp / "inbox"), "--json", "--config", str(config), "--templates", str(ROOT / "templates"),
            "--records", str(tmp / "records"), "--out", str(tmp / "out"), "--date", "2026-11-27"]


@pytest.fixture(scope="module")
def signed(tmp_path_factory, pki):
    """One real run, with the office's certificate configured: letters of three kinds."""
    tmp = tmp_path_factory.mktemp("signed")
    (tmp / "inbox").mkdir()
    shutil.copytree(EXAMPLES / "lampiran", tmp / "inbox" / "lampiran")
    for name in FILES:
        shutil.copy(EXAMPLES / name, tmp / "inbox" / name)
    config = signing_config(tmp / "config", pki)
    result = CliRunner(env={ENV: PASSPHRASE}).invoke(main, run_args(tmp, config), catch_exceptions=False)
    lines = [json.loads(x) for x in result.stdout.splitlines()]
    letters = [x for line in lines for x in line.get("letters", [])]
    return tmp, config, result, letters


def pyhanko_status(pdf: Path, roots: list[Path]):
    """pyHanko's own validation of the (last) signature in pdf."""
    vc = ValidationContext(trust_roots=[load_cert_from_pemder(str(r)) for r in roots], allow_fetching=False)
    with open(pdf, "rb") as f:
        sig = PdfFileReader(f, strict=False).embedded_signatures[-1]
        return validate_pdf_signature(sig, vc), sig


def text_runs(page) -> list[tuple[str, float, float]]:
    runs = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            runs.append((text.strip(), tm[4] * cm[0] + tm[5] * cm[2] + cm[4], tm[4] * cm[1] + tm[5] * cm[3] + cm[5]))

    page.extract_text(visitor_text=visit)
    return runs


def verify(pdf: Path, records: Path, config: Path):
    return CliRunner().invoke(main, ["verify", str(pdf), "--records", str(records), "--config", str(config)])


# --- signing -----------------------------------------------------------------------

@pytest.mark.slow  # LibreOffice
def test_every_letter_is_signed_and_pyhankos_validator_accepts_it(signed, pki):
    tmp, config, result, letters = signed
    assert result.exit_code == 1  # one of the three requests is incomplete, as in the examples
    assert {x["kind"] for x in letters} == {"receipt", "decision_notice", "consultation_answer", "incomplete_notice"}
    for x in letters:
        status, _ = pyhanko_status(Path(x["pdf"]), [pki.ca])
        assert status.bottom_line and status.intact and status.valid and status.trusted, x["pdf"]
        assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
        assert status.modification_level == ModificationLevel.NONE
        assert "Pejabat PPID KPU Provinsi NTT (uji)" in status.signing_cert.subject.human_friendly


@pytest.mark.slow  # LibreOffice
def test_visible_signature_sits_in_the_signature_block_above_the_signatory(signed):
    """The widget fills the room left for a wet signature, over no text, with the signatory's
    name printed right under it; its QR code replaces the footer's."""
    tmp, config, result, letters = signed
    for x in letters:
        reader = PdfReader(x["pdf"])
        widgets = [(i, a.get_object()) for i, p in enumerate(reader.pages) for a in p.get("/Annots") or []
                   if a.get_object().get("/FT") == "/Sig"]
        assert len(widgets) == 1, x["pdf"]
        index, widget = widgets[0]
        x0, y0, x1, y1 = (float(v) for v in widget["/Rect"])
        assert x1 - x0 > 200 and y1 - y0 > 30  # visible, not a zero-size field
        runs = text_runs(reader.pages[index])
        inside = [t for t, tx, ty in runs if x0 <= tx <= x1 and y0 <= ty <= y1]
        assert inside == [], f"signature over text {inside} in {x['pdf']}"
        below = min((r for r in runs if r[2] < y0), key=lambda r: y0 - r[2])
        assert below[0] == widget["/V"]["/Name"]  # the name under the widget is the signer named in it
        assert reader.pages[index].get("/Annots") and "/AP" in widget
        assert reader.metadata["/PPIDLetterNo"] == x["letter_no"]  # the stamp survives signing
        assert not any(QR_IN_FOOTER.search(p.get_contents().get_data()) for p in reader.pages)


@pytest.mark.slow  # LibreOffice
def test_signature_names_the_letters_signatory(signed):
    tmp, config, result, letters = signed
    office = load_config(config).signatories
    # the consultation answer is signed by the official who answered (spec section 5)
    answerer = yaml.safe_load((EXAMPLES / "2026-11-16-kornelis-jehadu.yaml").read_text(encoding="utf-8"))["answer"]
    kinds = set()
    for x in letters:
        widget = next(a.get_object() for p in PdfReader(x["pdf"]).pages for a in p.get("/Annots") or []
                      if a.get_object().get("/FT") == "/Sig")
        kinds.add(x["kind"])
        if x["kind"] == "consultation_answer":
            assert widget["/V"]["/Name"] == answerer["by"] != office["ppid"]["name"]
        else:  # receipts, notices: the PPID's letters
            assert widget["/V"]["/Name"] == office["ppid"]["name"]
            assert office["ppid"]["title"] in widget["/V"]["/Reason"]
    assert "consultation_answer" in kinds and "receipt" in kinds


@pytest.mark.slow  # LibreOffice
def test_register_records_the_signature_digest(signed):
    tmp, config, result, letters = signed
    events = [json.loads(x) for x in (tmp / "records" / "events.jsonl").read_text().splitlines()]
    issued = {e["pdf"]: e for e in events if e["type"] == "letter"}
    assert len(issued) == len(letters)
    for x in letters:
        e = issued[x["pdf"]]
        _, sig = pyhanko_status(Path(x["pdf"]), [])
        assert e["signature_digest"] == sig.compute_digest().hex() == signature_digest(Path(x["pdf"]).read_bytes())


@pytest.mark.slow  # LibreOffice
def test_stamped_and_signed_letter_passes_qpdf_check_and_popplers_pdfsig(signed):
    """Two more readers than pyHanko: qpdf finds no syntax error; poppler's pdfsig (NSS)
    finds the signature valid over the whole document (it does not know the test CA)."""
    tmp, config, result, letters = signed
    check = subprocess.run(["qpdf", "--check", letters[0]["pdf"]], capture_output=True, text=True)
    assert check.returncode == 0 and "No syntax or stream encoding errors" in check.stdout, check.stdout + check.stderr
    sig = subprocess.run(["pdfsig", "-nocert", letters[0]["pdf"]], capture_output=True, text=True)
    assert "Signature Validation: Signature is Valid." in sig.stdout and "Total document signed" in sig.stdout, sig.stdout
    assert "Signer Certificate Common Name: Pejabat PPID KPU Provinsi NTT (uji)" in sig.stdout


# --- ppid verify -------------------------------------------------------------------

@pytest.mark.slow  # LibreOffice
def test_verify_holds_for_a_signed_letter(signed):
    tmp, config, result, letters = signed
    out = verify(Path(letters[0]["pdf"]), tmp / "records", config)
    assert out.exit_code == 0, out.output
    lines = out.stdout.splitlines()
    assert lines[0].startswith("VERIFIED: letter ")
    for check in ("signature", "certificate chain", "certificate validity", "unchanged since signing",
                  "verification code", "file as issued", "signature in the register"):
        assert any(ln.startswith(f"  holds: {check}: ") for ln in lines), (check, out.stdout)
    assert "does not hold" not in out.stdout


@pytest.mark.slow  # LibreOffice
def test_verify_reports_a_letter_edited_after_signing(signed, tmp_path):
    tmp, config, result, letters = signed
    pdf = Path(letters[0]["pdf"])
    writer = PdfWriter(pdf, incremental=True)  # an incremental edit, as a PDF editor saves one
    writer.add_metadata({"/Subject": "diubah"})
    writer.pages[0].merge_transformed_page(writer.pages[0], (1, 0, 0, 1, 0, 0))  # the page changes
    edited = tmp_path / "diubah.pdf"
    with open(edited, "wb") as f:
        writer.write(f)
    status, _ = pyhanko_status(edited, [])
    assert status.modification_level > ModificationLevel.FORM_FILLING or status.coverage != SignatureCoverageLevel.ENTIRE_FILE
    pdfsig = subprocess.run(["pdfsig", "-nocert", str(edited)], capture_output=True, text=True).stdout
    assert "Total document signed" not in pdfsig  # poppler sees the part after the signature too
    out = verify(edited, tmp / "records", config)
    assert out.exit_code == 1
    assert "  does not hold: unchanged since signing: the file was changed after it was signed" in out.stdout
    assert "NOT VERIFIED: the file was changed after it was signed" in out.stderr


@pytest.mark.slow  # LibreOffice
def test_verify_reports_bytes_changed_inside_the_signature(signed, tmp_path):
    tmp, config, result, letters = signed
    data = bytearray(Path(letters[0]["pdf"]).read_bytes())
    i = data.find(b"/PPIDLetterNo")
    data[i + 2] = ord("Q")  # /PQIDLetterNo: inside the signed range
    forged = tmp_path / "palsu.pdf"
    forged.write_bytes(bytes(data))
    out = verify(forged, tmp / "records", config)
    assert out.exit_code == 1
    assert "  does not hold: signature: the signature does not match the signed content" in out.stdout


@pytest.mark.slow  # LibreOffice
def test_verify_reports_an_unknown_certificate(signed, pki, tmp_path):
    """The office's trust roots do not include the CA that issued the signer's certificate."""
    tmp, config, result, letters = signed
    other = signing_config(tmp_path / "config", pki, roots=[pki.stranger_ca])
    out = verify(Path(letters[0]["pdf"]), tmp / "records", other)
    assert out.exit_code == 1
    assert "  does not hold: certificate chain: the certificate is not trusted: issued by an unknown certificate authority" in out.stdout
    status, _ = pyhanko_status(Path(letters[0]["pdf"]), [pki.stranger_ca])
    assert status.intact and not status.trusted  # pyHanko's validator agrees


def signature_block_pdf(path: Path, name: str = "Nama Pejabat PPID") -> Path:
    """A plain one-page letter with the usual signature block, as LibreOffice lays it out."""
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("Helvetica", 11)
    c.drawString(85, 760, "Dengan hormat, bersama ini kami sampaikan jawaban atas permohonan Saudara.")
    c.drawCentredString(400, 400, "Pejabat Pengelola Informasi dan Dokumentasi")
    c.drawCentredString(400, 386, "Komisi Pemilihan Umum Provinsi Nusa Tenggara Timur,")
    c.setFont("Helvetica-Bold", 11)
    c.drawCentredString(400, 330, name)
    c.save()
    return path


def issue_with(signer: Signer | None, tmp: Path, records: Path, signed_records: Path) -> Path:
    """A letter signed by signer (None: unsigned) and recorded in a copy of the signed run's
    register at records, as ppid run does."""
    shutil.copytree(signed_records, records)
    rno = next(iter(Register(records).load().records))
    src = signature_block_pdf(tmp / "sumber.pdf")
    code = verification_code(src.read_bytes())
    dst = tmp / "surat.pdf"
    issued = issue_letter(src, dst, register_no=rno, letter_no="99/HM.02-SD/53/2026", code=code,
                          qr_payload=f"PPID | 99 | {code}", signer=signer,
                          signatory={"name": "Nama Pejabat PPID", "title": "Pejabat Pengelola Informasi dan Dokumentasi"})
    assert (issued.signature_digest is None) == (signer is None)
    Register(records).append([{"type": "letter", "register_no": rno, "kind": "receipt",
                               "letter_no": "99/HM.02-SD/53/2026", "letter_seq": 99, "letter_year": 2026,
                               "date": "2026-11-27", "docx": "", "pdf": str(dst), "code": code,
                               "sha256": issued.sha256, "signature_digest": issued.signature_digest, "error": None}])
    return dst


@pytest.mark.slow  # LibreOffice
def test_verify_reports_an_expired_certificate(signed, pki, tmp_path):
    tmp, config, result, letters = signed
    records = tmp_path / "records"
    pdf = issue_with(Signer.from_pkcs12(pki.expired, PASSPHRASE), tmp_path, records, tmp / "records")
    out = verify(pdf, records, config)
    assert out.exit_code == 1, out.output
    assert "  does not hold: certificate validity: the certificate was not valid when the letter was signed" in out.stdout
    assert "  holds: certificate chain: " in out.stdout  # issued by the office's CA all the same
    assert "  holds: file as issued: " in out.stdout
    status, _ = pyhanko_status(pdf, [pki.ca])
    assert status.intact and not status.trusted  # pyHanko's validator refuses it too


@pytest.mark.slow  # LibreOffice
def test_verify_library_call_reads_and_never_writes(signed, pki, tmp_path):
    tmp, config, result, letters = signed
    pdf = Path(letters[0]["pdf"])
    before = {p: p.stat().st_mtime_ns for p in (tmp / "records").iterdir()}
    verdict = verify_letter(pdf, Register(tmp / "records").load().codes, load_config(config).signing)
    assert verdict.ok and [c.name for c in verdict.checks][:4] == [
        "signature", "certificate chain", "certificate validity", "unchanged since signing"]
    assert before == {p: p.stat().st_mtime_ns for p in (tmp / "records").iterdir()}


@pytest.mark.slow  # LibreOffice
def test_unsigned_letter_still_verifies_without_signing_config(signed, tmp_path):
    tmp, config, result, letters = signed
    pdf = issue_with(None, tmp_path, tmp_path / "records", tmp / "records")
    out = verify(pdf, tmp_path / "records", ROOT / "config")
    assert out.exit_code == 0 and out.stdout.startswith("VERIFIED: letter 99/HM.02-SD/53/2026")
    assert [ln.split(":")[1].strip() for ln in out.stdout.splitlines()[1:]] == ["verification code", "file as issued"]


# --- config ------------------------------------------------------------------------

def test_signing_block_is_absent_from_the_shipped_config():
    assert load_config(ROOT / "config").signing is None


@pytest.mark.parametrize("block,message", [
    ("signing:\n  pkcs12: tte/kantor.p12\n  passphrase: rahasia\n  passphrase_env: X\n  trust_roots: [tte/ca.pem]\n",
     "signing.passphrase: never write the passphrase in config"),
    ("signing:\n  pkcs12: tte/tidak-ada.p12\n  passphrase_env: X\n  trust_roots: [tte/ca.pem]\n",
     "signing.pkcs12: 'tte/tidak-ada.p12' is not a file"),
    ("signing:\n  pkcs12: tte/kantor.p12\n  passphrase_env: 'bukan nama'\n  trust_roots: [tte/ca.pem]\n",
     "signing.passphrase_env: give the name of the environment variable"),
    ("signing:\n  pkcs12: tte/kantor.p12\n  passphrase_env: X\n  trust_roots: []\n",
     "signing.trust_roots: give a list of root certificate files"),
    ("signing:\n  pkcs12: tte/kantor.p12\n  passphrase_env: X\n  trust_roots: [tte/kantor.p12]\n",
     "signing.trust_roots: 'tte/kantor.p12' is not a PEM or DER certificate"),
    ("signing:\n  pkcs12: tte/kantor.p12\n  passphrase_env: X\n  trust_roots: [tte/ca.pem]\n  pin: 1\n",
     "signing: unknown key(s) pin"),
])
def test_bad_signing_config_is_a_config_error(pki, tmp_path, block, message):
    config = signing_config(tmp_path / "config", pki, block=block)
    with pytest.raises(ConfigError) as err:
        load_config(config)
    assert message in str(err.value) and "office.yaml" in str(err.value)


@pytest.mark.parametrize("case,env,message", [
    ("no passphrase", {}, f"the environment variable {ENV} is not set"),
    ("wrong passphrase", {ENV: "salah"}, "kantor.p12 cannot be opened (wrong passphrase"),
    ("expired", {ENV: PASSPHRASE}, "expired on"),
    ("unknown root", {ENV: PASSPHRASE}, "does not chain to a trust root"),
])
def test_run_refuses_to_start_with_a_certificate_it_cannot_use(pki, tmp_path, case, env, message):
    p12 = pki.expired if case == "expired" else None
    roots = [pki.stranger_ca] if case == "unknown root" else None
    config = signing_config(tmp_path / "config", pki, p12=p12, roots=roots)
    (tmp_path / "inbox").mkdir()
    shutil.copy(EXAMPLES / FILES[0], tmp_path / "inbox")
    shutil.copytree(EXAMPLES / "lampiran", tmp_path / "inbox" / "lampiran")
    env = {ENV: None, **env}
    result = CliRunner(env=env).invoke(main, run_args(tmp_path, config))
    assert result.exit_code == 2, result.output
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "records" / "events.jsonl").exists()  # nothing registered


def test_load_signing_resolves_paths_against_the_config_folder(pki, tmp_path):
    config = signing_config(tmp_path / "config", pki)
    sc = load_signing({"pkcs12": "tte/kantor.p12", "passphrase_env": ENV, "trust_roots": "tte/ca.pem"},
                      config, config / "office.yaml")
    assert sc.pkcs12 == config / "tte" / "kantor.p12" and sc.trust_roots == (config / "tte" / "ca.pem",)
    signer = Signer.from_config(sc, environ={ENV: PASSPHRASE}, now=dt.datetime.now(dt.timezone.utc))
    assert signer.cert.subject.rfc4514_string().startswith("CN=Pejabat PPID")


def test_letter_without_the_usual_signature_block_gets_an_invisible_signature(pki, tmp_path):
    """No signatory's name on the page (a template without the usual block): the signature
    is invisible, still valid, and the QR code stays in the footer."""
    src = signature_block_pdf(tmp_path / "sumber.pdf", name="Nama Orang Lain")
    code = verification_code(src.read_bytes())
    dst = tmp_path / "surat.pdf"
    issue_letter(src, dst, register_no="0001/PPID/2026", letter_no="1/HM", code=code, qr_payload=code,
                 signer=Signer.from_pkcs12(pki.signer, PASSPHRASE), signatory={"name": "Nama Pejabat PPID"})
    status, sig = pyhanko_status(dst, [pki.ca])
    assert status.bottom_line and status.modification_level == ModificationLevel.NONE
    widget = next(a.get_object() for a in PdfReader(dst).pages[0]["/Annots"] if a.get_object().get("/FT") == "/Sig")
    assert [float(v) for v in widget["/Rect"]] == [0, 0, 0, 0]
    assert QR_IN_FOOTER.search(PdfReader(dst).pages[0].get_contents().get_data())


@pytest.mark.slow  # LibreOffice
def test_objection_letters_carry_their_signatorys_signature(signed, tmp_path):
    """The signer shown is the letter's signatory: the objection receipt is the PPID's, who
    registers the objection; the response is the Atasan PPID's (UU KIP Pasal 36)."""
    tmp, config, result, letters = signed
    records = tmp_path / "records"
    shutil.copytree(tmp / "records", records)
    reg = Register(records).load()
    rec = next(r for r in reg.records.values()  # objections only to information requests
               if r.row.get("status") == "answered" and r.row.get("service") == "information")
    target = rec.register_no
    own = base_request("objection")["requester"]  # an objection comes from the requester (spec section 3)
    requester = dict(own, name=rec.row["requester_name"], phone=rec.personal.get("phone") or own["phone"],
                     email=rec.personal.get("email") or own["email"],
                     identity=dict(own["identity"], number=rec.personal.get("identity_number")
                                   or own["identity"]["number"]))
    if rec.row.get("requester_kind") and rec.row["requester_kind"] != "individual":
        requester.update(kind=rec.row["requester_kind"], organization=rec.row.get("requester_organization"))
    objection = base_request("objection", objection_to=target, received="2026-12-01 10:00", requester=requester,
                             decision={"by": "Nama Atasan PPID", "date": "2026-12-03", "result": "upheld",
                                       "reason": "Keputusan PPID sudah sesuai dengan Pasal 17."})
    write_request(tmp_path / "inbox", "keberatan.yaml", objection)
    args = ["run", str(tmp_path / "inbox"), "--json", "--config", str(config), "--templates", str(ROOT / "templates"),
            "--records", str(records), "--out", str(tmp_path / "out"), "--date", "2026-12-03"]
    out = CliRunner(env={ENV: PASSPHRASE}).invoke(main, args, catch_exceptions=False)
    issued = [x for line in out.stdout.splitlines() for x in json.loads(line).get("letters", [])]
    assert issued and all(x["kind"].startswith("objection") for x in issued), out.output
    office = load_config(config).signatories
    assert sorted(x["kind"] for x in issued) == ["objection_receipt", "objection_response"], out.output
    for x in issued:
        signs = office["ppid" if x["kind"] == "objection_receipt" else "atasan_ppid"]
        widget = next(a.get_object() for p in PdfReader(x["pdf"]).pages for a in p.get("/Annots") or []
                      if a.get_object().get("/FT") == "/Sig")
        assert widget["/V"]["/Name"] == signs["name"] and signs["title"] in widget["/V"]["/Reason"]
        assert float(widget["/Rect"][2]) - float(widget["/Rect"][0]) > 200  # visible, in the block
        assert verify(Path(x["pdf"]), records, config).exit_code == 0
