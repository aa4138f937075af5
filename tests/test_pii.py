"""Personal data typed into free text (issue 18 item 6): a generated corpus of disguises that
must all be masked, and a corpus of numbers and words that must come through unchanged."""

from __future__ import annotations

import random
import re

import pandas as pd
import pytest
from click.testing import CliRunner

from helpers import TEMPLATES, base_request, write_request
from pipeline import export, pii
from pipeline.book import read_book
from pipeline.cli import main

SEED = 20261125
NAMES = ["Yuliana Nenobais", "Maria Goreti Bria", "Yohanes Ndun", "Kornelis Bani", "Agustinus Lake",
         "Fransiska Romana Tiu", "Deviyanti Manafe", "Oktovianus Seran"]
CONTEXTS = ["Mohon hubungi saya di {x} untuk konfirmasi", "Salinan SK penetapan, kirim ke {x}", "{x}",
            "Data pemilih disabilitas per kabupaten/kota (kontak: {x})", "Rekap DPT Pemilu 2024; {x} terima kasih",
            "Penelitian skripsi, pembimbing dapat dihubungi lewat {x}."]
MOBILE = ["0811", "0812", "0813", "0821", "0822", "0852", "0853", "0857", "0878", "0896"]
PLACES = ["5371", "5301", "5302", "5303", "5310", "5313", "5321", "3171", "5171", "6471"]


def _phone(r: random.Random) -> str:
    if r.random() < 0.2:  # a Kupang landline
        a, b = "0380", f"{r.randrange(800000, 899999)}"
        return r.choice([f"{a} {b}", f"({a}) {b}", f"{a}-{b}", f"+62 380 {b}", f"{a}{b}"])
    p, d = r.choice(MOBILE), f"{r.randrange(10 ** 7, 10 ** 8)}"
    a, b, c = p[1:], d[:4], d[4:]
    return r.choice([
        f"{p}{d}", f"{p}-{b}-{c}", f"{p} {b} {c}", f"{p}  {b}  {c}", f"({p}) {d[:3]}-{d[3:]}",
        f"{p}.{b}.{c}", f"+62 {a}-{b}-{c}", f"+62{a}{d}", f"62{a}{d}", f"+62 ({a}) {b} {c}", f"+62-{a}-{d}",
        f"{p[:2]} {p[2:]} {b} {c}",
    ])


def _identity(r: random.Random) -> str:
    if r.random() < 0.1:
        return f"{r.choice('ABCEX')}{r.randrange(10 ** 6, 10 ** 7 - 1):07d}"  # a passport-like number
    n = r.choice(PLACES) + f"{r.randrange(10 ** 11, 10 ** 12)}"
    g = [n[i:i + 4] for i in range(0, 16, 4)]
    return r.choice([n, "/".join(g), " ".join(g), "-".join(g), ".".join(g), f"{n[:6]} {n[6:12]} {n[12:]}",
                     "  ".join(g), "5371/0000/0000/0099"])


def _email(r: random.Random, name: str) -> str:
    first, last = name.lower().split()[0], name.lower().split()[-1]
    local = r.choice([f"{first}.{last[0]}", f"{first}{r.randrange(10, 99)}", f"{last}_{first}", first])
    dom, tld = r.choice([("example", "org"), ("gmail", "com"), ("undana.ac", "id"), ("yahoo.co", "id")])
    dot = lambda s, d: s.replace(".", d)  # noqa: E731
    return r.choice([
        f"{local}@{dom}.{tld}", f"{local}＠{dom}.{tld}", f"{local} [at] {dot(dom, ' [dot] ')} [dot] {tld}",
        f"{local}(at){dot(dom, '(dot)')}(dot){tld}", f"{local} at {dot(dom, ' dot ')} dot {tld}",
        f"{local} (at) {dot(dom, ' (dot) ')} (dot) {tld}", f"{local}{{at}}{dom}.{tld}", f"{local} @ {dom} . {tld}",
        f"{local}＠{dom}．{tld}", f"{local.upper()}@{dom.upper()}.{tld.upper()}",
    ])


def _own_name(r: random.Random, name: str) -> str:
    words = name.split()
    return r.choice([
        name, ", ".join([words[-1], " ".join(words[:-1])]), " ".join(reversed(words)).upper(), "-".join(words),
        "  ".join(words).lower(), "".join(words), " ".join(words[0]), f"Sdri. {words[-1]}",
    ])


def positives(n: int = 600) -> list[tuple[str, str, list[str]]]:
    """(text, requester name, pieces that must not survive), `n` of them."""
    r = random.Random(SEED)
    out = []
    kinds = ["phone", "identity", "email", "name"]
    for i in range(n):
        name = r.choice(NAMES)
        kind = kinds[i % 4]
        value = {"phone": lambda: _phone(r), "identity": lambda: _identity(r), "email": lambda: _email(r, name),
                 "name": lambda: _own_name(r, name)}[kind]()
        if kind in ("phone", "identity"):
            pieces = [g for g in re.findall(r"\d{3,}", value) if len(g) >= 3]
            pieces += re.findall(r"[A-Z]\d{7}", value)
        elif kind == "email":
            pieces = [w for w in re.findall(r"[^\W\d_]{3,}", value.split("@")[0].split("＠")[0].split(" ")[0].split("(")[0].split("{")[0])]
        else:
            pieces = [w for w in name.split() if len(w) >= 3]
        out.append((r.choice(CONTEXTS).format(x=value), name, pieces))
    return out


# --- the families a second hostile test found passing (issue 18, "a fresh hostile test") ----------

SPELL = {"0": ["nol", "kosong"], "1": ["satu"], "2": ["dua"], "3": ["tiga"], "4": ["empat"], "5": ["lima"],
         "6": ["enam"], "7": ["tujuh"], "8": ["delapan"], "9": ["sembilan"]}
OTHERS = ["Yohanes Ndun", "Maria Goreti", "Kornelis Bani", "Agustinus Lake", "Fransiska Tiu", "Oktovianus Seran",
          "Petrus", "Yosefina Mau Bria", "Dominggus Nope"]
STREETS = ["Soeharto", "El Tari", "Timor Raya", "Frans Seda", "Adisucipto", "Mawar", "Cak Doko", "W.J. Lalamentik"]


def _npwp(r: random.Random) -> str:
    from stdnum.id import npwp
    from stdnum import luhn

    while True:
        head = f"{r.randrange(1, 99):02d}{r.randrange(10 ** 6, 10 ** 7)}"
        n = head + luhn.calc_check_digit(head) + f"{r.randrange(0, 999):03d}{r.randrange(0, 999):03d}"
        if npwp.is_valid(n):
            return r.choice([npwp.format(n), n, "0" + n, f"{n[:2]} {n[2:5]} {n[5:8]} {n[8]} {n[9:12]} {n[12:]}"])


def _swapped(r: random.Random) -> str:
    """A NIK or phone with look-alike letters for some digits."""
    value = r.choice([_phone, _identity])(r)
    while not re.search(r"[01]", value) or not re.search(r"\d{3}", value):
        value = _identity(r)
    digits = [i for i, c in enumerate(value) if c in "01"]
    chars = list(value)
    for i in r.sample(digits, min(len(digits), r.choice([1, 1, 2]))):
        chars[i] = r.choice("Oo") if chars[i] == "0" else r.choice("lI")
    return "".join(chars)


def _odd_phone(r: random.Random) -> str:
    p, d = r.choice(MOBILE), f"{r.randrange(10 ** 7, 10 ** 8)}"
    return r.choice([f"{p}-{d[:2]}-{d[2:5]}-{d[5:]}", f"{p[:3]}-{p[3]}{d[:3]}-{d[3:]}", f"{p}.{d[:2]}.{d[2:5]}.{d[5:]}",
                     f"{p} {d[:2]} {d[2:4]} {d[4:6]} {d[6:]}", f"{p}/{d[:4]}/{d[4:]}", f"{p[:2]}-{p[2:]}-{d}"])


def _spelled(r: random.Random) -> str:
    value = re.sub(r"\D", "", r.choice([_phone, _identity])(r))
    value = value if value[0] != "+" else value[1:]
    if len(value) < 10:
        value = "0812" + f"{r.randrange(10 ** 7, 10 ** 8)}"
    head = r.choice([0, 0, 4]) if value.startswith("0") else 0  # "0812 tiga empat …" now and then
    words = [r.choice(SPELL[c]) for c in value[head:]]
    sep = r.choice([" ", " ", "-", ", "])
    return (value[:head] + " " if head else "") + sep.join(words)


