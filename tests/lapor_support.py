"""An invented SP4N-LAPOR! export of an invented agency (Pemerintah Kota Sukamaju), in the
real column layouts (XLSX "Laporan Ringkas" with its header block, and CSV).

The texts are made up for the tests; none is a real report. The agency's citizens
use local names (the yellow garbage truck "Si Kuning", the city bus "Trans Sukamaju",
the welfare card "KSS", the Dukcapil app "SiDuta", ...) that the shipped model
cannot know, alongside ordinary wording, so a model that learns from the agency's
older reports should route its newer ones better than either the shipped model or
a model trained on the import alone.
"""

from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

XLSX_COLUMNS = [
    "Tracking ID", "Tanggal Laporan Masuk", "Waktu Laporan Masuk", "Klasifikasi Laporan",
    "ID Kategori", "Kategori", "Judul Laporan", "Isi Laporan Awal", "Isi Laporan Akhir",
    "Tipe Laporan (Anonim/Rahasia)", "Sumber Laporan", "Instansi Induk",
    "Instansi Terdisposisi", "Status Laporan", "Alasan Tunda/Arsip", "Provinsi",
    "Kota/Kabupaten",
]
CSV_COLUMNS = [*XLSX_COLUMNS[:3], "Nama Pelapor", *XLSX_COLUMNS[3:13],
               "ID Instansi Terdisposisi", *XLSX_COLUMNS[13:], "Kecamatan", "Kelurahan"]
AGENCY = "Pemerintah Kota Sukamaju"


@dataclass(frozen=True)
class Row:
    """One invented report with every export field."""

    tracking_id: str
    received: date
    classification: str
    category_name: str
    title: str
    text: str
    unit: str
    kind: str = ""
    status: str = "Ditutup oleh Admin"
    reporter: str = "Anonim"
    expected: str | None = None  # the Pintu category a correct import gives


