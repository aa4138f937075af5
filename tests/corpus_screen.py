"""The evasion corpus of the personal-data screen (issue 17; STYLE rule 17), made from a fixed seed.

`disguised()` writes requests for personal data the way a hostile requester would, each
with one disguise family (or two, `combined`); `must_pass()` writes aggregates and what
the law makes public, which must stay open. The look-alike tables here are written out by
hand, not taken from the tables the normaliser uses.

Families the screen was designed against: DESIGNED. Families held back while designing
(written and run only after the screen was done, as a test of generalisation): HELD_BACK.
"""

from __future__ import annotations

import random

# --- what is asked for: (phrase, category) --------------------------------------------
DATA = [
    ("NIK", "identity_number"), ("NKK", "identity_number"), ("nomor induk kependudukan", "identity_number"),
    ("nomor kartu keluarga", "identity_number"), ("KTP", "identity_number"), ("nomor KTP", "identity_number"),
    ("e-KTP", "identity_number"), ("KTP-el", "identity_number"), ("kartu tanda penduduk", "identity_number"),
    ("paspor", "identity_number"), ("tanggal lahir", "birth"), ("tempat lahir", "birth"),
    ("tempat dan tanggal lahir", "birth"), ("nama dan alamat", "address"), ("alamat rumah", "address"),
    ("alamat tempat tinggal", "address"), ("nomor telepon", "contact"), ("nomor WhatsApp", "contact"),
    ("alamat email", "contact"), ("rekam medis", "health"), ("riwayat kesehatan", "health"),
    ("surat keterangan sehat", "health"), ("diagnosa penyakit", "health"), ("keterangan disabilitas", "disability"),
    ("jenis disabilitas", "disability"), ("biodata", "persons_by_name"), ("nama lengkap", "persons_by_name"),
]

# Other words for the same data (the synonyms family).
SYNONYMS = [
    ("no induk kependudukan", "identity_number"), ("salinan e-KTP", "identity_number"),
    ("fotocopy ktp", "identity_number"), ("scan KTP elektronik", "identity_number"), ("nomor KK", "identity_number"),
    ("kartu keluarga", "identity_number"), ("identitas kependudukan", "identity_number"),
    ("kartu tanda penduduk elektronik", "identity_number"), ("nomor paspor", "identity_number"),
    ("rekam medik", "health"), ("catatan medis", "health"), ("riwayat penyakit", "health"), ("hasil lab", "health"),
    ("hasil pemeriksaan kesehatan", "health"), ("status kesehatan", "health"), ("surat keterangan dokter", "health"),
    ("penyandang cacat", "disability"), ("difabel", "disability"), ("tuna daksa", "disability"),
    ("tunanetra", "disability"), ("odgj", "disability"), ("gangguan jiwa", "disability"),
    ("nomor HP", "contact"), ("nomor ponsel", "contact"), ("email pribadi", "contact"), ("kontak pribadi", "contact"),
    ("tgl lahir", "birth"), ("TTL", "birth"), ("data pribadi", "persons_by_name"), ("nama-nama", "persons_by_name"),
]

# Names and addresses, phrased many ways (the names_addresses family).
NAMES_ADDRESSES = [
    "nama dan alamat", "nama beserta alamat", "nama serta alamat", "by name by address", "nama lengkap dan alamat rumah",
    "alamat tempat tinggal", "alamat domisili", "daftar nama", "nama-nama dan alamat", "alamat lengkap",
]