def _account(r: random.Random) -> str:
    n = "".join(str(r.randrange(10)) for _ in range(r.choice([10, 13, 15])))
    grouped = r.choice([n, f"{n[:4]}-{n[4:6]}-{n[6:]}", f"{n[:3]} {n[3:6]} {n[6:]}", f"{n[:4]}.{n[4:]}"])
    return r.choice([f"rek. BRI {grouped}", f"no rekening {grouped}", f"Rekening BNI: {grouped}",
                     f"norek {grouped}", f"transfer ke Bank NTT {grouped} a.n. Kantor", f"no. rek Mandiri {grouped}"])


def _address(r: random.Random) -> str:
    st, no = r.choice(STREETS), r.randrange(1, 200)
    rt, rw = f"{r.randrange(1, 30):03d}", f"{r.randrange(1, 15):03d}"
    return r.choice([f"Jl. {st} No. {no} RT {rt}/RW {rw}", f"Jalan {st} nomor {no}", f"Jln. {st} No.{no}",
                     f"Gang {st} {no}", f"RT/RW {rt}/{rw}", f"JL. {st.upper()} NO. {no}, RT. {rt} RW. {rw}",
                     f"Gg. {st} No. {no}B", f"RT {int(rt)} RW {int(rw)}"])


def _third_party(r: random.Random) -> str:
    who = r.choice(OTHERS)
    return r.choice([f"Bapak {who}", f"Bpk. {who}", f"Ibu {who}", f"Sdr. {who}", f"Sdri. {who}", f"almarhum {who}",
                     f"anak saya {who}", f"suami saya {who}", f"istri {who}", f"Alm. {who}", f"a.n. {who}",
                     f"anak saya yang bernama {who}", f"Bapak Dr. {who}"])


FAMILIES = {"swapped": _swapped, "odd phone": _odd_phone, "spelled": _spelled, "npwp": _npwp,
            "account": _account, "address": _address, "third party": _third_party}


def more_positives(n: int = 700) -> list[tuple[str, str, list[str]]]:
    """(text, requester name, pieces that must not survive) for the families above, `n` of them."""
    r = random.Random(SEED + 2)
    kinds = list(FAMILIES)
    out = []
    for i in range(n):
        kind = kinds[i % len(kinds)]
        value = FAMILIES[kind](r)
        if kind == "third party":
            pieces = [w for w in value.split() if w[0].isupper() and w.rstrip(".") not in
                      ("Bapak", "Bpk", "Ibu", "Sdr", "Sdri", "Alm", "Dr")]
        elif kind == "address":
            pieces = re.findall(r"\d+", value) + [w for w in re.findall(r"[A-Za-z]{4,}", value)
                                                  if w.lower() not in ("jalan", "nomor", "gang")]
        elif kind == "spelled":
            pieces = [" ".join(value.replace(",", "").replace("-", " ").split()[i:i + 3])
                      for i in range(0, len(value.split()) - 2, 3)]
        else:
            pieces = [g for g in re.findall(r"[\dOoIl]{3,}", value) if re.search(r"\d", g)]
        out.append((r.choice(CONTEXTS).format(x=value), r.choice(NAMES), pieces))
    return out


def more_negatives(n: int = 400) -> list[str]:
    """Text near those families that holds no personal data: offices, bodies, counts, roads as words."""
    r = random.Random(SEED + 3)
    y = lambda: r.randrange(1999, 2031)  # noqa: E731
    makers = [
        lambda: f"Surat Bapak Ketua KPU Provinsi NTT tahun {y()}",
        lambda: f"Jawaban Ibu Ketua Bawaslu Kabupaten Kupang nomor {r.randrange(1, 999)}/PP.01/{y()}",
        lambda: f"Undangan kepada Sdr. Ketua KPU Kota Kupang tanggal {r.randrange(1, 29)} {r.choice(MONTHS)} {y()}",
        lambda: f"Ibu Kota Provinsi dan {r.randrange(2, 22)} kabupaten",
        lambda: f"Bapak Gubernur NTT dan Ibu Bupati Kupang, rapat {y()}",
        lambda: f"Laporan Bawaslu dan DKPP tahun {y()}; KPU RI Nomor {r.randrange(1, 2000)} Tahun {y()}",
        lambda: f"Rekap DPT {y()} per kecamatan (Ketua RT {r.randrange(1, 30):03d} hadir)",
        lambda: f"rekening kas umum daerah, saldo Rp {r.randrange(1, 999) * 1000:,}".replace(",", "."),
        lambda: f"Rekening dana kampanye {y()}: penerimaan Rp{r.randrange(1, 999)} juta",
        lambda: f"proses berjalan {r.randrange(2, 30)} hari; jalan keluar sengketa Pasal {r.randrange(1, 40)}",
        lambda: f"ibu rumah tangga dan bapak-bapak di {r.randrange(2, 300)} desa",
        lambda: f"Anggaran satu tahun {y()} untuk dua kegiatan dan tiga rapat",
        lambda: f"Nomor urut satu dan dua pada Pemilu {y()}",
        lambda: f"Pleno {r.randrange(1, 29):02d}-{r.randrange(1, 13):02d}-{y()} dan {y()}-{r.randrange(1, 13):02d}-{r.randrange(1, 29):02d}",
        lambda: f"Keputusan Nomor {r.randrange(1, 999)}/HK.03.1-Kpt/{r.randrange(10, 99)}/{y()} Pasal {r.randrange(1, 40)} ayat ({r.randrange(1, 9)})",
        lambda: f"Jumlah pemilih {r.randrange(10 ** 6, 5 * 10 ** 6):,} orang di {r.randrange(1000, 9999)} TPS".replace(",", "."),
        lambda: f"Data PPID tahun {y()} {y()} {y()} {y()}",
        lambda: f"Pasal {r.randrange(1, 99)} UU 7/2017, PKPU 22/2023, Perki 1/2021",
        lambda: f"Data Pemilih Ibu Hamil dan Ibu Rumah Tangga {y()}",
        lambda: f"Anggaran Pemeliharaan Jalan Provinsi dan Jalan Nasional {y()}",
        lambda: f"Laporan Komisi Perlindungan Anak Indonesia dan Data Suami Istri Pemilih {y()}",
        lambda: f"Jumlah peserta BPJS {r.randrange(10 ** 5, 10 ** 7):,} orang".replace(",", "."),
        lambda: f"Surat nomor {r.randrange(1, 999):03d}/{r.randrange(100, 999)}/{r.randrange(100, 999)}/{r.randrange(100, 999)}/{y()}",
    ]
    return [r.choice(makers)() for _ in range(n)]


MONTHS = "Januari Februari Maret April Mei Juni Juli Agustus September Oktober November Desember".split()


def negatives(n: int = 600) -> list[str]:
    """Free text a requester writes without personal data in it, `n` of them."""
    r = random.Random(SEED + 1)
    y = lambda: r.randrange(1999, 2031)  # noqa: E731
    makers = [
        lambda: f"Salinan Keputusan KPU Provinsi NTT Nomor {r.randrange(1, 999)} TAHUN {y()}",
        lambda: f"Surat nomor {r.randrange(1, 9999):04d}/PPID/{y()} tentang jawaban permohonan",
        lambda: f"Surat {r.randrange(1, 99)}/HM.02-SD/{r.randrange(1, 99)}/{y()} perihal undangan",
        lambda: f"Keberatan atas {r.randrange(1, 999):04d}/KEB/PPID/{y()}",
        lambda: f"Berita acara tanggal {r.randrange(1, 29)} {r.choice(MONTHS)} {y()}",
        lambda: f"Rapat pleno {y()}-{r.randrange(1, 13):02d}-{r.randrange(1, 29):02d} pukul {r.randrange(7, 22):02d}:{r.randrange(0, 60):02d} WITA",
        lambda: f"Jadwal {r.randrange(1, 29):02d}/{r.randrange(1, 13):02d}/{y()} {r.randrange(7, 22):02d}:{r.randrange(0, 60):02d}",
        lambda: f"Dokumen {r.randrange(1, 29):02d}-{r.randrange(1, 13):02d}-{y()} 0{r.randrange(7, 10)}:{r.randrange(10, 60)}",
        lambda: f"Informasi yang dikecualikan Pasal {r.randrange(1, 40)} huruf {r.choice('abcdefghij')} UU 14/2008",
        lambda: f"Pasal {r.randrange(1, 40)} ayat ({r.randrange(1, 9)}) PP 61/2010 dan Perki 1/2021",
        lambda: f"Anggaran hibah Rp {r.randrange(1, 999) * 1000:,}".replace(",", ".") + ",00",
        lambda: f"Belanja Rp{r.randrange(1, 99999) * 100000:,}".replace(",", "."),
        lambda: f"Dana Rp {r.randrange(1, 999)} juta untuk {r.randrange(2, 30)} kabupaten/kota",
        lambda: f"Jumlah pemilih {r.randrange(1000, 5_000_000):,} orang di {r.randrange(1, 22)} kabupaten".replace(",", "."),
        lambda: f"Rekap suara tahun {y()} dan {y()} per TPS ({r.randrange(1, 9999)} TPS)",
        lambda: f"Data periode {y()}-{y()} untuk {r.randrange(2, 500)} desa",
        lambda: f"PKPU Nomor {r.randrange(1, 30)} Tahun {y()} tentang tahapan",
        lambda: f"Hasil Pemilu {y()}: {r.randrange(1, 100)}% partisipasi, {r.randrange(1, 65)} kursi DPRD",
        lambda: f"Daftar calon terpilih dapil NTT {r.randrange(1, 9)} tahun {y()} (halaman {r.randrange(1, 300)})",
        lambda: "Salinan SK KPU Provinsi NTT tentang penetapan calon terpilih DPRD Provinsi 2024",
        lambda: f"Nomor urut {r.randrange(1, 30)} dan {r.randrange(1, 30)}; tahun {y()} {y()}",
        lambda: f"Lampiran {r.randrange(1, 20)} berkas, total {r.randrange(1, 99999)} lembar",
    ]
    return [r.choice(makers)() for _ in range(n)]



