"""The annual report's Indonesian wording: labels, sentences and chart text, in one place.

`pipeline/report.py` computes the figures, draws the charts and fills the template; every
sentence a reader sees is written here or in ``templates/annual_report.docx``
(``templates/make_annual_report.py``). Periods come in as `Days`, read from the office's
config (``deadlines:`` in config/office.yaml): no sentence here carries a number of days
of its own.

Legal sources of the sentences: UU 14/2008 (Pasal 17, 22 ayat 7 and 8, 35 ayat 1, 36 ayat 2,
37 ayat 1 and 2, 38 ayat 1); Perki 1/2021 Pasal 56 (what the report holds: the policy
with facilities, staff and budget; the figures; objections, disputes at the Komisi
Informasi, lawsuits at court and the carrying out of rulings; obstacles; recommendations;
summarised at https://spiritsumbar.com/standar-layanan-informasi-publik, listed item by item
in Perki-derived rules such as Perban Ombudsman 46/2020 Pasal 31,
https://pasal.id/en/peraturan/perban/peraturan-ori-no-46-tahun-2020/koreksi/8125063).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pipeline.formatting import date_id, working_days_id

DASH = "–"
NO_DATA = "tidak tersedia data"


# --- numbers the Indonesian way -----------------------------------------------------------


def join_id(parts: list[str]) -> str:
    """Indonesian enumeration: 'a', 'a dan b', 'a, b, dan c'."""
    if len(parts) < 3:
        return " dan ".join(parts)
    return ", ".join(parts[:-1]) + ", dan " + parts[-1]


def num(x) -> str:
    """1.234 (thousands with a dot); '–' for None."""
    if x is None:
        return DASH
    return f"{int(x):,}".replace(",", ".")


def dec(x, places: int = 1) -> str:
    """7,5 (decimal comma, thousands with a dot); '–' for None."""
    if x is None:
        return DASH
    text = f"{float(x):,.{places}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def pct(x) -> str:
    return DASH if x is None else f"{dec(x, 1)}%"


def cap(text: str) -> str:
    return text[:1].upper() + text[1:]


# --- the office's periods -----------------------------------------------------------------


@dataclass(frozen=True)
class Days:
    """The office's periods in working days (config `deadlines:`)."""

    notice: int
    extension: int
    objection_window: int
    objection_answer: int
    commission: int

    @classmethod
    def of(cls, deadlines: Mapping[str, int] | Any) -> Days:
        """From `Config.deadlines` (a mapping, or an object with these attributes)."""
        def get(key: str) -> int:
            return int(deadlines[key] if isinstance(deadlines, Mapping) else getattr(deadlines, key))
        return cls(*(get(k) for k in ("notice", "extension", "objection_window",
                                      "objection_answer", "commission")))

    @property
    def extended(self) -> int:
        """The notice's last day with the extension (UU KIP Pasal 22 ayat 7 and 8)."""
        return self.notice + self.extension

    def words(self) -> dict[str, str]:
        """The template's `d`: every period in figures and words."""
        return {"notice": working_days_id(self.notice),
                "extension": working_days_id(self.extension),
                "extended": working_days_id(self.extended),
                "objection_window": working_days_id(self.objection_window),
                "objection_answer": working_days_id(self.objection_answer),
                "commission": working_days_id(self.commission),
                "notice_short": f"{self.notice} hari kerja",
                "extended_short": f"{self.extended} hari kerja"}


# --- labels -------------------------------------------------------------------------------

SERVICE_TITLES = {"information": "Permohonan informasi publik", "consultation": "Konsultasi",
                  "objection": "Keberatan", "complaint": "Pengaduan, saran, dan masukan"}
OUTCOME_TITLES = {"granted": "Dikabulkan seluruhnya", "partially_granted": "Dikabulkan sebagian",
                  "rejected": "Ditolak", "not_held": "Informasi tidak dikuasai",
                  # refused first, granted after the refusal fell (objection, Komisi Informasi, correction)
                  "granted_on_review": "Dikabulkan seluruhnya setelah penolakan dicabut"}