# Requests that ask for data of persons, many of them with words of an open rule in them.
FRAMES = [
    "Rekap DPT {place} beserta {x} tiap pemilih",
    "Data pemilih pemula lengkap dengan {x}",
    "Daftar pemilih disabilitas {place} dengan {x}",
    "Data pemilih pemula {place} termasuk {x}",
    "Mohon {x} seluruh pemilih pemula di {place}",
    "File excel pemutakhiran data pemilih {place} yang memuat {x}",
    "{x} pemilih disabilitas Kecamatan {place}",
    "Daftar pemilih TPS {n} {place} berikut {x}",
    "Data pemilih disabilitas {place} tahun {y} dengan {x}",
    "Rekap DPT {y} {place} per TPS lengkap dengan {x} pemilih",
    "Saya minta {x} pemilih pemula {place} untuk penelitian",
    "Data pemutakhiran data pemilih {place} berisi {x} masing-masing pemilih",
    "{x} pemilih yang memilih calon terpilih DPRD {place} di TPS {n}",
    "Jumlah pemilih disabilitas {place} dan {x}",
]
PLACES = ["Kota Kupang", "Kabupaten Belu", "Oebobo", "Alak", "Maulafa", "Kabupaten Ende", "Sikka", "Kabupaten Alor",
          "Manggarai Barat", "Sumba Timur", "Rote Ndao", "Kelapa Lima"]

# --- look-alikes, written out by hand -------------------------------------------------
CYRILLIC = {"a": "\u0430", "c": "\u0441", "e": "\u0435", "i": "\u0456", "j": "\u0458", "k": "\u043a", "o": "\u043e",
            "p": "\u0440", "s": "\u0455", "x": "\u0445", "y": "\u0443", "h": "\u04bb", "d": "\u0501",
            "A": "\u0410", "B": "\u0412", "E": "\u0415", "K": "\u041a", "M": "\u041c", "H": "\u041d", "O": "\u041e",
            "P": "\u0420", "C": "\u0421", "T": "\u0422", "X": "\u0425", "I": "\u0406"}
GREEK = {"a": "\u03b1", "i": "\u03b9", "k": "\u03ba", "o": "\u03bf", "p": "\u03c1", "v": "\u03bd", "u": "\u03c5",
         "A": "\u0391", "B": "\u0392", "E": "\u0395", "Z": "\u0396", "H": "\u0397", "I": "\u0399", "K": "\u039a",
         "M": "\u039c", "N": "\u039d", "O": "\u039f", "P": "\u03a1", "T": "\u03a4", "Y": "\u03a5", "X": "\u03a7"}
ARMENIAN = {"n": "\u0578", "o": "\u0585", "u": "\u057d", "h": "\u0570", "g": "\u0581", "q": "\u0566",
            "O": "\u0555", "S": "\u054f", "U": "\u054d"}
CHEROKEE = {"A": "\u13aa", "B": "\u13f4", "C": "\u13df", "D": "\u13a0", "E": "\u13ac", "G": "\u13c0", "H": "\u13bb",
            "J": "\u13ab", "K": "\u13e6", "L": "\u13de", "M": "\u13b7", "P": "\u13e2", "R": "\u13a1", "S": "\u13da",
            "T": "\u13a2", "V": "\u13d9", "W": "\u13b3", "Z": "\u13c3", "I": "\u13a5"}
SMALL_CAPS = dict(zip("abcdefghijklmnoprstuvwyz", "\u1d00\u0299\u1d04\u1d05\u1d07\ua730\u0262\u029c\u026a\u1d0a\u1d0b"
                                                   "\u029f\u1d0d\u0274\u1d0f\u1d18\u0280\ua731\u1d1b\u1d1c\u1d20\u1d21"
                                                   "\u028f\u1d22"))
OCR = {"i": "1", "o": "0", "e": "3", "a": "4", "s": "5", "t": "7", "b": "8", "g": "9"}
ZERO_WIDTH = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"]
ACCENTS = ["\u0301", "\u0300", "\u0308", "\u0302", "\u0303", "\u0327", "\u0323"]
SEPARATORS = ["/", "_", "*", "\u2022", "\u00b7", " . ", "-", ":"]