# category -> (LAPOR! category name, unit, local wordings, ordinary wordings of the older
# reports, ordinary wordings of the newer ones)
TOPICS: dict[str, tuple[str, str, list[str], list[str], list[str]]] = {
    "environment": (
        "Pencemaran Lingkungan", "Dinas Lingkungan Hidup Kota Sukamaju",
        ["armada Si Kuning tidak lewat di gang {p} sudah {d} hari",
         "bank sampah Resik di {p} tutup dan karung warga menumpuk",
         "TPS3R {p} penuh, Si Kuning cuma datang seminggu sekali",
         "petugas Resik menolak mengambil karung dari RW {p}"],
        ["sampah di pinggir jalan {p} menumpuk dan berbau busuk",
         "pabrik tahu di {p} membuang limbah ke sungai sampai airnya hitam",
         "warga membakar sampah plastik setiap sore di {p}, asapnya masuk rumah"],
        ["tumpukan limbah medis dibuang di lahan kosong dekat {p}",
         "peternakan ayam di {p} menimbulkan bau menyengat dan lalat",
         "sungai di {p} penuh busa deterjen dan ikan mati"]),
    "transport": (
        "Lainnya terkait Perhubungan", "Dinas Perhubungan Kota Sukamaju",
        ["bus Trans Sukamaju koridor {p} datang tiap satu jam, halte penuh",
         "kartu Trans Sukamaju saya ditolak mesin tap di halte {p}",
         "sopir Trans Sukamaju ngebut dan melewati halte {p}",
         "jadwal Trans Sukamaju ke {p} dihapus tanpa pengumuman"],
        ["lampu lalu lintas di simpang {p} mati dan macet parah",
         "parkir liar di bahu jalan {p} bikin macet tiap sore",
         "angkot ngetem lama di depan pasar {p} dan menutup jalan"],
        ["terminal {p} kumuh dan calo memaksa penumpang",
         "rambu dilarang parkir di {p} hilang sehingga semrawut",
         "ojek pangkalan menghalangi angkutan online di stasiun {p}"]),
    "social_assistance": (
        "Bantuan Sosial", "Dinas Sosial Kota Sukamaju",
        ["Kartu Sukamaju Sejahtera (KSS) kami tidak cair bulan ini di {p}",
         "nama ibu saya hilang dari daftar KSS padahal tetap miskin, di {p}",
         "pencairan KSS di kantor pos {p} antre tapi uangnya habis",
         "saldo KSS terpotong oleh pendamping di {p}"],
        ["keluarga miskin di {p} tidak pernah menerima bansos",
         "bantuan PKH kami berhenti tanpa penjelasan di {p}",
         "penerima BPNT di {p} banyak yang mampu, yang miskin tidak dapat"],
        ["lansia sebatang kara di {p} belum masuk DTKS",
         "BLT untuk warga miskin di {p} dipotong perangkat desa",
         "kami keluarga prasejahtera di {p} tidak terdata sebagai penerima bantuan"]),
    "population_registry": (
        "Administrasi Kependudukan dan Pencatatan Sipil", "Disdukcapil Kota Sukamaju",
        ["aplikasi SiDuta gagal terus waktu unggah berkas akta, saya warga {p}",
         "pengajuan KIA lewat SiDuta {d} hari belum diproses, warga {p}",
         "mesin ADM di mal pelayanan {p} rusak, tidak bisa cetak KK",
         "SiDuta minta verifikasi wajah tapi selalu gagal, warga {p}"],
        ["KTP elektronik saya belum jadi sudah {d} hari, saya warga {p}",
         "akta kelahiran anak saya salah tulis nama, warga {p}",
         "data di kartu keluarga kami tertukar dengan keluarga lain di {p}"],
        ["surat pindah domisili saya dari {p} belum terbit",
         "NIK saya tidak terdaftar di data kependudukan, warga {p}",
         "blangko KTP-el di kecamatan {p} habis berbulan-bulan"]),
    "infrastructure": (
        "Jalan Berlubang", "Dinas PUPR Kota Sukamaju",
        ["Jalan Lingkar Selatan di {p} ambles lagi dan aspalnya retak",
         "box culvert di {p} jebol sehingga jalan amblas separuh",
         "tembok penahan tanah Jalan Lingkar Selatan {p} retak dan miring",
         "rabat beton gang {p} pecah dan berlubang"],
        ["jalan di depan sekolah {p} berlubang besar dan banyak yang jatuh",
         "jembatan kayu di {p} lapuk dan hampir putus",
         "lampu jalan di {p} mati semua sehingga gelap gulita"],
        ["drainase di {p} tersumbat sehingga jalan tergenang",
         "trotoar di {p} rusak dan ubinnya lepas",
         "aspal jalan provinsi di {p} mengelupas dan bergelombang"]),
    "water_supply": (
        "Gangguan Layanan Penyaluran Air", "Perumda Tirta Sukamaju",
        ["air Tirta Sukamaju di {p} keluar cuma tengah malam",
         "meteran Tirta Sukamaju di {p} berputar padahal kran tertutup",
         "tagihan Tirta Sukamaju bulan ini naik tiga kali lipat, pelanggan {p}"],
        ["air PDAM di {p} tidak mengalir sejak {d} hari",
         "air ledeng di {p} keruh dan berbau kaporit",
         "pipa air bocor di jalan {p} dan airnya terbuang"],
        ["sambungan baru pelanggan air minum di {p} tak kunjung dipasang",
         "tekanan air keran di {p} sangat kecil setiap pagi",
         "air bersih dari perusahaan air minum di {p} berwarna kuning"]),
    "public_order": (
        "Ketertiban Umum", "Satpol PP Kota Sukamaju",
        ["lapak kaki lima di alun-alun {p} buka sampai trotoar habis",
         "karaoke di ruko {p} bising sampai jam tiga pagi",
         "bangunan liar di bantaran {p} makin banyak"],
        ["pedagang kaki lima menutup trotoar di {p}",
         "reklame liar dipasang di pohon sepanjang {p}",
         "pengamen dan manusia silver memaksa di lampu merah {p}"],
        ["balap liar setiap malam minggu di jalan {p} meresahkan",
         "tempat hiburan malam di {p} buka melewati jam izin",
         "gelandangan dan pengemis memenuhi perempatan {p}"]),
}
PLACES = ["Cibeureum", "Sukasari", "Margaluyu", "Cigugur", "Tamansari", "Pasirjati",
          "Karanganyar", "Mekarwangi", "Sindangsari", "Rancabali"]