# UU 14/2008 Pasal 17, in short.
PASAL17 = {
    "a": "menghambat proses penegakan hukum",
    "b": "mengganggu kepentingan perlindungan hak atas kekayaan intelektual dan perlindungan dari persaingan usaha tidak sehat",
    "c": "membahayakan pertahanan dan keamanan negara",
    "d": "mengungkapkan kekayaan alam Indonesia",
    "e": "merugikan ketahanan ekonomi nasional",
    "f": "merugikan kepentingan hubungan luar negeri",
    "g": "mengungkapkan isi akta otentik yang bersifat pribadi dan kemauan terakhir ataupun wasiat seseorang",
    "h": "mengungkap rahasia pribadi",
    "i": "memorandum atau surat antar/intra Badan Publik yang menurut sifatnya dirahasiakan",
    "j": "informasi yang tidak boleh diungkapkan berdasarkan undang-undang",
}
# Keputusan KPU Provinsi NTT 129/2022, Lampiran, B.2, B.3 and B.5: the stock text of
# chapter II, replaced by the office's own through `narrative`.
FACILITIES = ["Ruang tamu dan ruang pelayanan (Front Office)", "Meja dan kursi", "Komputer",
              "Printer", "Jaringan internet", "Pesawat telepon",
              "Laman e-PPID untuk permohonan secara daring"]
STAFF = [
    "Pegawai yang memiliki pengetahuan peraturan perundang-undangan",
    "Pegawai yang memiliki pengetahuan di bidang kebijakan kepemiluan dan program kegiatan "
    "Komisi Pemilihan Umum",
    "Pegawai yang memiliki keterampilan mengelola data dan informasi",
    "Pegawai yang mampu menyampaikan informasi secara lengkap, terbuka, bertanggung jawab, "
    "serta santun",
    "Pegawai yang mampu mengoperasikan komputer",
    "Paling sedikit 1 (satu) orang pegawai penanggung jawab layanan data dan informasi dan 2 "
    "(dua) orang pegawai/pejabat untuk layanan konsultasi",
]
# Short names of the requirement checks (spec section 3), when the caller gives no titles
# from config/requirements.yaml.
REQUIREMENT_TITLES = {
    "identity": "Identitas pemohon", "contact": "Nomor kontak dan alamat pos-el",
    "contact_any": "Nomor kontak atau alamat pos-el", "identity_copy": "Salinan kartu identitas",
    "identity_shown": "Kartu identitas ditunjukkan di Front Office",
    "information": "Rincian informasi yang diminta", "topic": "Materi konsultasi",
    "purpose": "Tujuan permohonan", "source": "Sumber informasi",
    "addressed_to": "Surat ditujukan kepada Ketua KPU Provinsi Nusa Tenggara Timur",
    "letter": "Surat permohonan", "leader_letter": "Surat dari pimpinan lembaga",
    "guest_book": "Registrasi buku tamu",
    "objection_to": "Nomor register permohonan yang diajukan keberatan",
    "grounds": "Alasan keberatan", "text": "Isi pengaduan",
    "delegation": "Persetujuan jawaban konsultasi atas mandat",
}
MONTH_SHORT = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")
STATE_LABELS = {"decided": "Telah dijawab/diselesaikan", "pending": "Dalam proses",
                "incomplete": "Belum memenuhi persyaratan", "withdrawn": "Dicabut oleh pemohon"}
OVERDUE, IN_PROGRESS = "Melewati tenggat", "Dalam proses"
NOT_ANSWERED = "Belum ditanggapi"
INADMISSIBLE = "keberatan tidak dapat diterima (diajukan setelah jangka waktu berakhir)"
LAWSUIT_RESULT_LABELS = {"granted": "dikabulkan", "partially_granted": "dikabulkan sebagian",
                         "rejected": "ditolak", "dismissed": "tidak diterima",
                         "withdrawn": "dicabut"}


def band_title(key: str, d: Days) -> str:
    """The label of a timeliness band from its key ("same_day", "6_10", "over_17")."""
    if key == "same_day":
        return "Pada hari permohonan diterima"
    if key.startswith("over_"):
        return f"Lebih dari {key[5:]} hari kerja"
    lo, hi = key.split("_")
    return f"{lo}–{hi} hari kerja" + (" (dengan perpanjangan)" if int(hi) > d.notice else "")