# --- the families a third hostile test found passing (issue 18, privacy2) ------------------------

GLUE = ["NIK", "KTP", "NIK.", "NIK:", "No.KTP", "HP", "WA", "Telp.", "nik", "hp.", "NKK"]
SEPARATORS = [" - ", "_", ",", ":", "*", "|", "~", "\n", "   ", " _ ", " | ", " ~ ", ", "]
PHONE_WORDS = ["wa", "pribadi", "hp", "rumah", "kantor", "telp"]


def _digits(r: random.Random, kind: str) -> str:
    if kind == "phone":
        return r.choice(MOBILE) + f"{r.randrange(10 ** 7, 10 ** 8)}"
    return r.choice(PLACES) + f"{r.randrange(10 ** 11, 10 ** 12)}"


def _groups(n: str, sizes: list[int]) -> list[str]:
    out, at = [], 0
    for s in sizes:
        out.append(n[at:at + s])
        at += s
    return out + ([n[at:]] if at < len(n) else [])


def _glued(r: random.Random) -> str:
    kind = r.choice(["phone", "identity"])
    n = _digits(r, kind)
    return r.choice(GLUE) + r.choice([n, "-".join(_groups(n, [4, 4, 4]))])


def _register_like(r: random.Random) -> str:
    n = _digits(r, r.choice(["phone", "identity"]))
    return f"{n}/{r.choice(PHONE_WORDS + ['ktp', 'nik', 'kk'])}" + r.choice(["", "/2026", "/PPID"])


def _date_like(r: random.Random) -> str:
    n = _digits(r, "phone")
    return r.choice([
        f"{n[:4]}-{n[4:6]}-{n[6:8]}-{n[8:]}", f"jam {n[:2]}.{n[2:4]} {n[4:6]}.{n[6:8]} {n[8:10]}.{n[10:]}",
        f"pukul {n[:2]}:{n[2:4]} {n[4:]}", f"Rp {n[:4]}.{n[4:8]}.{n[8:]}", f"Rp{n}", f"Rp {n[:4]} {n[4:8]} {n[8:]}",
        f"{n[:2]}-{n[2:4]}-{n[4:6]}{n[6:]}", f"{n[:2]}/{n[2:4]}/{n[4:]}",
    ])


def _separated(r: random.Random) -> str:
    kind = r.choice(["phone", "identity"])
    n = _digits(r, kind)
    sizes = r.choice([[4, 4, 4], [4, 4], [3, 3, 3], [6, 6]] if kind == "identity" else [[4, 4], [4, 3], [3, 4, 2]])
    return r.choice(SEPARATORS).join(_groups(n, sizes))


def _hostile_email(r: random.Random, name: str) -> str:
    local = name.lower().split()[0] + r.choice(["", ".n", "99", "_x"])
    dom, tld = r.choice([("example", "org"), ("gmail", "com"), ("undana.ac", "id"), ("yahoo.co", "id")])
    dom_ = lambda d: dom.replace(".", d)  # noqa: E731
    quoted = dom_(' "dot" ')
    return r.choice([
        f"{local}(a){dom}.{tld}", f"{local}%40{dom}.{tld}", f"{local}&#64;{dom}.{tld}", f"{local}&#x40;{dom}.{tld}",
        f"{local}@{dom_('。')}。{tld}", f"{local}@{dom_('｡')}｡{tld}", f"{local}@{dom}.{tld}_", f"{local}@{dom}.{tld}2",
        f"{local} «at» {dom_(' «dot» ')} «dot» {tld}", f"{local}@{dom_(',')},{tld}", f"{local}@{dom}.xn--p1ai",
        f"{local} ‹at› {dom} ‹dot› {tld}", f'{local} "at" {quoted} "dot" {tld}',
    ])


SMALL_CAPS = dict(zip("abcdefghijklmnopqrstuvwxyz", "ᴀʙᴄᴅᴇꜰɢʜɪᴊᴋʟᴍɴᴏᴘꞯʀꜱᴛᴜᴠᴡxʏᴢ"))
CLITICS = ["nya", "ku", "mu", "lah", "kah", "pun"]
LOOKALIKE = {"l": ["1", "|"], "i": ["1", "!", "|"], "o": ["0"], "e": ["3"], "a": ["4", "@"], "s": ["5", "$"]}


def _hostile_name(r: random.Random, name: str) -> tuple[str, str]:
    """(text, the registered name): the own name in a disguise."""
    words = name.split()
    w = r.choice(words)
    choice = r.randrange(6)
    if choice == 0:
        return "".join(SMALL_CAPS.get(c, c) for c in w.lower()), name
    if choice == 1:
        k = r.randrange(1, len(w))
        return w[:k] + "".join(SMALL_CAPS.get(c, c) for c in w[k:].lower()), name
    if choice == 2:
        return w + r.choice(CLITICS), name
    if choice == 3:
        at = [i for i, c in enumerate(w.lower()) if c in LOOKALIKE][:3] or [0]
        i = r.choice(at)
        return w[:i] + r.choice(LOOKALIKE.get(w[i].lower(), [w[i]])) + w[i + 1:], name
    if choice == 4:
        return r.choice(["_", "-", ".", "*", " "]).join(w), name
    short = r.choice([("Yo Ko", "Yo Ko"), ("Andi Lo", "Lo"), ("Maria Ka Bria", "Ka"), ("Ni Made Sari", "Ni Made"),
                      ("Ho Pah", "Ho Pah")])
    return short[0], short[0]


def _pieces_of_name(text: str, name: str) -> list[str]:
    return [w for w in name.split() if w.lower() in text.lower()] or [text]


OWN = {"identity_number": "5371011205900003", "phone": "+62 812-3900-4455", "email": "yuliana.n@example.org"}


def _own_identity(r: random.Random) -> str:
    nik, phone = OWN["identity_number"], "081239004455"
    value = r.choice([nik, phone, phone[1:], "62" + phone[1:], nik[::1]])
    if r.random() < 0.5:  # a disguise the other families do not catch on their own
        sep = r.choice(["..", " -- ", "#", "=", "' '", "++", "/ /"])
        size = r.choice([2, 3])
        value = sep.join(value[i:i + size] for i in range(0, len(value), size))
    return r.choice([value, f"nomor saya {value}", f"({value})", "yuliana.n", "YULIANA.N at kantor"])


def hostile_positives(n: int = 700) -> list[tuple[str, str, list[str]]]:
    """(text, requester name, pieces that must not survive): the third hostile test's families."""
    r = random.Random(SEED + 4)
    kinds = ["glued", "register", "date", "separators", "email", "name", "own"]
    out = []
    for i in range(n):
        kind, name = kinds[i % len(kinds)], r.choice(NAMES)
        if kind == "email":
            value = _hostile_email(r, name)
            pieces = [name.lower().split()[0]] + [p for p in ("example", "gmail", "undana", "yahoo") if p in value]
        elif kind == "name":
            value, name = _hostile_name(r, name)
            pieces = [value] if len(value.split()) == 1 else [w for w in value.split() if w in name.split()]
        elif kind == "own":
            name = NAMES[0]
            value = _own_identity(r)
            pieces = [g for g in re.findall(r"\d{2,}", value) if len(g) >= 3] or re.findall(r"\d+", value)
            pieces = pieces + (["yuliana"] if "yuliana" in value.lower() else [])
        else:
            value = {"glued": _glued, "register": _register_like, "date": _date_like, "separators": _separated}[kind](r)
            pieces = [g for g in re.findall(r"\d{3,}", value) if g not in ("2024", "2026")]  # the years around it
            pieces += [a + b for a, b in zip(re.findall(r"\d+", value), re.findall(r"\d+", value)[1:])
                       if len(a) < 3 and len(b) < 3]
        out.append((r.choice(CONTEXTS).format(x=value), name, pieces))
    return out