# Mathematical alphabets (bold, italic, bold italic, script, bold script, fraktur,
# double-struck, sans, sans bold, monospace): capital A of each.
STYLED_CAPITALS = [0x1D400, 0x1D434, 0x1D468, 0x1D4D0, 0x1D56C, 0x1D5A0, 0x1D5D4, 0x1D670]
STYLED_SMALL = [0x1D41A, 0x1D44E, 0x1D482, 0x1D4EA, 0x1D586, 0x1D5BA, 0x1D5EE, 0x1D68A]


def _letters(x: str, table: dict[str, str], rnd: random.Random, p: float = 0.8) -> str:
    return "".join(table[c] if c in table and rnd.random() < p else c for c in x)


def _styled(x: str, rnd: random.Random) -> str:
    k = rnd.randrange(len(STYLED_CAPITALS))
    out = "".join(chr(STYLED_CAPITALS[k] + ord(c) - 65) if "A" <= c <= "Z" else
                  chr(STYLED_SMALL[k] + ord(c) - 97) if "a" <= c <= "z" else c for c in x)
    return out.replace("\U0001d455", "\u210e")  # mathematical italic small h lives at U+210E


def _enclosed(x: str, rnd: random.Random) -> str:
    kind = rnd.choice(["circled", "squared", "negative_squared", "negative_circled", "parenthesized"])
    base = {"circled": 0x24B6, "squared": 0x1F130, "negative_squared": 0x1F170, "negative_circled": 0x1F150,
            "parenthesized": 0x1F110}[kind]
    return "".join(chr(base + ord(c.upper()) - 65) if c.isascii() and c.isalpha() else c for c in x)


def _fullwidth(x: str, rnd: random.Random) -> str:
    out = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in x)
    return "\u3000".join(out) if rnd.random() < 0.4 and len(x) <= 4 else out


def _ocr(x: str, rnd: random.Random) -> str:
    words = []
    for w in x.split(" "):
        if len(w) <= 5 or rnd.random() < 0.5:
            w = "".join(OCR[c] if c in OCR and rnd.random() < 0.5 else c for c in w)
            if w.isupper() and "I" in w and rnd.random() < 0.5:
                w = w.replace("I", rnd.choice(["1", "l", "|"]), 1)
        words.append(w)
    return " ".join(words)


def _spaced(x: str, rnd: random.Random) -> str:
    sep = rnd.choice([" ", "  ", " ", "\u00a0"])
    return " ".join(sep.join(w) if len(w) <= 5 else w for w in x.split(" "))


def _abbreviated(x: str, rnd: random.Random) -> str:
    x = x.replace("nomor", rnd.choice(["no.", "no", "nmr", "nmr.", "nomer", "No."]))
    x = x.replace("tanggal", rnd.choice(["tgl", "tgl.", "tggl"])).replace("alamat", rnd.choice(["almt", "alamat"]))
    x = x.replace("dengan", rnd.choice(["dgn", "dg", "dengan"]))
    return x


def _suffixed(x: str, rnd: random.Random) -> str:
    return x + rnd.choice(["nya", "pun", "kah", "lah", "mu", "ku", "nyapun", "nyakah"])


def _zero_width(x: str, rnd: random.Random) -> str:
    return "".join(c + (rnd.choice(ZERO_WIDTH) if c != " " and rnd.random() < 0.6 else "") for c in x)


def _dotted(x: str, rnd: random.Random) -> str:
    return " ".join(".".join(w) + "." if len(w) <= 4 else w for w in x.split(" "))


def _hyphenated(x: str, rnd: random.Random) -> str:
    return "-".join(x.split(" ")) if " " in x else "-".join(x)


def _mixed_case(x: str, rnd: random.Random) -> str:
    return "".join(c.upper() if rnd.random() < 0.5 else c.lower() for c in x)


def _accented(x: str, rnd: random.Random) -> str:
    return "".join(c + rnd.choice(ACCENTS) if c.isalpha() and rnd.random() < 0.6 else c for c in x)


def _separated(x: str, rnd: random.Random) -> str:
    sep = rnd.choice(SEPARATORS)
    return " ".join(sep.join(w) if len(w) <= 5 else w for w in x.split(" "))