def timeliness_labels() -> list[str]:
    return ["Permohonan informasi yang dijawab", "Median waktu pelayanan (hari kerja)",
            "Rata-rata waktu pelayanan (hari kerja)", "Waktu tercepat (hari kerja)",
            "Waktu terlama (hari kerja)", "Dijawab tepat waktu", "Dijawab melewati batas waktu",
            "Dengan perpanjangan waktu (Pasal 22 ayat 8)"]


def summary_labels() -> list[str]:
    return ["Permohonan diterima (semua layanan)", "Permohonan informasi publik diterima",
            "Permohonan informasi publik dijawab", "Dijawab tepat waktu",
            "Median waktu pelayanan (hari kerja)", "Belum selesai pada akhir tahun", "Keberatan"]


SURVEY_LABEL = "Indeks Kepuasan Masyarakat"
NO_GROUNDS = "Tidak ada permohonan yang ditolak berdasarkan alasan pengecualian"
NO_MISSING = "Tidak ada kekurangan persyaratan yang tercatat"
NO_OBJECTIONS = "Tidak ada keberatan"
NONE = "Tidak ada"


def title(year: int, office_short: str) -> str:
    return f"Laporan Layanan Informasi Publik Tahun {year} {office_short}"


# --- sentences ----------------------------------------------------------------------------


def channel_text(year: int, received: int, top_label: str, top_count: int) -> str:
    if not received:
        return f"Tidak ada permohonan yang diterima pada tahun {year}."
    return (f"Permohonan diterima melalui surat, WhatsApp, pos-el, laman e-PPID, dan kedatangan "
            f"langsung. Saluran yang paling banyak digunakan pada tahun {year} adalah "
            f"{top_label} ({num(top_count)} dari {num(received)} permohonan).")


def incomplete_text(year: int, inc: dict, as_of) -> str:
    if not inc["total"]:
        return f"Seluruh permohonan pada tahun {year} memenuhi persyaratan saat diterima."
    return (f"Sebanyak {num(inc['total'])} permohonan belum memenuhi persyaratan pada saat "
            f"diterima dan kepada pemohonnya disampaikan pemberitahuan kekurangan persyaratan. "
            f"Dari jumlah tersebut, {num(inc['completed'])} telah dilengkapi, "
            f"{num(inc['still_incomplete'])} belum dilengkapi hingga {date_id(as_of)}, dan "
            f"{num(inc['withdrawn'])} dicabut. Jangka waktu pelayanan permohonan yang belum "
            f"lengkap dihitung sejak persyaratan dilengkapi.")


def backlog_text(back: dict, backlog_date: str) -> str:
    if not back["pending"]:
        return f"Per {backlog_date} seluruh permohonan yang diterima telah diselesaikan."
    return (f"Per {backlog_date} terdapat {num(back['pending'])} permohonan yang belum "
            f"selesai (termasuk yang diterima pada tahun sebelumnya), "
            f"{num(back['overdue'])} di antaranya telah melewati tenggat. Tabel berikut memuat "
            f"paling banyak sepuluh permohonan tertua menurut nomor register.")


def consultation_text(year: int, cons: dict) -> str:
    if not cons["received"]:
        return f"Tidak ada permohonan konsultasi pada tahun {year}."
    return (f"Pada tahun {year} diterima {num(cons['received'])} permohonan konsultasi; "
            f"{num(cons['answered'])} telah dilayani dengan median waktu "
            f"{dec(cons['working_days']['median'])} hari kerja"
            + (f", dan {num(cons['pending'])} masih dalam proses." if cons["pending"] else "."))


def complaint_text(year: int, comp: dict) -> str:
    if not comp["received"]:
        return f"Tidak ada pengaduan, saran, atau masukan pada tahun {year}."
    return (f"Pengaduan, saran, dan masukan yang diterima berjumlah {num(comp['received'])}; "
            f"{num(comp['responded'])} telah ditanggapi.")