def hostile_negatives(n: int = 300) -> list[str]:
    """What must still pass untouched beside those families."""
    r = random.Random(SEED + 5)
    y = lambda: r.randrange(1999, 2031)  # noqa: E731
    makers = [
        lambda: f"Surat {r.randrange(1, 99999)}/PPID/{y()} dan {r.randrange(1, 999999):06d}/HK.03/{y()}",
        lambda: f"jam {r.randrange(7, 22):02d}.{r.randrange(0, 60):02d} sampai {r.randrange(7, 22):02d}.{r.randrange(0, 60):02d} WITA",
        lambda: f"Rp {r.randrange(1, 999)}.{r.randrange(0, 999):03d}.{r.randrange(0, 999):03d}.{r.randrange(0, 999):03d}",
        lambda: f"Jadwal {r.randrange(1, 29):02d}/{r.randrange(1, 13):02d}/{y()} {r.randrange(7, 22):02d}:{r.randrange(0, 60):02d}",
        lambda: f"tahun {y()}, {y()}, {y()} dan {y()}",
        lambda: f"Pasal {r.randrange(1, 99)} | Pasal {r.randrange(1, 99)} | Pasal {r.randrange(1, 99)}",
        lambda: f"PKPU{r.randrange(1, 30)}/{y()} dan UU{r.randrange(1, 30)}/{y()}",
        lambda: f"Di kota Ko Sa dan {r.choice(['Yo', 'Lo', 'Ko', 'di', 'ke'])} {r.choice(['Yo', 'Lo', 'Ko', 'di', 'ke'])}",
        lambda: f"Rekap {r.randrange(1, 29)}-{r.randrange(1, 13)}-{y()} pukul {r.randrange(7, 22):02d}.{r.randrange(0, 60):02d}",
        lambda: f"Lampiran halaman {r.randrange(1, 300)}, {r.randrange(1, 300)}, {r.randrange(1, 300)}",
        lambda: "nomor urut " + ", ".join(f"{r.randrange(0, 20):02d}" for _ in range(r.randrange(5, 9))),
        lambda: "Daftar:\n" + "\n".join(f"{r.randrange(0, 20):02d}" for _ in range(r.randrange(5, 9))),
    ]
    return [r.choice(makers)() for _ in range(n)]


POSITIVES = positives() + more_positives()
NEGATIVES = negatives() + more_negatives()
HOSTILE = hostile_positives()
HOSTILE_NEGATIVES = hostile_negatives()


def test_corpus_sizes():
    assert len(POSITIVES) == 1300 and len(NEGATIVES) == 1000


def test_every_disguise_is_masked():
    leaks = []
    for text, name, pieces in POSITIVES:
        masked = pii.mask(text, [name])
        if pii.MASK not in masked or any(p.casefold() in masked.casefold() for p in pieces):
            leaks.append((text, masked))
    assert not leaks, f"{len(leaks)} of {len(POSITIVES)} leak: {leaks[:10]}"


def test_what_is_no_personal_data_survives_unchanged():
    changed = [(t, m) for t in NEGATIVES for m in [pii.mask(t, [NAMES[0]])] if m != t]
    assert not changed, f"{len(changed)} of {len(NEGATIVES)} changed: {changed[:10]}"


def _leaks(masked: str, pieces: list[str]) -> list[str]:
    """The pieces still in `masked`, a word or digit group only whole (``ko`` is no leak in ``konfirmasi``)."""
    return [p for p in pieces if re.search(rf"(?<!\w){re.escape(p)}(?!\w)" if p.isalnum() else re.escape(p),
                                           masked, re.IGNORECASE)]


def test_the_third_hostile_tests_families_are_masked():
    assert len(HOSTILE) == 700 and len(HOSTILE_NEGATIVES) == 300
    leaks = []
    for text, name, pieces in HOSTILE:
        masked = pii.mask(text, [name], own=OWN)
        if pii.MASK not in masked or _leaks(masked, pieces):
            leaks.append((text, masked))
    assert not leaks, f"{len(leaks)} of {len(HOSTILE)} leak: {leaks[:10]}"


def test_what_is_no_personal_data_survives_beside_them_and_with_the_own_contacts_known():
    texts = NEGATIVES + HOSTILE_NEGATIVES
    changed = [(t, m) for t in texts for m in [pii.mask(t, [NAMES[0]], own=OWN)] if m != t]
    assert not changed, f"{len(changed)} of {len(texts)} changed: {changed[:10]}"


@pytest.mark.parametrize("text, expected", [
    # the issue's own examples (issue 18 item 6)
    ("Hubungi (0812) 345-6789", "Hubungi [dihapus]"),
    ("atau 0812  3456  7890 sore", "atau [dihapus] sore"),
    ("NIK 5371/0000/0000/0099", "NIK [dihapus]"),
    ("ke yuliana.n＠example.org", "ke [dihapus]"),
    ("ke yuliana [at] example [dot] org ya", "ke [dihapus] ya"),
    ("a.n. Nenobais, Yuliana", "a.n. [dihapus], [dihapus]"),
    # offsets lead back to the original: invisible and full-width characters masked with it
    ("surel yu\u200bli\u200bana＠example．org.", "surel [dihapus]."),
    ("ＮＩＫ ５３７１０１２３４５６７０００１", "ＮＩＫ [dihapus]"),
    ("no 0012/PPID/2026 Rp 1.500.000", "no 0012/PPID/2026 Rp 1.500.000"),
])
def test_examples(text, expected):
    assert pii.mask(text, ["Yuliana Nenobais"]) == expected


@pytest.mark.parametrize("text, expected", [
    # what a fresh hostile test found passing (issue 18): each masked, the words around it kept
    ("NIK 5371O00000000077 ya", "NIK [dihapus] ya"),
    ("hp 0813-33-445-566", "hp [dihapus]"),
    ("telp nol delapan satu tiga tiga tiga empat empat lima lima enam enam", "telp [dihapus]"),
    ("WA kosong delapan satu dua, tiga empat lima enam, tujuh delapan sembilan kosong", "WA [dihapus]"),
    ("NPWP 01.234.567.8-912.000 milik saya", "NPWP [dihapus] milik saya"),
    ("kirim ke rek. BRI 1234-01-000123-50-9", "kirim ke rek. BRI [dihapus]"),
    ("no rekening 0123456789", "no rekening [dihapus]"),
    ("alamat Jl. Soeharto No. 12 RT 003/RW 002, Kupang", "alamat [dihapus], Kupang"),
    ("Gang Mawar 7 dan RT/RW 004/001", "[dihapus] dan [dihapus]"),
    ("Bapak Yohanes Ndun dan Sdri. Maria Bria", "Bapak [dihapus] dan Sdri. [dihapus]"),
    ("anak saya Petrus Nope, almarhum Kornelis Bani", "anak saya [dihapus], almarhum [dihapus]"),
    ("ibu saya Yosefina dan ibu kandung saya Maria", "ibu saya [dihapus] dan ibu kandung saya [dihapus]"),
    ("Bpk. Dr. Agustinus Lake, S.H.", "Bpk. [dihapus], S.H."),
    # what must survive beside them: offices, bodies, numbers of the office, dates, amounts
    ("Bapak Ketua KPU Provinsi NTT dan Ibu Ketua Bawaslu", "Bapak Ketua KPU Provinsi NTT dan Ibu Ketua Bawaslu"),
    ("Ibu Kota Kupang, Ketua RT 003 hadir", "Ibu Kota Kupang, Ketua RT 003 hadir"),
    ("Pleno 2026-11-25 dan 25/11/2026; SK 0012/PPID/2026 Pasal 17 huruf h; Rp 1.500.000",
     "Pleno 2026-11-25 dan 25/11/2026; SK 0012/PPID/2026 Pasal 17 huruf h; Rp 1.500.000"),
    ("rekening kas daerah Rp 2.000.000 tahun 2024, jalan keluar sengketa",
     "rekening kas daerah Rp 2.000.000 tahun 2024, jalan keluar sengketa"),
    ("satu dua tiga kali dalam tahun 2024", "satu dua tiga kali dalam tahun 2024"),
])
def test_the_second_hostile_tests_findings(text, expected):
    assert pii.mask(text, ["Yuliana Nenobais"]) == expected


def test_spans_are_offsets_of_the_original_text():
    text = "Kontak: ０８１２\u200b３４５６７８９０, terima kasih"
    [span] = pii.find(text)
    assert span.kind == "phone"
    assert text[span.start:span.end] == "０８１２\u200b３４５６７８９０"