BACKGROUND = ["Saya warga RT 03 RW 07.", "Sudah lapor ke kelurahan tapi belum ada kabar.",
              "Mohon segera ditindaklanjuti.", "Terima kasih atas perhatiannya.",
              "Kami sudah menunggu lama.", ""]
NAMES = ["Budi Santoso", "Siti Aminah", "Dedi Kurniawan", "Rina Marlina", "Asep Saepudin"]


def _text(template: str, rng: random.Random) -> str:
    return template.replace("{p}", rng.choice(PLACES)).replace("{d}", str(rng.randint(3, 40)))


def make_rows(n: int, *, start: date, days: int, local_share: float, seed: int,
              first_id: int = 1, newer: bool = False) -> list[Row]:
    """``n`` invented complaints spread over ``days`` days from ``start``; ``local_share``
    of them in the agency's local wording, the rest in ordinary wording (of the older
    reports, or with ``newer`` of the newer ones, which the older never use)."""
    rng = random.Random(seed)
    rows: list[Row] = []
    cats = list(TOPICS)
    for i in range(n):
        cat = cats[i % len(cats)]
        name, unit, local, ordinary_old, ordinary_new = TOPICS[cat]
        pool = local if rng.random() < local_share else (
            ordinary_new if newer else ordinary_old)
        body = _text(rng.choice(pool), rng)
        body = body[0].upper() + body[1:] + ". " + rng.choice(BACKGROUND)
        title = " ".join(w.capitalize() for w in body.split()[:4])
        rows.append(Row(
            tracking_id=f"SKM-{first_id + i:07d}",
            received=start + timedelta(days=rng.randrange(days)),
            classification=rng.choice(["Pengaduan Tidak Berkadar Pengawasan",
                                       "Pengaduan Berkadar Pengawasan", ""]),
            category_name=name, title=title, text=title + body.strip(), unit=unit,
            reporter=rng.choice(NAMES), expected=cat))
    return rows


def special_rows(start: date) -> list[Row]:
    """Rows for the edge cases: Rahasia, a mixed-job unit without a category, an unknown
    category with a known unit, personal data, blocked content, a duplicate, an
    information request, and no category at all."""
    base = Row("SKM-9000001", start, "Pengaduan Tidak Berkadar Pengawasan",
               "Pencemaran Lingkungan", "Limbah Pabrik",
               "Limbah PabrikLimbah pabrik cat di Sukasari mengalir ke sawah warga.",
               "Dinas Lingkungan Hidup Kota Sukamaju", expected="environment")
    return [
        replace(base, tracking_id="SKM-9000002", kind="Rahasia", title="Rahasia",
                text="Kepala seksi di kantor kelurahan meminta uang rokok setiap urusan.",
                expected=None),
        replace(base, tracking_id="SKM-9000003", kind="Anonim|Rahasia", title="",
                text="Oknum pegawai dinas meminta imbalan untuk mempercepat izin usaha.",
                expected=None),
        replace(base, tracking_id="SKM-9000004", category_name="Topik Lainnya",
                unit="Dinas Perhubungan Kota Sukamaju", title="",
                text="Mohon diperhatikan keadaan di sekitar pasar baru yang makin semrawut.",
                expected=None),
        replace(base, tracking_id="SKM-9000005", category_name="",
                unit="Kecamatan Cibeureum", title="",
                text="Warga mengeluhkan banyak hal di lingkungan kami yang tidak kunjung beres.",
                expected=None),
        replace(base, tracking_id="SKM-9000006", category_name="Kategori Baru Daerah",
                unit="Dinas Sosial Kota Sukamaju", title="",
                text="Bantuan sembako Jumat Berkah di Margaluyu tidak pernah sampai ke lansia.",
                expected="social_assistance"),
        replace(base, tracking_id="SKM-9000007", reporter="Dewi Lestari",
                title="Air Keruh",
                text="Air KeruhSaya Dewi Lestari (NIK 3273014501900002, HP 0812-3456-7890, "
                     "dewi.lestari@contoh.id) melapor air PDAM keruh di Cigugur. Tetangga "
                     "saya Bapak Hendra Wijaya juga mengalami hal yang sama.",
                category_name="Layanan Air Minum", unit="Perumda Tirta Sukamaju",
                expected="water_supply"),
        replace(base, tracking_id="SKM-9000008", status="Konten Terblokir", title="",
                text="Isi laporan ini diblokir karena memuat kata-kata kasar.", expected=None),
        replace(base, tracking_id="SKM-9000009"),
        replace(base, tracking_id="SKM-9000010", title="LIMBAH PABRIK",
                text="LIMBAH PABRIK - Limbah pabrik cat di Sukasari mengalir ke sawah warga!",
                expected=None),  # the same text in capitals: a duplicate
        replace(base, tracking_id="SKM-9000011", classification="Permintaan Informasi",
                category_name="", unit="Disdukcapil Kota Sukamaju", title="",
                text="Bagaimana cara mengurus akta kematian untuk orang tua yang meninggal "
                     "di luar kota?", expected=None),
        replace(base, tracking_id="SKM-9000012", category_name="", title="",
                unit="Satpol PP Kota Sukamaju",
                text="Ada odong-odong yang parkir di badan jalan depan masjid agung Sukasari.",
                expected="public_order"),
        replace(base, tracking_id="SKM-9000013", title="Kosong", text="Kosong"),
    ]