def objection_text(year: int, obj: dict, d: Days) -> str:
    """UU KIP Pasal 36 ayat (2): the Atasan PPID answers within the configured period."""
    if not obj["received"]:
        return f"Tidak ada keberatan yang diajukan pada tahun {year}."
    return (f"Pada tahun {year} diajukan {num(obj['received'])} keberatan kepada atasan PPID; "
            f"{num(obj['answered'])} telah ditanggapi dengan median waktu "
            f"{dec(obj['working_days']['median'])} hari kerja, {num(obj['on_time'])} di "
            f"antaranya dalam {working_days_id(d.objection_answer)} sebagaimana diatur dalam "
            f"UU 14/2008 Pasal 36 ayat 2.")


def dispute_text(year: int, disputes, record: dict, result_labels: dict, d: Days) -> str:
    """Disputes at the Komisi Informasi (UU KIP Pasal 37): the register's own record, or the
    office's narrative (`report.disputes`: a count or a sentence)."""
    text = (f"Pemohon yang tidak puas atas tanggapan atasan PPID dapat mengajukan penyelesaian "
            f"sengketa informasi publik kepada Komisi Informasi Provinsi Nusa Tenggara Timur "
            f"dalam waktu {working_days_id(d.commission)} (UU 14/2008 Pasal 37 ayat 2). ")
    if disputes is None:
        if record["filed"]:
            ended = [f"{num(n)} {result_labels.get(k, k)}" for k, n in record["by_result"].items() if n]
            return text + (
                f"Pada tahun {year} tercatat {num(record['filed'])} sengketa informasi publik "
                f"yang diajukan ke Komisi Informasi atas tanggapan keberatan"
                + (f"; {join_id(ended)}" if ended else "")
                + (f"; {num(record['pending'])} masih dalam proses." if record["pending"] else "."))
        return text + (f"Register layanan PPID tidak mencatat sengketa informasi publik yang "
                       f"diajukan ke Komisi Informasi pada tahun {year}.")
    if isinstance(disputes, int):
        return text + (f"Pada tahun {year} tercatat {num(disputes)} sengketa informasi publik "
                       f"yang diajukan ke Komisi Informasi." if disputes else
                       f"Pada tahun {year} tidak ada sengketa informasi publik yang diajukan ke "
                       f"Komisi Informasi.")
    return text + str(disputes)


def lawsuit_text(year: int, narrative, record: dict | None) -> str:
    """Lawsuits at court over a Komisi Informasi ruling and their rulings (Perki 1/2021 Pasal
    56): from the book's `lawsuit_*` columns, else the office's narrative (`report.lawsuits`:
    a count or a sentence), else "tidak ada"."""
    if record is not None:
        if not record["filed"]:
            return f"Pada tahun {year} tidak ada gugatan ke pengadilan atas sengketa informasi publik."
        ended = [f"{num(n)} {LAWSUIT_RESULT_LABELS.get(k, k)}"
                 for k, n in record["by_result"].items() if n]
        return (f"Pada tahun {year} tercatat {num(record['filed'])} gugatan ke pengadilan atas "
                f"putusan Komisi Informasi"
                + (f"; putusan pengadilan: {join_id(ended)}" if ended else "")
                + (f"; {num(record['pending'])} belum diputus." if record["pending"] else "."))
    if narrative is None or narrative == 0:
        return f"Pada tahun {year} tidak ada gugatan ke pengadilan atas sengketa informasi publik."
    if isinstance(narrative, int):
        return (f"Pada tahun {year} tercatat {num(narrative)} gugatan ke pengadilan atas putusan "
                f"Komisi Informasi.")
    return str(narrative)


def rulings_text(year: int, narrative, owed: int, office_short: str) -> str:
    """How Komisi Informasi and court rulings were carried out (Perki 1/2021 Pasal 56): the
    office's narrative (`report.rulings`), else what the register shows."""
    if narrative:
        return str(narrative)
    if not owed:
        return (f"Pada tahun {year} tidak ada putusan Komisi Informasi, kesepakatan mediasi, "
                f"atau putusan pengadilan yang wajib dilaksanakan oleh {office_short}.")
    return (f"Pada tahun {year} terdapat {num(owed)} putusan Komisi Informasi atau kesepakatan "
            f"mediasi yang memenangkan pemohon seluruhnya atau sebagian; keterangan "
            f"pelaksanaannya: {NO_DATA}.")