# --- every output ------------------------------------------------------------------------------

LEAKS = ["0812", "3456", "5371", "0099", "yuliana", "nenobais", "example"]


def test_the_book_and_every_export_carry_no_personal_data_typed_in_free_text(tmp_path):
    inbox, records = tmp_path / "inbox", tmp_path / "records"
    req = base_request()
    req["requester"]["name"] = "Yuliana Nenobais"
    req["information"] = ["Rekap DPT 2024, hubungi (0812) 345-6789 atau 0812  3456  7890",
                          "Salinan SK 0012/PPID/2026; NIK saya 5371/0000/0000/0099"]
    req["purpose"] = "Skripsi Nenobais, Yuliana — surel yuliana.n＠example.org / yuliana [at] example [dot] org"
    write_request(inbox, "permohonan-1.yaml", req)
    result = CliRunner().invoke(main, ["run", str(inbox), "--out", str(tmp_path / "out"), "--no-pdf",
                                       "--templates", str(TEMPLATES), "--records", str(records),
                                       "--date", "2026-12-31"])
    assert result.exit_code == 0, result.output
    book = read_book(records)
    assert book.loc[0, "requester_name"] == "Yuliana Nenobais"  # the staff's book keeps the name column
    assert "0012/PPID/2026" in book.loc[0, "subject"] and "Rekap DPT 2024" in book.loc[0, "subject"]
    for text in [(records / "register.csv").read_text(encoding="utf-8").split("\n", 1)[1].replace(
            "Yuliana Nenobais", ""), " ".join(book[["subject", "purpose"]].iloc[0])]:
        assert not [w for w in LEAKS if w in text.lower()], text
    for fmt in export.FORMATS:
        path = export.export_book(book, tmp_path / "x", fmt, key=b"kunci-uji-yang-cukup-panjang-2026")
        frame = pd.read_parquet(path) if fmt == "parquet" else (
            pd.read_csv(path, dtype=str) if fmt == "csv" else pd.read_excel(path, dtype=str))
        text = frame.astype(str).to_csv(index=False).lower()
        assert not [w for w in LEAKS if w in text], (fmt, text)


def test_the_export_masks_a_book_written_before_the_detector():
    """An old book still holds free-text personal data: the export masks it on its own."""
    from pipeline.book import frame

    row = {"register_no": "0001/PPID/2026", "received_at": "2026-11-20 09:15", "service": "information",
           "requester_name": "Yuliana Nenobais", "subject": "hubungi (0812) 345-6789, Nenobais Yuliana",
           "purpose": "yuliana [at] example [dot] org", "year": 2026}
    out = export.anonymise(frame([row]), key=b"kunci-uji-yang-cukup-panjang-2026")
    assert out.loc[0, "subject"] == "hubungi [dihapus], [dihapus] [dihapus]"
    assert out.loc[0, "purpose"] == "[dihapus]"


def test_the_organization_keeps_its_name_but_not_a_phone_email_or_nik_typed_into_it():
    """Found by a hostile test: the organization column of the staff's book was not masked."""
    from pipeline import pii

    row = pii.mask_row({"requester_name": "Bernadus Lelo", "requester_organization":
                        "LSM Hubungi 0813 3344 5566 / bernadus.l@gmail.com NIK 5371 0000 0000 0077",
                        "subject": "Data pemilih", "purpose": "Penelitian"})
    org = row["requester_organization"]
    assert org.startswith("LSM Hubungi")
    for leaked in ("0813 3344 5566", "bernadus.l@gmail.com", "5371 0000 0000 0077"):
        assert leaked not in org, org


# --- decision reasons (free text a PPID writes) ---------------------------------------------------

# Every text column of the book, and why what it holds is no free-text personal data in the
# analysts' outputs. A new text column fails here until it is masked, dropped or shown to be codes.
TEXT_COLUMNS = {
    "register_no": "a register number", "letter_no": "a letter number", "objection_to": "a register number",
    "dispute_case_no": "masked (pii.FREE_TEXT); the loader takes only a case number's shape",
    "grounds": "Pasal 17 letters", "objection_grounds": "Pasal 35 letters", "missing": "requirement codes",
    "subject": "masked (pii.FREE_TEXT)", "purpose": "masked (pii.FREE_TEXT)",
    "requester_name": "the staff's book only; pseudonymised in exports",
    "requester_organization": "masked; pseudonymised in exports",
    "source_file": "dropped from exports (export.ALWAYS_DROPPED)", "status_code": "dropped from exports",
}


def test_every_text_column_of_the_book_is_accounted_for():
    from pipeline.schema import BOOK_COLUMNS

    text = {name for name, col in BOOK_COLUMNS.items() if col.kind == "text"}
    assert text == set(TEXT_COLUMNS), text ^ set(TEXT_COLUMNS)
    assert set(pii.FREE_TEXT) <= text and {"source_file", "status_code"} <= set(export.ALWAYS_DROPPED)
    said_masked = {c for c, why in TEXT_COLUMNS.items() if why.startswith("masked (pii.FREE_TEXT)")}
    assert said_masked == set(pii.FREE_TEXT), said_masked ^ set(pii.FREE_TEXT)


# --- the Komisi Informasi's case number (issue 18, the second hostile test: it reached analysts) ---

CASE_LEAK = "Kristoforus Lena NIK 5371000000001234 hp 081234567890 kristo@example.com"


@pytest.mark.parametrize("case_no", [
    CASE_LEAK, "012/KI/2026 hubungi kristo@example.com", "012/KI/2026, hp 0812", "Kristoforus Lena",
    "012/KI/2026 " + "X" * 60, "012/KI/2026 (pemohon: Kristo)", "012/KI/2026\nNIK 5371000000001234",
])
def test_a_case_number_that_is_no_case_number_is_refused_naming_file_field_and_line(tmp_path, case_no):
    from helpers import TODAY
    from pipeline.errors import RequestFileError
    from pipeline.loading import load_request

    inbox = tmp_path / "inbox"
    data = base_request("objection", received="2026-11-20 09:00", dispute={"filed": "2026-11-23", "case_no": case_no})
    path = write_request(inbox, "keberatan.yaml", data)
    with pytest.raises(RequestFileError) as info:
        load_request(path, inbox, TODAY)
    found = [p for p in info.value.problems if p.path == "dispute.case_no"]
    assert found and "is not a case number of the Komisi Informasi" in found[0].message, info.value.problems
    assert found[0].line is not None and "keberatan.yaml" in str(info.value)


@pytest.mark.parametrize("case_no", ["012/XI/KI-NTT-PS/2026", "Nomor 012/REG-PSI/IX/2026", "1/KI/2026",
                                     "003/KI-NTT/2027", "No. 12.3/KIP-NTT/2026"])
def test_case_numbers_as_the_komisi_prints_them_load(tmp_path, case_no):
    from helpers import TODAY
    from pipeline.loading import load_request

    inbox = tmp_path / "inbox"
    data = base_request("objection", received="2026-11-20 09:00", dispute={"filed": "2026-11-23", "case_no": case_no})
    assert load_request(write_request(inbox, "k.yaml", data), inbox, TODAY).dispute.case_no == case_no


def test_the_case_number_is_masked_in_the_book_row_and_in_every_export():
    """A case number with a name, NIK and phone in it (the loader's shape lets letters and digits
    through) is masked in the staff's book row and again in the analysts' export, whatever the
    config's scrub_columns say."""
    from pipeline.book import frame

    typed = "Nomor 012 Kristoforus Lena 5371000000001234 081234567890"
    row = pii.mask_row({"requester_name": "Kristoforus Lena", "subject": "Keberatan", "dispute_case_no": typed,
                        "requester_organization": None}, own={"email": "kristo@example.com"})
    assert row["dispute_case_no"] == "Nomor 012 [dihapus] [dihapus] [dihapus]"
    old = {"register_no": "0002/KEB/2026", "received_at": "2026-11-20 09:15", "service": "objection",
           "requester_name": "Kristoforus Lena", "dispute_case_no": CASE_LEAK, "year": 2026}
    out = export.anonymise(frame([old]), key=b"kunci-uji-yang-cukup-panjang-2026", scrub=["subject", "purpose"])
    assert "5371" not in out.loc[0, "dispute_case_no"] and "0812" not in out.loc[0, "dispute_case_no"]
    assert "kristo" not in out.loc[0, "dispute_case_no"].lower()
    assert pii.mask("012/XI/KI-NTT-PS/2026 dan Nomor 012/REG-PSI/IX/2026") == \
        "012/XI/KI-NTT-PS/2026 dan Nomor 012/REG-PSI/IX/2026"