def _fields(row: Row) -> dict[str, Any]:
    return {
        "Tracking ID": row.tracking_id,
        "Tanggal Laporan Masuk": row.received.strftime("%d %b %Y").replace("Aug", "Agu"),
        "Waktu Laporan Masuk": "09:15:02",
        "Nama Pelapor": row.reporter,
        "Klasifikasi Laporan": row.classification,
        "ID Kategori": str(100 + len(row.category_name) * 7)
        if row.category_name else "",
        "Kategori": row.category_name,
        "Judul Laporan": row.title,
        "Isi Laporan Awal": row.text,
        "Isi Laporan Akhir": "Laporan telah ditindaklanjuti oleh unit terkait.",
        "Tipe Laporan (Anonim/Rahasia)": row.kind,
        "Sumber Laporan": "Website",
        "Instansi Induk": AGENCY,
        "Instansi Terdisposisi": row.unit,
        "ID Instansi Terdisposisi": "12345",
        "Status Laporan": row.status,
        "Alasan Tunda/Arsip": "",
        "Provinsi": "Jawa Barat",
        "Kota/Kabupaten": "Kota Sukamaju",
        "Kecamatan": "Cibeureum",
        "Kelurahan": "Sukasari",
    }


def xlsx_bytes(rows: list[Row], *, period: str = "(2021-01-01) - (2024-12-31)") -> bytes:
    """The rows as an XLSX "Laporan Ringkas": header block in rows 1-9, table from row 11."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    block = [["Laporan Ringkas SP4N-LAPOR!"], [], ["Judul Laporan", ": Laporan Ringkas"],
             ["Nama Instansi", AGENCY], ["Tanggal Generate", "2025-01-05 10:11:12"],
             ["Periode Masuk", period], ["Pengelola", "Admin Instansi"], [], []]
    for line in block:
        sheet.append(line)
    sheet.append([])
    sheet.append(XLSX_COLUMNS)
    for row in rows:
        values = _fields(row)
        cells: list[Any] = [values[c] for c in XLSX_COLUMNS]
        cells[1] = row.received  # a real date cell, as Excel stores it
        sheet.append(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(rows: list[Row]) -> bytes:
    """The rows as the CSV export (with Nama Pelapor, ID Instansi, Kecamatan, Kelurahan)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        values = _fields(row)
        writer.writerow([values[c] for c in CSV_COLUMNS])
    return out.getvalue().encode("utf-8-sig")