def budget_text(narrative) -> str:
    """The budget for information services and its use (Perki 1/2021 Pasal 56): the office's
    `report.budget` in config/office.yaml, else "tidak tersedia data"."""
    if narrative:
        return str(narrative)
    return (f"Anggaran pelayanan informasi publik dan laporan penggunaannya: {NO_DATA}. "
            f"Anggaran layanan informasi tidak dicatat dalam register layanan PPID.")


def survey_left_out(left_out: int) -> str:
    if not left_out:
        return ""
    return (f"Sebanyak {num(left_out)} baris jawaban tidak diikutsertakan dalam perhitungan "
            f"karena nilainya tidak lengkap atau di luar skala 1–4.")


def lower_first(text: str) -> str:
    """'Salinan KTP (UU 14/2008 …)' -> 'salinan KTP (UU 14/2008 …)': only the first word, and not
    an acronym, goes to lower case (EYD)."""
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        return text[0].lower() + text[1:]
    return text


def periods_text(d: Days, election: dict | None) -> str:
    """The periods a request is measured against: UU 14/2008's, and an election stage's
    (Perki 1/2019) for a request whose clock started during one (spec section 6)."""
    text = f"{d.notice} hari kerja ({d.extended} hari kerja bila diperpanjang)"
    if election:
        text += (f"; bagi permohonan yang jangka waktunya mulai dihitung pada masa tahapan pemilihan, "
                 f"{election['notice']} hari kerja ({election['notice'] + election['extension']} hari kerja bila "
                 f"diperpanjang) menurut Peraturan Komisi Informasi Nomor 1 Tahun 2019")
    return text


def regime_text(year: int, election: dict | None) -> str:
    """Which regime the year's requests followed (spec section 6)."""
    if not election:
        return (f"Seluruh permohonan tahun {year} mengikuti jangka waktu Undang-Undang Nomor 14 Tahun 2008; "
                "tidak ada masa tahapan pemilihan yang tercatat pada tahun tersebut.")
    return (f"Permohonan yang jangka waktunya mulai dihitung pada masa tahapan {join_id(election['names'])} "
            f"mengikuti Peraturan Komisi Informasi Nomor 1 Tahun 2019 (pemberitahuan tertulis paling lambat "
            f"{working_days_id(election['notice'])}, perpanjangan {working_days_id(election['extension'])}); "
            f"ketepatan waktunya diukur terhadap jangka waktu tersebut, permohonan lain terhadap jangka waktu "
            f"Undang-Undang Nomor 14 Tahun 2008.")


def responses_text(year: int, record: dict | None) -> str:
    """How the Atasan PPID's responses were carried out: a new written notice for each refusal
    overturned (and the refusal decree revoked), counted from the register."""
    if not record or not record["overturned"]:
        return (f"Pada tahun {year} tidak ada tanggapan atasan PPID yang menerima keberatan dan memerintahkan PPID "
                "mencabut keputusannya, "
                "sehingga tidak ada tanggapan yang memerlukan pelaksanaan.")
    done, owed = record["carried_out"], record["overturned"] - record["carried_out"]
    return (f"Atas {num(record['overturned'])} tanggapan atasan PPID yang menerima keberatan dan memerintahkan "
            f"PPID mencabut keputusannya, {num(done)} telah dilaksanakan dengan pemberitahuan tertulis baru kepada pemohon"
            + (f", sedangkan {num(owed)} belum dilaksanakan" if owed else "") + ".")