def test_decision_reasons_reach_no_book_column_export_or_statistics(tmp_path):
    """The reasons a PPID writes (an item's, an extension's) go into the letters to the
    requester only: no column of the book holds them, so no export, statistic or analyst's
    page can show them. Reasons with personal data in them are planted to prove it."""
    inbox, records = tmp_path / "inbox", tmp_path / "records"
    planted = ["0813 9988 7766", "5371019876540002", "Kornelis Lelo", "Jl. Soeharto No. 12"]
    req = base_request(information=["Notulen rapat koordinasi pengelolaan arsip dinamis tahun 2025",
                                    "Salinan SK penetapan calon terpilih DPRD Provinsi 2024"])
    req["decision"] = {"by": "PPID", "date": "2026-11-26", "items": [
        {"item": 1, "status": "open", "reason": f"dikonfirmasi Bapak {planted[2]} ({planted[0]})"},
        {"item": 2, "status": "open", "reason": f"arsip di {planted[3]}, NIK {planted[1]}"}]}
    write_request(inbox, "a.yaml", req)
    result = CliRunner().invoke(main, ["run", str(inbox), "--out", str(tmp_path / "out"), "--no-pdf",
                                       "--templates", str(TEMPLATES), "--records", str(records),
                                       "--date", "2026-12-31"])
    assert result.exit_code == 0, result.output
    book = read_book(records)
    assert book.loc[0, "outcome"] == "granted"
    outputs = [(records / "register.csv").read_text(encoding="utf-8"), book.astype(str).to_csv()]
    export_path = export.export_book(book, tmp_path / "x", "csv", key=b"kunci-uji-yang-cukup-panjang-2026")
    outputs.append(export_path.read_text(encoding="utf-8"))
    stats = CliRunner().invoke(main, ["stats", "--year", "2026", "--format", "json", "--records", str(records),
                                      "--date", "2026-12-31"])
    assert stats.exit_code == 0, stats.output
    outputs.append(stats.output)
    for text in outputs:
        assert not [p for p in planted + ["Lelo", "Soeharto"] if p in text], text[:500]


# --- the third hostile test's own examples ------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    # a word glued before the number
    ("NIK5371000000000099", "NIK[dihapus]"), ("KTP5371000000000099", "KTP[dihapus]"),
    ("NIK.5371000000000099", "NIK.[dihapus]"), ("HP081234567890", "HP[dihapus]"),
    # a register number's own number is short: a 9+ digit run before "/word" is no register number
    ("081234567890/wa", "[dihapus]/wa"), ("0812345678/pribadi", "[dihapus]/pribadi"),
    ("5371000000000099/ktp", "[dihapus]/ktp"),
    # a date, time or amount does not absorb a number
    ("0812-34-56-7890", "[dihapus]"), ("jam 08.12 34.56 78.90", "jam [dihapus]"),
    ("Rp 0812.3456.7890", "Rp [dihapus]"),
    # separators
    ("5371 - 0000 - 0000 - 0099", "[dihapus]"), ("0812_3456_7890", "[dihapus]"), ("0812,3456,7890", "[dihapus]"),
    ("0812:3456:7890", "[dihapus]"), ("5371*0000*0000*0099", "[dihapus]"), ("0812|3456|7890", "[dihapus]"),
    ("5371~0000~0000~0099", "[dihapus]"), ("0812\n3456\n7890", "[dihapus]"), ("5371   0000   0000   0099", "[dihapus]"),
    # e-mails
    ("x(a)example.org", "[dihapus]"), ("x%40example.org", "[dihapus]"), ("x&#64;example.org", "[dihapus]"),
    ("x@example。org", "[dihapus]"), ("x@example｡org", "[dihapus]"), ("x@example.org_", "[dihapus]"),
    ("x@example.org2", "[dihapus]"), ("x «at» gmail «dot» com", "[dihapus]"), ("x@gmail,com", "[dihapus]"),
    ("x@example.xn--p1ai ya", "[dihapus] ya"),
    # the requester's own name
    ("ʏᴜʟɪᴀɴᴀ", "[dihapus]"), ("Yuliaɴa", "[dihapus]"), ("Nenobaisnya", "[dihapus]"), ("Yulianalah", "[dihapus]"),
    ("Yu1iana", "[dihapus]"), ("Yu|iana", "[dihapus]"), ("Y_u_l_i_a_n_a", "[dihapus]"),
    # what stays beside them
    ("Rapat 25/11/2026 09:15 dan jam 08.00 sampai 12.30 WITA", "Rapat 25/11/2026 09:15 dan jam 08.00 sampai 12.30 WITA"),
    ("Surat 12345/PPID/2026 dan 000123/HK.03/2025, Rp 1.500.000.000", "Surat 12345/PPID/2026 dan 000123/HK.03/2025, Rp 1.500.000.000"),
    ("Pasal 17 | Pasal 18; tahun 2024, 2025, 2026", "Pasal 17 | Pasal 18; tahun 2024, 2025, 2026"),
    ("Rekap 08/12/2024 105 TPS dan 2024-12-08 1500 peserta", "Rekap 08/12/2024 105 TPS dan 2024-12-08 1500 peserta"),
    ("pukul 08.30 12345 orang; Rp 1.500.000 12 paket", "pukul 08.30 12345 orang; Rp 1.500.000 12 paket"),
])
def test_the_third_hostile_tests_examples(text, expected):
    assert pii.mask(text, ["Yuliana Nenobais"]) == expected


@pytest.mark.parametrize("name, text, expected", [
    ("Yo Ko", "Permohonan Yo Ko, data DPT", "Permohonan [dihapus], data DPT"),
    ("Andi Lo", "dari Andi Lo di Kupang", "dari [dihapus] di Kupang"),
    ("Andi Lo", "Lo dan Ko datang", "Lo dan Ko datang"),  # a short word alone is a common word
    ("Ni Made Sari", "ibu Ni Made datang", "ibu [dihapus] datang"),
])
def test_short_words_of_the_name_are_masked_beside_another_word_of_it(name, text, expected):
    assert pii.mask(text, [name]) == expected


@pytest.mark.parametrize("text, expected", [
    ("nik 53..71..01..12..05..90..00..03 ya", "nik [dihapus] ya"),
    ("hp 0812=3900=4455", "hp [dihapus]"),
    ("hp (+62) 812#3900#4455", "hp ([dihapus]"),
    ("nik 53710112O59OOOO3", "nik [dihapus]"),
    ("surel yuliana.n di kantor", "surel [dihapus] di kantor"),
    ("YULIANA.N at example", "[dihapus]"),
    ("y u l i a n a . n [at] example", "[dihapus]"),
    # someone else's numbers are left to the patterns; a word like the local part is no e-mail
    ("Rekap 2024 dan yuliana nenobais", "Rekap 2024 dan yuliana nenobais"),
])
def test_the_requesters_own_registered_numbers_and_email(text, expected):
    assert pii.mask(text, [], own=OWN) == expected


def test_the_organization_keeps_a_word_like_the_own_email_but_not_the_own_numbers():
    row = pii.mask_row({"requester_name": "Maria Bria", "requester_organization": "Yayasan Maria 53#71#01#12#05#90#00#03",
                        "subject": "Data", "purpose": "surel maria"},
                       own={**OWN, "email": "maria@example.org"})
    assert row["requester_organization"] == "Yayasan Maria [dihapus]"
    assert row["purpose"] == "surel [dihapus]"


def test_an_own_email_local_part_made_of_words_is_masked_only_as_written_or_before_its_domain():
    assert pii.mask("Redaksi Warta Flobamora", [], own={"email": "redaksi@wartaflobamora.example.com"}) == \
        "Redaksi Warta Flobamora"
    assert pii.mask("redaksi at wartaflobamora", [], own={"email": "redaksi@wartaflobamora.example.com"}) == "[dihapus]"
    own = {"email": "kantor.ppid@example.org"}
    assert pii.mask("Permohonan info kantor ppid daerah", [], own=own) == "Permohonan info kantor ppid daerah"
    assert pii.mask("surel kantor.ppid ya", [], own=own) == "surel [dihapus] ya"
    assert pii.mask("surel kantor ppid (at) example", [], own=own) == "surel [dihapus]"


def test_the_book_masks_the_requesters_registered_contacts_in_any_disguise(tmp_path):
    """The registered identity number, phone and e-mail are known to the run: the book's free
    text is compared with them (register.Record.personal), so a disguise no pattern knows is caught."""
    inbox, records = tmp_path / "inbox", tmp_path / "records"
    req = base_request()  # Maria Goreti Bria, 081234567890, maria@example.org, 5371012345670001
    req["information"] = ["Rekap DPT 2024 per kecamatan, NIK saya 53#71#01#23#45#67#00#01"]
    req["purpose"] = "Skripsi; hubungi 0812=3456=7890 atau surel maria di kantor"
    write_request(inbox, "permohonan-1.yaml", req)
    result = CliRunner().invoke(main, ["run", str(inbox), "--out", str(tmp_path / "out"), "--no-pdf",
                                       "--templates", str(TEMPLATES), "--records", str(records),
                                       "--date", "2026-12-31"])
    assert result.exit_code == 0, result.output
    book = read_book(records)
    text = " ".join(book[["subject", "purpose"]].iloc[0])
    assert "Rekap DPT 2024" in text and "Skripsi" in text
    for leaked in ("53#71", "0812=3456", "3456=7890", "#00#01"):
        assert leaked not in text, text