def _superscript(x: str, rnd: random.Random) -> str:
    sup = dict(zip("ABDEGHIJKLMNOPRTUW", "\u1d2c\u1d2e\u1d30\u1d31\u1d33\u1d34\u1d35\u1d36\u1d37\u1d38\u1d39\u1d3a"
                                          "\u1d3c\u1d3e\u1d3f\u1d40\u1d41\u1d42"))
    return "".join(sup.get(c.upper(), c) if c.isalpha() else c for c in x)


def _regional(x: str, rnd: random.Random) -> str:
    # regional indicator symbols (the letters of flag emoji), a space between so no pair renders as a flag
    return "".join(chr(0x1F1E6 + ord(c.upper()) - 65) + "\u200b" if c.isascii() and c.isalpha() else c for c in x)


def _combined(x: str, rnd: random.Random) -> str:
    first, second = rnd.sample([_spaced, _fullwidth, _ocr, _zero_width, _mixed_case, _abbreviated,
                                lambda s, r: _letters(s, CYRILLIC, r)], 2)
    return second(first(x, rnd), rnd)


DESIGNED = {
    "spaced": _spaced,
    "fullwidth": _fullwidth,
    "ocr": _ocr,
    "styled": _styled,
    "enclosed": _enclosed,
    "small_caps": lambda x, r: _letters(x.lower(), SMALL_CAPS, r, 1.0),
    "cyrillic": lambda x, r: _letters(x, CYRILLIC, r),
    "greek": lambda x, r: _letters(x, GREEK, r),
    "armenian": lambda x, r: _letters(x, ARMENIAN, r),
    "cherokee": lambda x, r: _letters(x.upper(), CHEROKEE, r),
    "abbreviations": _abbreviated,
    "suffixes": _suffixed,
    "synonyms": None,  # the synonym itself is the disguise
    "zero_width": _zero_width,
    "dotted": _dotted,
    "hyphenated": _hyphenated,
    "mixed_case": _mixed_case,
    "names_addresses": None,
}
HELD_BACK = {
    "accented": _accented,
    "separators": _separated,
    "superscript": _superscript,
    "regional_indicators": _regional,
    "combined": _combined,
}
FAMILIES = {**DESIGNED, **HELD_BACK}


def disguised(per_family: int = 110, seed: int = 17) -> list[tuple[str, str, str]]:
    """(item, family, category) for every family, `per_family` items each."""
    rnd = random.Random(seed)
    out = []
    for family, fn in FAMILIES.items():
        for _ in range(per_family):
            frame = rnd.choice(FRAMES)
            if family == "synonyms":
                x, category = rnd.choice(SYNONYMS)
            elif family == "names_addresses":
                x, category = rnd.choice(NAMES_ADDRESSES), "address"
            else:
                x, category = rnd.choice(DATA)
                x = fn(x, rnd)
            item = frame.format(x=x, place=rnd.choice(PLACES), n=rnd.randint(1, 60), y=rnd.choice([2019, 2024]))
            out.append((item, family, category))
    return out