def findings(result: dict, survey: dict | None, year: int, titles: dict, office_short: str,
             d: Days, iso_id, election: dict | None = None) -> tuple[list[str], list[str], list[str]]:
    """Internal and external obstacles and recommendations read off the figures (the office
    adds its own). Perki 1/2021 Pasal 56 asks for obstacles, internal and external."""
    tim, back, inc = result["timeliness"], result["backlog"], result["incomplete"]
    obstacles, external, recs = [], [], []
    if tim["late"]:
        obstacles.append(
            f"Sebanyak {num(tim['late'])} dari {num(tim['decided'])} permohonan informasi "
            f"({pct(100.0 * tim['late'] / tim['decided'])}) dijawab melewati jangka waktunya, yaitu "
            f"{periods_text(d, election)}.")
        recs.append(f"Memantau tenggat setiap permohonan secara harian dan menyampaikan "
                    f"pemberitahuan perpanjangan paling lambat hari kerja ke-{d.notice} bila "
                    f"informasi masih dalam penyusunan.")
    if inc["total"]:
        top = next(iter(k for k, v in inc["by_missing"].items() if v), None)
        what = f"; kekurangan yang paling sering: {lower_first(titles.get(top, top.replace('_', ' ')))}" \
            if top else ""
        external.append(f"Sebanyak {num(inc['total'])} permohonan belum memenuhi persyaratan "
                         f"pada saat diterima{what}.")
        recs.append("Memperjelas informasi persyaratan permohonan pada laman e-PPID, media "
                    "sosial, dan meja layanan, termasuk contoh surat permohonan.")
    if back["overdue"]:
        obstacles.append(f"Per {iso_id(back['date'])} terdapat {num(back['overdue'])} "
                         f"permohonan yang belum dijawab dan telah melewati tenggat.")
        recs.append(f"Menyelesaikan {num(back['overdue'])} permohonan yang melewati tenggat "
                    f"pada awal tahun {year + 1}.")
    not_held = result["requests"]["by_outcome"].get("not_held", 0)
    if not_held:
        external.append(f"Sebanyak {num(not_held)} permohonan meminta informasi yang tidak "
                         f"dikuasai {office_short}.")
        recs.append("Memuat dalam Daftar Informasi Publik keterangan badan publik yang "
                    "menguasai informasi yang sering diminta tetapi tidak dikuasai.")
    if survey:
        low = min(survey["elements"], key=lambda e: e["nrr"])
        obstacles.append(f"Dalam Survei Kepuasan Masyarakat, unsur {lower_first(low['name'])} "
                         f"memperoleh nilai terendah ({dec(low['converted'], 2)}).")
        recs.append(f"Meningkatkan kualitas unsur {lower_first(low['name'])} sebagai prioritas "
                    f"perbaikan layanan tahun {year + 1}.")
    else:
        recs.append("Melaksanakan Survei Kepuasan Masyarakat sesuai Peraturan Menteri PANRB "
                    "Nomor 14 Tahun 2017 paling sedikit sekali setahun.")
    if not obstacles:
        obstacles.append(f"Tidak terdapat kendala internal berarti yang tercatat dalam register layanan "
                         f"selama tahun {year}.")
    if not external:
        external.append(f"Tidak terdapat kendala eksternal berarti yang tercatat dalam register layanan "
                        f"selama tahun {year}.")
    recs.append("Memutakhirkan Daftar Informasi Publik dan Daftar Informasi yang Dikecualikan "
                "secara berkala beserta uji konsekuensinya.")
    return obstacles, external, recs


# --- chart text ---------------------------------------------------------------------------


def chart_text(year: int, d: Days) -> dict[str, str]:
    """Titles, axis labels and legends of the charts."""
    return {
        "channels_x": "Jumlah permohonan",
        "channels_title": f"Permohonan menurut saluran, tahun {year}",
        "monthly_year": f"Tahun {year}", "monthly_prev": f"Tahun {year - 1}",
        "monthly_y": "Permohonan diterima", "monthly_title": "Permohonan diterima per bulan",
        "outcomes_x": "Jumlah permohonan informasi",
        "outcomes_title": f"Hasil permohonan informasi publik, tahun {year}",
        "days_notice": f"batas {d.notice} hari kerja",
        "days_extended": f"batas perpanjangan\n{d.extended} hari kerja",
        "days_x": "Hari kerja sejak hari pertama hingga pemberitahuan tertulis",
        "days_y": "Permohonan",
        "days_title": f"Sebaran lama pelayanan permohonan informasi, tahun {year}",
        "survey_a": "batas mutu A (88,31)", "survey_b": "batas mutu B (76,61)",
        "survey_x": "Nilai unsur (NRR × 25)",
    }


def survey_title(ikm: float, grade: str) -> str:
    return f"Nilai per unsur pelayanan, IKM {dec(ikm, 2)} ({grade})"