@pytest.mark.parametrize("text", [
    "a" + ".a" * 5000 + "@",  # the local part read two ways: this never ended before
    "a" + " . a" * 2000 + " @", "0" + "    0" * 2000 + "    x", "x@" + "a." * 3000,
])
def test_long_hostile_runs_end(text):
    assert pii.mask(text, ["Yuliana Nenobais", "Yo Ko"], own=OWN) is not None


@pytest.mark.parametrize("own", [None, {}, "5371011205900003", ["x"], {"identity_number": 5371011205900003},
                                 {"phone": None, "email": 12}])
def test_odd_registered_contacts_are_no_error(own):
    assert pii.mask("NIK 5371011205900003", [], own=own) == "NIK [dihapus]"


# --- the families a second hostile test of issue 18 found passing (privacy3) -----------------------

OWN_ADDRESS = "Desa Oelaba RT 002/RW 001, Jl. Timor Raya nomor 5, Kota Kupang"
OWN3 = {**OWN, "address": OWN_ADDRESS}
PLACES3 = ["Perumnas Blok B no 12 Kupang", "Perum Oesapa Indah Blok C 7", "Dusun Oelbubuk RT 3",
           "Kompleks Ruko Naikoten 14", "Desa Baumata Timur 22"]
LOOKALIKE_LETTERS = {"e": "ɛ", "a": "ɑ", "o": "ɔ", "i": "ɩ"}


def _broken_phone(r: random.Random) -> str:
    a, b, c = r.choice(MOBILE), f"{r.randrange(10000):04d}", f"{r.randrange(10000):04d}"
    mark = r.choice(["-", ".", "/", " -", "_"])
    return r.choice([f"nomor hp {a}{mark}{b}{mark}\n{c}", f"WA {a}{mark}\n{b}{mark}{c}", f"telp {a}{b}{mark}\n{c}"])


def _joined_email(r: random.Random, local: str) -> str:
    domain = r.choice(["gmail", "yahoo", "undana"])
    return r.choice([f"{local}-at-{domain}-dot-com", f"{local}_at_{domain}.com", f"{local}_at_{domain}_dot_com",
                     f"{local}-at-{domain}.co.id", f"{local.upper()}-AT-{domain.upper()}-DOT-COM"])


def _spaced_email(r: random.Random, local: str) -> str:
    domain = r.choice(["gmail", "yahoo", "undana"])
    at = r.choice([" @ ", "@", " @"])
    return f"{' '.join(local)}{at}{' '.join(domain)} . {' '.join(r.choice(['com', 'id', 'org']))}"


def _address_label(r: random.Random) -> str:
    place = r.choice(PLACES3)
    return r.choice([f"alamat: {place}", f"Alamat saya: {place}", f"domisili {place}", f"tinggal di {place}",
                     f"beralamat di {place}", f"alamat : {place.lower()}", f"berdomisili di {place}"])


def _lower_street(r: random.Random) -> str:
    st, no = r.choice(["Ahmad Yani", "Timor Raya", "Frans Seda", "Soeharto", "Mawar"]), r.randrange(1, 200)
    return r.choice([f"di jalan {st.lower()} {no}", f"jln {st.lower()} no {no}", f"J l. {st} {no}",
                     f"Komplek Ruko {no}", f"Perumahan Oesapa Blok {r.choice('ABCD')} {no}", f"Perum Naikoten {no}",
                     f"Kompleks Kuanino {no}", f"jalan {st.lower()} nomor {no}"])


def _own_address(r: random.Random) -> str:
    return r.choice(["rumah di Desa Oelaba", "desa oelaba", "Timor Raya nomor 5", "TIMOR RAYA", "Oelaba RT 002",
                     "Jln Timor-Raya", "di Desa  Oelaba dekat gereja"])


def _lookalike_name(r: random.Random, name: str) -> str:
    letters = [c for c in name.lower() if c in LOOKALIKE_LETTERS]
    c = "e" if "e" in letters and r.random() < 0.8 else r.choice(letters)  # ɛ: what the confusables data leaves
    return r.choice([name.replace(c, LOOKALIKE_LETTERS[c]), name.replace(c, LOOKALIKE_LETTERS[c], 1)])


def _lower_honorific(r: random.Random) -> tuple[str, str]:
    who = r.choice(["Yohanes Ndun", "Maria Bria", "Kornelis Bani", "Agustinus Lake", "Dominggus Nope"])
    return r.choice([f"Saudari {who.lower()}", f"saudara {who.lower()}", f"Sdri. {who.lower()}", f"Tuan {who.lower()}",
                     f"Bapak {who.lower()}", f"ibu {who.lower()}", f"SAUDARI {who.lower()}"]), who


def _o_for_zero(r: random.Random) -> str:
    n = r.choice(PLACES) + r.choice(["02", "00", "10"]) + "0000000" + f"{r.randrange(100):03d}"
    o = r.choice(["O", "o"])
    return r.choice([f"NIK {n.replace('0', o)}", f"nik {n[:4]}{n[4:].replace('0', o)}", f"KTP {n.replace('0', 'O', 8)}"])


def hostile2_positives(n: int = 900) -> list[tuple[str, str, list[str]]]:
    """(text, requester name, pieces that must not survive): the second hostile test's families."""
    r = random.Random(SEED + 6)
    kinds = ["broken phone", "joined email", "spaced email", "label", "street", "own address", "look-alike",
             "honorific", "o for zero"]
    out = []
    for i in range(n):
        kind, name = kinds[i % len(kinds)], r.choice(NAMES)
        local = name.lower().split()[0]
        if kind == "broken phone":
            value = _broken_phone(r)
            pieces = [g for g in re.findall(r"\d{4}", value)]
        elif kind == "joined email":
            value = _joined_email(r, local)
            pieces = [local, "gmail", "yahoo", "undana"]
        elif kind == "spaced email":
            value = _spaced_email(r, local)
            pieces = [" ".join(local), "g m a i l", "y a h o o", "u n d a n a"]
        elif kind == "label":
            value = _address_label(r)
            pieces = [w for w in re.findall(r"[A-Za-z]{4,}|\d+", value)
                      if w.lower() not in ("alamat", "saya", "domisili", "tinggal", "beralamat", "berdomisili")]
        elif kind == "street":
            value = _lower_street(r)
            pieces = re.findall(r"\d+", value) + [w for w in re.findall(r"[A-Za-z]{4,}", value)
                                                  if w.lower() not in ("jalan", "nomor", "komplek", "kompleks",
                                                                       "perumahan", "perum", "blok")]
        elif kind == "own address":
            value = _own_address(r)
            pieces = ["oelaba", "timor"]
        elif kind == "look-alike":
            value = _lookalike_name(r, name)
            pieces = value.split()  # as written, look-alikes and all
        elif kind == "honorific":
            value, who = _lower_honorific(r)
            pieces = who.lower().split()
        else:
            value = _o_for_zero(r)
            pieces = [value.split()[1]]
        out.append((r.choice(CONTEXTS).format(x=value), name, pieces))
    return out


def hostile2_negatives(n: int = 300) -> list[str]:
    """What those rules could over-mask and must not: offices, road classes, budget blocks, common phrases."""
    r = random.Random(SEED + 7)
    y = lambda: r.randrange(1999, 2031)  # noqa: E731
    makers = [
        lambda: f"alamat kantor KPU Provinsi NTT dan alamat website PPID tahun {y()}",
        lambda: f"Anggaran jalan provinsi dan jalan nasional {y()}",
        lambda: f"blok anggaran {y()} untuk {r.randrange(2, 30)} kegiatan",
        lambda: f"Data ibu hamil dan ibu menyusui, bapak ketua RT hadir {y()}",
        lambda: f"Saudara ketua KPU dan saudara sekalian, rapat {y()}",
        lambda: f"pemilih yang tinggal di luar negeri tahun {y()}",
        lambda: f"domisili pemilih di {r.randrange(2, 23)} kabupaten/kota",
        lambda: f"Pemilih yang tinggal di Kabupaten Kupang dan Kota Kupang {y()}",
        lambda: f"Komplek perkantoran pemerintah provinsi, tahun {y()}",
        lambda: f"Perumahan rakyat tahun {y()}",
        lambda: f"jalan keluar sengketa pasal {r.randrange(1, 40)}",
        lambda: f"KPU Kota Kupang, Jl. raya dan alamat surel resmi kantor {y()}",
        lambda: f"ibu rumah tangga dan bapak ibu guru di {r.randrange(2, 300)} desa",
        lambda: f"Surat {r.randrange(1, 999):03d}/PPID/{y()} dan 012/XI/KI-NTT-PS/{y()}",
    ]
    return [r.choice(makers)() for _ in range(n)]


