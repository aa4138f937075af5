"""Is this a plausible NIK (KTP-el number)? python-stdnum checks the length, the province
and the birth date; the regency part is looked at against the codes of the office's own
province. A number that only looks doubtful is a warning for the clerk, never a refusal:
real cards carry codes that tables miss."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from flask_babel import gettext as _
from stdnum.exceptions import InvalidComponent, InvalidFormat, InvalidLength, ValidationError
from stdnum.id import nik as stdnik

# Kabupaten/kota codes of Provinsi Nusa Tenggara Timur (53), as Kemendagri numbers them
# (Permendagri 72/2019 on kode wilayah, as amended; the office confirms the list, see the
# README's "Before real use"). 5321 is Kabupaten Malaka (UU 3/2013), missing from some tables.
NTT_REGIONS = {f"53{n:02d}" for n in range(1, 22)} | {"5371"}


@dataclass
class Verdict:
    error: str = ""  # not a NIK at all: refused
    doubts: list[str] = field(default_factory=list)  # looks odd: the clerk confirms


def known_regions(config_dir: Path | None) -> set[str]:
    """NTT's codes plus the office's additions: `nik_regions:` in config/desk.yaml."""
    path = Path(config_dir) / "desk.yaml" if config_dir else None
    if not path or not path.is_file():
        return set(NTT_REGIONS)
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    extra = data.get("nik_regions") or [] if isinstance(data, dict) else []
    return NTT_REGIONS | {str(x) for x in extra}


def check(number: str, regions: set[str]) -> Verdict:
    if not number.isdigit() or len(number) != 16:
        return Verdict(error=_("A NIK has 16 digits; this one has %(n)s.", n=len(number)) if number.isdigit()
                       else _("A NIK has only digits."))
    v = Verdict()
    try:
        stdnik.validate(number)
    except InvalidComponent:
        try:
            stdnik.get_birth_date(number)
            v.doubts.append(_("The province code %(code)s is not known.", code=number[:2]))
        except ValidationError:
            v.doubts.append(_("The birth date in the number (digits 7 to 12) is not a date."))
    except (InvalidLength, InvalidFormat, ValidationError):
        v.doubts.append(_("The number does not look like a NIK."))
    if number[:2] == "53" and number[:4] not in regions:
        v.doubts.append(_("The regency code %(code)s is not one of Nusa Tenggara Timur's.", code=number[:4]))
    return v
