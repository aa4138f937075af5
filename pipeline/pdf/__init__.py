"""PDFs: conversion, the outgoing letter's stamp and signature, the receipt stamp, verification.

One module per job:

- ``convert``: LibreOffice batch conversion (``ConverterPool``, ``convert_to_pdf``).
- ``stamp``: the outgoing letter's footer, QR code and metadata (``stamp_letter``).
- ``issue``: stamp, then sign: the letter as sent (``issue_letter``).
- ``sign``: the PAdES signature of an outgoing letter (pyHanko), when the office has a
  certificate (``signing:`` in config/office.yaml).
- ``incoming``: the DITERIMA stamp on the requester's own letter (``stamp_incoming``).
- ``verify``: verification codes and the checks of ``ppid verify``.
- ``reading`` and ``draw``: safe reading of untrusted files; raw PDF drawing.

This module names what the rest of the code may use. pypdf, Pillow, reportlab, qrcode
and pyHanko are imported where used, so that commands that make no PDFs start quickly.
"""

import logging

# pypdf reports what it repairs in a damaged file ("incorrect startxref pointer") through
# logging; with no handler configured, Python prints it on stderr, in the middle of ppid's
# own output. A NullHandler keeps it quiet and still lets an application that configures
# logging (or pytest's caplog) see it. ppid says in its own words what is wrong with a file.
for _name in ("pypdf", "pyhanko", "pyhanko_certvalidator"):
    logging.getLogger(_name).addHandler(logging.NullHandler())

from pipeline.pdf.convert import ConversionResult, ConverterPool, convert_to_pdf, find_soffice  # noqa: E402
from pipeline.pdf.incoming import Placement, stamp_incoming  # noqa: E402
from pipeline.pdf.issue import Issued, issue_letter  # noqa: E402
from pipeline.pdf.reading import AttachmentError  # noqa: E402
from pipeline.pdf.sign import Signer, SigningConfig, load_signing  # noqa: E402
from pipeline.pdf.stamp import StampInfo, stamp_letter  # noqa: E402
from pipeline.pdf.verify import Check, Verdict, read_stamp, sha256_file, verification_code, verify_letter  # noqa: E402

__all__ = [
    "AttachmentError", "Check", "ConversionResult", "ConverterPool", "Issued", "Placement", "Signer", "SigningConfig", "StampInfo",
    "convert_to_pdf", "find_soffice", "issue_letter", "load_signing", "read_stamp", "sha256_file",
    "stamp_incoming", "stamp_letter", "Verdict", "verification_code", "verify_letter",
]