# --- what must stay open: aggregates and what the law makes public ------------------
AGGREGATES = [
    "Jumlah pemilih disabilitas per kecamatan di {place}",
    "Jumlah pemilih disabilitas {place} Pemilu {y} per jenis disabilitas",
    "Rekapitulasi pemilih disabilitas Pemilu {y} per kabupaten/kota",
    "Persentase pemilih disabilitas yang menggunakan hak pilih di {place}",
    "Jumlah pemilih pemula per kabupaten tahun {y}",
    "Jumlah pemilih yang belum memiliki KTP-el di {place}",
    "Persentase pemilih yang belum memiliki e-KTP per kecamatan {place}",
    "Jumlah DPT Pemilu {y} per kecamatan di {place}",
    "Rekap DPT {place} Pemilu {y} per kecamatan",
    "Jumlah pemilih tunanetra per kecamatan di {place}",
    "Rekapitulasi hasil penghitungan suara {place} tahun {y}",
    "Data agregat pemilih disabilitas per desa/kelurahan {place}",
    "Jumlah pemilih berdasarkan tahun lahir per kabupaten {y}",
    "Statistik pemilih disabilitas Pemilu {y} {place}",
    "Jumlah pemilih pemula dan pemilih disabilitas per kecamatan {place}",
    "Tingkat partisipasi pemilih disabilitas Pemilu {y}",
]
PUBLIC = [
    "Daftar calon tetap anggota DPRD {place} Pemilu {y}",
    "Daftar nama calon terpilih DPRD {place} {y}",
    "Daftar calon sementara (DCS) DPRD Provinsi NTT {y}",
    "Nama-nama calon anggota DPRD {place} dalam DCT {y}",
    "Penetapan calon terpilih anggota DPRD {place} {y}",
    "Profil pasangan calon Bupati {place} {y}",
    "Daftar pejabat KPU Provinsi NTT {y}",
    "Struktur organisasi dan nama pejabat Sekretariat KPU {place}",
    "Keputusan KPU tentang penetapan pasangan calon Gubernur {y}",
    "Laporan dana kampanye pasangan calon Bupati {place} {y}",
]
ORDINARY = [
    "Laporan realisasi anggaran hibah pemilihan {place} {y}",
    "Jadwal dan tahapan Pemilihan Bupati {place} {y}",
    "Salinan formulir C.Hasil TPS {n} {place}",
    "Rencana umum pengadaan KPU Provinsi NTT {y}",
    "Laporan kinerja KPU {place} tahun {y}",
    "Lokasi TPS di {place} Pemilu {y}",
    "Standar pelayanan dan maklumat pelayanan PPID {y}",
    "Materi sosialisasi pendidikan pemilih {place}",
]


def must_pass(per_template: int = 10, seed: int = 29) -> list[tuple[str, str]]:
    """(item, kind) for aggregates, public names and ordinary public information."""
    rnd = random.Random(seed)
    out = []
    for kind, templates in (("aggregate", AGGREGATES), ("public", PUBLIC), ("ordinary", ORDINARY)):
        for t in templates:
            for _ in range(per_template):
                out.append((t.format(place=rnd.choice(PLACES), y=rnd.choice([2019, 2024]), n=rnd.randint(1, 60)),
                            kind))
    return out


def figures() -> str:
    """The corpus's figures as a table: `python tests/corpus_screen.py` from the repository root."""
    import collections
    from pathlib import Path

    from pipeline import rules
    from pipeline.config import load_config

    cfg = load_config(Path(__file__).resolve().parent.parent / "config")
    table: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for item, family, _ in disguised():
        [r] = rules.classify([item], cfg.rules, screen=cfg.screen)
        how = "opened" if r.status == "open" else "screen" if r.screen else "closing rule" if (
            r.status in rules.CLOSING or r.proposed in rules.CLOSING) else r.status
        table[family][how] += 1
    lines = [f"{'family':<22}{'items':>6}{'screen':>8}{'closing':>9}{'opened':>8}  held back"]
    for family, c in table.items():
        lines.append(f"{family:<22}{sum(c.values()):>6}{c['screen']:>8}{c['closing rule']:>9}{c['opened']:>8}  "
                     f"{'yes' if family in HELD_BACK else ''}")
    passed = [rules.classify([item], cfg.rules, screen=cfg.screen)[0] for item, _ in must_pass()]
    kinds = collections.Counter(kind for _, kind in must_pass())
    still = collections.Counter(kind for (_, kind), r in zip(must_pass(), passed) if r.status == "open")
    lines.append(f"must pass: {sum(still.values())}/{len(passed)} open "
                 + ", ".join(f"{k} {still[k]}/{n}" for k, n in kinds.items()))
    return "\n".join(lines)


if __name__ == "__main__":
    print(figures())