HOSTILE2 = hostile2_positives()
HOSTILE2_NEGATIVES = hostile2_negatives()


def test_the_second_hostile_tests_families_are_masked():
    assert len(HOSTILE2) == 900 and len(HOSTILE2_NEGATIVES) == 300
    leaks = []
    for text, name, pieces in HOSTILE2:
        masked = pii.mask(text, [name], own=OWN3)
        if pii.MASK not in masked or _leaks(masked, pieces):
            leaks.append((text, masked))
    assert not leaks, f"{len(leaks)} of {len(HOSTILE2)} leak: {leaks[:10]}"


def test_what_is_no_personal_data_survives_beside_the_second_hostile_families():
    texts = NEGATIVES + HOSTILE_NEGATIVES + HOSTILE2_NEGATIVES
    changed = [(t, m) for t in texts for m in [pii.mask(t, [NAMES[0]], own=OWN3)] if m != t]
    assert not changed, f"{len(changed)} of {len(texts)} changed: {changed[:10]}"


@pytest.mark.parametrize("text, expected", [
    # the second hostile test's own examples (issue 18, privacy3), each masked, the words around it kept
    ("nomor hp 0812-3456-\n7890 ya", "nomor hp [dihapus] ya"),
    ("surel yohanes-at-gmail-dot-com", "surel [dihapus]"),
    ("surel yohanes_at_gmail.com", "surel [dihapus]"),
    ("surel y o h a n e s @ g m a i l . c o m ya", "surel [dihapus] ya"),
    ("alamat: Perumnas Blok B no 12 Kupang", "alamat: [dihapus]"),
    ("rumah di jalan ahmad yani 12, Kupang", "rumah di [dihapus], Kupang"),
    ("di J l. Ahmad Yani 12", "di [dihapus]"),
    ("di Komplek Ruko 3", "di [dihapus]"),
    ("saya tinggal di Desa Oelaba dekat gereja", "saya tinggal di [dihapus]"),
    ("kirim ke Timor Raya nomor 5", "kirim ke [dihapus]"),
    ("pemohon Pɛtrus Nope", "pemohon [dihapus] [dihapus]"),
    ("dan Saudari maria bria hadir", "dan Saudari [dihapus] hadir"),
    ("NIK 53O2OOOOOOOOOO99", "NIK [dihapus]"),
    # beside them, what must survive
    ("alamat kantor KPU", "alamat kantor KPU"), ("jalan provinsi", "jalan provinsi"),
    ("blok anggaran 2026", "blok anggaran 2026"), ("ibu hamil", "ibu hamil"), ("bapak ketua", "bapak ketua"),
    ("KPU Kota Kupang", "KPU Kota Kupang"),
])
def test_the_second_hostile_tests_examples(text, expected):
    assert pii.mask(text, ["Petrus Nope"], own={"address": OWN_ADDRESS}) == expected


def test_the_book_masks_the_registered_address_typed_into_free_text():
    row = pii.mask_row({"requester_name": "Petrus Nope", "subject": "Salinan DPT Desa Oelaba 2024, kirim ke Timor Raya nomor 5",
                        "purpose": "Penelitian"}, own={"address": OWN_ADDRESS})
    assert row["subject"] == "Salinan DPT [dihapus] 2024, kirim ke [dihapus]"


def test_a_run_masks_the_registered_address_in_the_book(tmp_path):
    """End to end: the book's `own` holds the registered address (register.Record.personal)."""
    inbox, records = tmp_path / "inbox", tmp_path / "records"
    req = base_request()
    req["requester"]["name"] = "Petrus Nope"
    req["requester"]["address"] = OWN_ADDRESS
    req["information"] = ["Rekap DPT Desa Oelaba 2024", "Salinan SK 0012/PPID/2026"]
    req["purpose"] = "Dikirim ke timor raya nomor 5 atas nama Pɛtrus"
    write_request(inbox, "permohonan-1.yaml", req)
    result = CliRunner().invoke(main, ["run", str(inbox), "--out", str(tmp_path / "out"), "--no-pdf",
                                       "--templates", str(TEMPLATES), "--records", str(records),
                                       "--date", "2026-12-31"])
    assert result.exit_code == 0, result.output
    book = read_book(records)
    text = " ".join(book[["subject", "purpose"]].iloc[0]).lower()
    assert "oelaba" not in text and "timor" not in text and "pɛtrus" not in text, text
    assert "rekap dpt" in text and "0012/ppid/2026" in text


# Hostile round 3: what still reached the analysts' export, kept as regular tests
HOSTILE3 = ["budi99 (di) gmail (titik) com", "budi99 di gmail titik com", "budi99 pada gmail titik com",
            "email: budi99 di gmail.com", "b.u.d.i.9.9.@.g.m.a.i.l...c.o.m", "kirim ke budi99@gmail saja",
            "hubungi 0812&#45;3456&#45;7890", "hp 0812%2D3456%2D7890",
            "nol delapan dua belas tiga puluh empat lima puluh enam tujuh puluh delapan sembilan puluh",
            "kosong lapan satu dua tiga empat lima enam tujuh lapan sembilan kosong"]
# and what must stay: "di" and "titik" as the words they usually are, counts said in words
HOSTILE3_KEPT = ["rapat di kantor titik temu warga", "data di kpu.go.id dan titik koordinat",
                 "jumlah pemilih di kecamatan dua belas desa", "dua puluh lima tahun",
                 "rekap di tiga puluh kecamatan tahun dua ribu dua puluh empat", "situs kpu.go.id",
                 "Rp 12.500&#44;00 per lembar"]


@pytest.mark.parametrize("text", HOSTILE3)
def test_the_third_hostile_rounds_spellings_are_masked(text):
    masked = pii.mask(f"Mohon data pemilih. {text} terima kasih")
    assert pii.MASK in masked
    for token in ("budi", "gmail", "3456", "lapan satu", "puluh empat"):
        assert token not in masked.casefold()


@pytest.mark.parametrize("text", HOSTILE3_KEPT)
def test_words_that_only_look_like_an_address_stay(text):
    assert pii.mask(text) == text


@pytest.mark.parametrize("address", [
    "a" * 64 + "@example.org",  # the longest local part RFC 5321 allows
    ".".join(["ab"] * 21) + "x@example.org",  # 64 characters with dots
    " [dot] ".join(["abc"] * 16) + " (at) example [dot] org",  # 63 with each dot spelled out
    " ".join("yohanes.seran.kupang.2026.ppid.ntt.example.user.name.abcdefghij") + " @ g m a i l . c o m",
])
def test_a_local_part_up_to_the_rfc_limit_is_masked(address):
    """The e-mail patterns read at most 80 pieces before the "@" (a long run of them is not an
    address, and reading on made every start scan the rest of the text); 64 characters, the
    longest local part there is, are masked whole."""
    masked = pii.mask(f"kirim ke {address} segera", [], own=None)
    assert masked == f"kirim ke {pii.MASK} segera", masked


@pytest.mark.parametrize("text", ["Surat dari Johanes tentang data", "Yohannes minta salinan", "oleh Yohnaes",
                                  "YOHANEZ", "Nenobias", "Yulliana", "Juliana"])
def test_the_own_name_respelled_by_one_letter_is_masked(text):
    """A long word of the requester's own name with one letter added, dropped, changed or two
    swapped still names them (hostile round 4: 'Johanes' for 'Yohanes' stayed)."""
    masked = pii.mask(text, ["Yohanes Nenobais", "Yuliana"], own=None)
    assert pii.MASK in masked and not any(w in masked.lower() for w in ("johanes", "yohannes", "yohnaes",
                                                                         "yohanez", "nenobias", "yulliana",
                                                                         "juliana")), masked


@pytest.mark.parametrize("text", ["Johannes Kepler", "serah terima dokumen pemilu", "pelaksanaan pemilihan",
                                  "Keputusan Nomor 129", "Yohanes"])
def test_a_word_two_letters_from_the_name_or_a_short_name_word_stays(text):
    masked = pii.mask(text, ["Seran", "Yohanes Nenobais"], own=None)
    expected = text.replace("Yohanes", pii.MASK) if text == "Yohanes" else text
    assert masked == expected, masked
