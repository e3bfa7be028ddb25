"""Long written reports in the style citizens use on SP4N-LAPOR! (generated, not copied).

Real reports differ from chat messages: sentences of background before the
request, a title glued to the body ("Jalan RusakJalan di depan ..."), the unit
addressed by name ("Kepada Yth. Dinas Perhubungan", "Mohon Satpol PP ..."),
a second problem mentioned on the way, ALL CAPS, long addresses, amounts,
dates and pasted news. This module builds such reports around the project's
own seed sentences, so the model learns that

- the unit the citizen asks to act is the strongest evidence of the topic,
  while units named in the background (who already came, who sent them away)
  are not;
- of several problems, the one the citizen asks someone to fix wins;
- length, capitals, numbers and boilerplate say nothing about the topic.

Nothing here is taken from a real report; the vocabulary of units and
requests is the public one of Indonesian local government.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from tools.nlu_datagen import content as C
from tools.nlu_datagen import more as M

Add = Callable[[tuple[str, str], str, str | None], None]

# How citizens name the unit that owns each category (with a region after it, often).
UNITS: dict[str, list[str]] = {
    "infrastructure": ["Dinas PUPR", "Dinas PU", "Dinas Pekerjaan Umum dan Penataan Ruang",
                       "Bidang Bina Marga Dinas PUPR", "DPUPR", "Dinas PU Bina Marga"],
    "water_supply": ["PDAM", "Perumda Air Minum", "PDAM Tirta", "Perumda Tirta",
                     "pihak PDAM"],
    "electricity": ["PLN", "PLN ULP", "PLN UP3", "pihak PLN"],
    "health": ["Dinas Kesehatan", "Dinkes", "Kepala Puskesmas", "RSUD", "direktur RSUD",
               "BPJS Kesehatan"],
    "education": ["Dinas Pendidikan", "Disdik", "Dinas Pendidikan dan Kebudayaan",
                  "Disdikbud", "Dispendik"],
    "population_registry": ["Disdukcapil", "Dinas Kependudukan dan Pencatatan Sipil",
                            "Dukcapil", "petugas Disdukcapil"],
    "social_assistance": ["Dinas Sosial", "Dinsos", "Kementerian Sosial", "Kemensos",
                          "Dinas Sosial P3A"],
    "environment": ["DLH", "Dinas Lingkungan Hidup", "DLHK", "Dinas Lingkungan Hidup dan "
                    "Kehutanan", "Dinas Kebersihan"],
    "disaster": ["BPBD", "Badan Penanggulangan Bencana Daerah", "Damkar",
                 "Dinas Pemadam Kebakaran", "BPBD dan Damkar"],
    "transport": ["Dinas Perhubungan", "Dishub", "petugas Dishub", "Dinas Perhubungan "
                  "bidang lalu lintas"],
    "public_order": ["Satpol PP", "Satuan Polisi Pamong Praja", "Satpol-PP", "Pol PP"],
    "security": ["Polres", "Polsek", "pihak kepolisian", "Polresta", "BNN", "Polda"],
    "licensing": ["DPMPTSP", "Dinas Penanaman Modal dan PTSP", "DPM-PTSP", "petugas PTSP"],
    "taxes_fees": ["Bapenda", "Badan Pendapatan Daerah", "Bapenda", "Samsat", "BPPRD"],
    "employment": ["Disnaker", "Dinas Tenaga Kerja", "Disnakertrans", "Dinas "
                   "Ketenagakerjaan", "BPJS Ketenagakerjaan"],
    "civil_service": ["Inspektorat", "Inspektorat Daerah", "Tim Saber Pungli", "Ombudsman",
                      "Inspektorat dan BKPSDM"],
    "other": ["Kantor Pertanahan", "BPN", "Kementerian Agama", "KUA", "Diskominfo",
              "Dinas Perdagangan", "Dinas Koperasi dan UKM", "instansi yang berwenang",
              "Dinas Pertanian", "operator seluler"],
}

# What the citizen asks the unit to do (category-specific), then generic requests.
ACTIONS: dict[str, list[str]] = {
    "infrastructure": ["segera memperbaiki jalan yang rusak tersebut",
                       "menambal lubang dan memperbaiki saluran di sisi jalan",
                       "mengganti jembatan yang sudah lapuk", "memperbaiki lampu jalan yang mati",
                       "melakukan pengaspalan ulang sebelum musim hujan"],
    "water_supply": ["memperbaiki pipa dan memulihkan aliran air", "memeriksa kualitas air",
                     "mengoreksi tagihan air kami", "memberi jadwal distribusi air yang jelas"],
    "electricity": ["memperbaiki jaringan listrik", "mengganti trafo yang rusak",
                    "mengecek meteran dan tagihan listrik kami", "menormalkan aliran listrik"],
    "health": ["menegur petugas dan memperbaiki pelayanan", "menambah dokter jaga",
               "memastikan obat tersedia", "memeriksa layanan BPJS di fasilitas tersebut"],
    "education": ["memeriksa pungutan di sekolah tersebut", "memperbaiki ruang kelas",
                  "memastikan penerimaan murid baru berjalan adil",
                  "menyelesaikan masalah data siswa"],
    "population_registry": ["segera mencetak KTP-el kami", "memperbaiki data di kartu keluarga",
                            "menerbitkan akta kelahiran anak kami",
                            "memproses pindah domisili kami"],
    "social_assistance": ["memeriksa data penerima bansos", "memasukkan keluarga kami ke DTKS",
                          "menyalurkan bantuan yang menjadi hak kami",
                          "memverifikasi ulang penerima PKH di desa kami"],
    "environment": ["mengangkut sampah yang menumpuk", "menindak pembuangan limbah tersebut",
                    "memeriksa pencemaran sungai", "menertibkan pembakaran sampah"],
    "disaster": ["mengirim bantuan dan mengevakuasi warga", "memasang karung pasir dan pompa",
                 "memeriksa tebing yang rawan longsor", "memadamkan api dan mendata kerugian"],
    "transport": ["memasang rambu dan mengatur lalu lintas", "menertibkan parkir liar",
                  "memperbaiki lampu lalu lintas", "menambah armada angkutan umum"],
    "public_order": ["menertibkan pedagang kaki lima", "membongkar bangunan liar tersebut",
                     "menindak tempat hiburan yang bising", "menertibkan reklame liar"],
    "security": ["menindak pelaku dan meningkatkan patroli", "menangkap pengedar narkoba",
                 "mengusut penipuan tersebut", "membubarkan geng motor"],
    "licensing": ["memproses izin kami", "menerbitkan PBG yang sudah lama diajukan",
                  "memeriksa izin usaha tersebut", "memperbaiki sistem OSS"],
    "taxes_fees": ["mengoreksi tagihan PBB kami", "menjelaskan kenaikan pajak",
                   "menghapus denda pajak kendaraan", "memeriksa retribusi tersebut"],
    "employment": ["memanggil perusahaan tersebut", "memastikan gaji dan THR dibayar",
                   "memeriksa PHK sepihak tersebut", "memproses klaim BPJS Ketenagakerjaan"],
    "civil_service": ["memeriksa dan menindak oknum tersebut", "menghentikan pungli",
                      "memberi sanksi kepada pegawai tersebut",
                      "mengusut penyalahgunaan wewenang"],
    "other": ["memberikan kejelasan", "menyelesaikan masalah ini",
              "menindaklanjuti sesuai kewenangannya"],
}
GENERIC_ACTIONS = ["segera menindaklanjuti laporan ini", "turun ke lapangan dan memeriksa",
                   "memberikan solusi secepatnya", "menindaklanjuti laporan kami"]

ASK_FRAMES = [
    "Mohon {u} {a}.", "Kami mohon kepada {u} untuk {a}.", "Kami meminta {u} agar {a}.",
    "Tolong {u} {a}.", "Saya berharap {u} dapat {a}.", "Mohon kiranya pihak {u} {a}.",
    "Untuk itu kami memohon agar {u} {a}.", "Melalui LAPOR! ini saya minta {u} {a}.",
    "Harap {u} segera {a}.", "MOHON {u} {a}!",
]
ASK_NO_UNIT = [
    "Mohon dinas terkait {a}.", "Mohon pihak yang berwenang {a}.", "Tolong {a}.",
    "Mohon ditindaklanjuti.", "Kami mohon pemerintah {a}.", "Mohon perhatiannya.",
]
HEADERS = ["Kepada Yth. {u}{r},", "Yth. {u}{r}.", "Kepada {u}{r}", "Yth Bapak/Ibu {u}{r},",
           "Ditujukan kepada {u}{r}."]
GREETINGS = ["", "", "", "Assalamualaikum wr. wb.", "Selamat siang.", "Dengan hormat,",
             "Selamat pagi Bapak/Ibu.", "Salam sejahtera.", "Permisi.", "Izin melapor."]
CLOSINGS = ["", "Terima kasih.", "Atas perhatiannya saya ucapkan terima kasih.",
            "Wassalamualaikum.", "Demikian laporan ini saya sampaikan.",
            "Terima kasih atas perhatian dan tindak lanjutnya.", "Hormat saya, warga."]
STREETS = ["Melati", "Kenanga", "Sudirman", "Ahmad Yani", "Diponegoro", "Merdeka", "Cempaka",
           "Flamboyan", "Pahlawan", "Gatot Subroto", "Kartini", "Veteran", "Anggrek Raya"]
MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
          "September", "Oktober", "November", "Desember"]
MONTHS_SHORT = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov",
                "Des"]
MEDIA = ["portal berita lokal", "media online", "koran daerah", "akun Instagram info kota",
         "grup Facebook warga"]
# Units a report names in its background (they came, refused, sent the citizen on).
BACKGROUND_UNIT = [
    "Kami sudah melapor ke {o} tetapi katanya bukan wewenang mereka.",
    "Petugas {o} pernah datang untuk mengecek, tapi setelah itu tidak ada kabar.",
    "Sebelumnya urusan kami di {o} sudah selesai dan tidak ada masalah di sana.",
    "Waktu kami ke kantor {o}, kami diarahkan untuk melapor ke instansi lain.",
    "Saya sudah bertanya ke {o} dan mereka menyarankan membuat laporan di sini.",
]
BACKGROUND = [
    "Saya warga RT {rt} RW {rw} yang sudah tinggal di sini sejak tahun {year}.",
    "Kami sudah menyampaikan hal ini ke Ketua RT dan kelurahan, namun belum ada tindak lanjut.",
    "Masalah ini sudah berlangsung sejak {date} dan makin parah.",
    "Saya sudah pernah melapor lewat media sosial tetapi tidak ditanggapi.",
    "Kerugian warga sudah mencapai sekitar {money}.",
    "Alamat lengkap: Jl. {street} No. {no} RT {rt}/RW {rw}, Kel. {kel}, Kec. {kec}, {place}.",
    "Lokasi tepatnya di Jl. {street} Gg. {gang} No. {no}, dekat masjid dan warung makan.",
    "Kejadian terakhir pada hari Senin, {date} sekitar pukul {hour}.",
    "Warga di lingkungan kami kebanyakan pekerja harian dan ibu rumah tangga.",
    "Sebagai informasi, lingkungan kami dihuni sekitar {n} kepala keluarga.",
    "Foto dan video sudah saya lampirkan sebagai bukti.",
    "Kami tidak ingin menyalahkan siapa pun, kami hanya ingin masalah ini selesai.",
    "Kami sudah menunggu cukup lama dan sudah bersabar.",
    "Beberapa tetangga juga mengalami hal yang sama tetapi tidak berani melapor.",
    "Laporan serupa pernah kami sampaikan tahun lalu dengan nomor tiket yang berbeda.",
    "Sudah {n} kali kami bolak-balik dan mengeluarkan biaya transport sekitar {money}.",
]
NEWS = [
    'Seperti diberitakan {media} pada {date}: "{s}"',
    'Saya kutip dari {media} tanggal {date}, "{s}" Sampai sekarang belum ada perubahan.',
    "Berita ini sudah ramai di {media} sejak {date}. {s}",
]
SECOND_TOPIC = ["Selain itu, {s}.", "Oh iya, {s}, tapi itu urusan lain.", "Di samping itu {s}.",
                "Satu lagi, {s}.", "Sekalian info, {s}."]
TITLE_TAILS = ["", " Rusak", " Tidak Ditindaklanjuti", " Mohon Perhatian", " Bermasalah",
               " Meresahkan Warga", " Sudah Lama", ""]


# Misconduct of a unit's own staff goes to the inspectorate, never to the unit it is
# about: such complaints name that unit (a "m" cue) while the category is civil_service.
SERVICES: dict[str, list[str]] = {
    "population_registry": ["KTP", "kartu keluarga", "akta kelahiran", "surat pindah"],
    "health": ["surat rujukan", "rawat inap", "surat keterangan sehat"],
    "education": ["legalisir ijazah", "pendaftaran sekolah", "surat pindah sekolah"],
    "licensing": ["izin usaha", "PBG", "NIB"],
    "transport": ["uji KIR", "izin trayek"],
    "water_supply": ["sambungan baru", "balik nama pelanggan"],
    "electricity": ["pasang baru listrik", "tambah daya"],
    "social_assistance": ["pencairan bansos", "surat keterangan tidak mampu"],
    "taxes_fees": ["balik nama kendaraan", "pecah SPPT PBB"],
    "employment": ["kartu kuning AK1", "pengaduan PHK"],
}
OFFENCES = [
    "Oknum petugas {u} meminta uang {money} supaya {s} cepat selesai",
    "Ada pungli di kantor {u}, tanpa uang pelicin {s} tidak diproses",
    "Petugas {u} minta uang rokok setiap kali kami mengurus {s}",
    "Pegawai {u} membentak warga dan main HP saat melayani {s}",
    "Calo di kantor {u} bekerja sama dengan petugas, {s} bisa jadi sehari asal bayar {money}",
    "Staf {u} sering tidak ada di tempat pada jam kerja, urusan {s} jadi terbengkalai",
]


def offence(rng: random.Random) -> str:
    """A complaint about the conduct of a named unit's staff (civil_service)."""
    cat = rng.choice(list(SERVICES))
    unit = rng.choice(UNITS[cat])
    text = rng.choice(OFFENCES).replace("{u}", unit).replace("{s}", rng.choice(SERVICES[cat]))
    return _fill(text, rng)


def _date(rng: random.Random) -> str:
    day, month, year = rng.randint(1, 28), rng.randrange(12), rng.choice([2022, 2023, 2024, 2025])
    style = rng.random()
    if style < 0.4:
        return f"{day} {MONTHS[month]} {year}"
    if style < 0.7:
        return f"{day} {MONTHS_SHORT[month]} {year}"
    return f"{day:02d}/{month + 1:02d}/{year}"


def _money(rng: random.Random) -> str:
    amount = rng.choice([50, 150, 250, 500, 750, 1_500, 2_500, 12_000]) * 1000
    style = rng.random()
    if style < 0.5:
        return "Rp " + f"{amount:,}".replace(",", ".")
    if style < 0.8:
        return "Rp" + f"{amount:,}".replace(",", ".") + ",-"
    return f"{amount // 1000} ribu rupiah"


def _fill(text: str, rng: random.Random) -> str:
    place = rng.choice(C.PLACES)
    values = {
        "rt": f"{rng.randint(1, 15):02d}", "rw": f"{rng.randint(1, 12):02d}",
        "year": str(rng.randint(1990, 2020)), "date": _date(rng), "money": _money(rng),
        "street": rng.choice(STREETS), "no": str(rng.randint(1, 120)),
        "gang": rng.choice(STREETS), "kel": rng.choice(STREETS) + " Jaya",
        "kec": rng.choice(STREETS) + " Baru", "place": place,
        "hour": f"{rng.randint(5, 22):02d}.{rng.choice(['00', '15', '30', '45'])}",
        "n": str(rng.randint(2, 120)), "media": rng.choice(MEDIA),
    }
    for key, value in values.items():
        text = text.replace("{" + key + "}", value)
    return text


def _sentence(text: str) -> str:
    text = text.strip()
    if not text:
        return text
    if text[-1] not in ".?!\"":
        text += "."
    return text[0].upper() + text[1:]


def _lower_first(text: str) -> str:
    return text[0].lower() + text[1:] if text and not text[:2].isupper() else text


def _region(rng: random.Random) -> str:
    if rng.random() < 0.4:
        return ""
    return " " + rng.choice(["Kota ", "Kab. ", "Kabupaten ", ""]) + rng.choice(C.PLACES).split()[-1]


def _ask(cat: str, rng: random.Random) -> tuple[str, str]:
    """The request sentence and the unit it names ('' when it names none)."""
    action = rng.choice(ACTIONS[cat] + GENERIC_ACTIONS[:1])
    if rng.random() < 0.2:
        return rng.choice(ASK_NO_UNIT).replace("{a}", action), ""
    unit = rng.choice(UNITS[cat]) + _region(rng)
    return rng.choice(ASK_FRAMES).replace("{u}", unit).replace("{a}", action), unit


def _title(cat: str, seed: str, rng: random.Random) -> str:
    nouns = M.TOPIC_NOUNS[cat][0]
    noun = rng.choice(nouns) if nouns and rng.random() < 0.7 else " ".join(seed.split()[:5])
    return " ".join(w[:1].upper() + w[1:] for w in (noun + rng.choice(TITLE_TAILS)).split())


def _glue(title: str, body: str, rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.5:
        return title + body  # the export glues them without a space
    if roll < 0.8:
        return f"{title} - {body}"
    return f"{title.upper()}\n{body}"


def report(cat: str, seeds: list[str], details: list[str], rng: random.Random
           ) -> tuple[str, str]:
    """One long complaint about ``cat``; returns (text, its core seed)."""
    seed = rng.choice(seeds)
    others = [c for c in UNITS if c != cat]
    body: list[str] = [_sentence(seed)]
    if cat == "civil_service" and rng.random() < 0.5:
        body = [_sentence(offence(rng))]
    if details and rng.random() < 0.7:
        body.append(_sentence(rng.choice(details)))
    for _ in range(rng.choice([0, 1, 1, 2, 2, 3])):
        body.insert(rng.randint(0, len(body)), _fill(rng.choice(BACKGROUND), rng))
    if rng.random() < 0.35:
        other_unit = rng.choice(UNITS[rng.choice(others)])
        told = rng.choice(BACKGROUND_UNIT).replace("{o}", other_unit)
        body.insert(rng.randint(0, len(body)), told)
    if rng.random() < 0.15:
        body.insert(rng.randint(0, len(body)),
                    _fill(rng.choice(NEWS), rng).replace("{s}", _sentence(seed)))
    second = rng.random() < 0.3
    if second:
        other = rng.choice(others)
        problem = _lower_first(rng.choice(_second_problem(other)).rstrip("."))
        body.append(rng.choice(SECOND_TOPIC).replace("{s}", problem))
    ask, unit = _ask(cat, rng)
    # with a second problem the citizen must say which one to fix: the request names a unit
    if second and not unit:
        ask, unit = _ask(cat, rng)
    parts = [rng.choice(GREETINGS)]
    if unit and rng.random() < 0.3:
        parts.append(rng.choice(HEADERS).replace("{u}", unit).replace("{r}", ""))
    parts.extend(body)
    parts.append(ask)
    parts.append(rng.choice(CLOSINGS))
    text = " ".join(p for p in parts if p)
    if rng.random() < 0.45:
        text = _glue(_title(cat, seed, rng), text, rng)
    return _style(text, rng), seed


def _second_problem(cat: str) -> list[str]:
    from tools.nlu_datagen.generator import COMPLAINTS

    return COMPLAINTS[cat][0]


def _style(text: str, rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.08:
        return text.upper()
    if roll < 0.18:
        sentences = text.split(". ")
        i = rng.randrange(len(sentences))
        sentences[i] = sentences[i].upper()
        return ". ".join(sentences)
    if roll < 0.3:
        from tools.nlu_datagen.generator import _informal

        return _informal(text, rng)
    return text


def long_aspiration(cat: str, proposals: list[str], rng: random.Random) -> tuple[str, str]:
    """A written suggestion with background; returns (text, the proposal)."""
    prop = rng.choice(proposals)
    unit = rng.choice(UNITS[cat]) + _region(rng)
    frame = rng.choice([
        "Kami mengusulkan kepada {u} agar {p}.", "Saran saya untuk {u}: {p}.",
        "Alangkah baiknya jika {p}. Usulan ini kami sampaikan kepada {u}.",
        "Melalui LAPOR! kami ingin memberi masukan kepada {u}, yaitu {p}.",
        "Mohon {u} mempertimbangkan usulan warga agar {p}.",
    ]).replace("{u}", unit).replace("{p}", prop)
    parts = [rng.choice(GREETINGS)]
    for _ in range(rng.choice([1, 1, 2, 3])):
        parts.append(_fill(rng.choice(BACKGROUND[:2] + BACKGROUND[8:10] + [
            "Kondisi sekarang sebenarnya tidak rusak, tetapi masih bisa lebih baik.",
            "Sejauh ini belum ada kejadian serius, kami hanya ingin layanan lebih baik.",
            "Di kota lain hal seperti ini sudah berjalan dan sangat membantu warga.",
            "Jumlah warga di wilayah kami terus bertambah dalam {n} tahun terakhir."]), rng))
    parts.append(frame)
    parts.append(rng.choice(["Terima kasih.", "Semoga bisa dipertimbangkan.", "",
                             "Demikian usulan kami, terima kasih."]))
    return _style(" ".join(p for p in parts if p), rng), prop


def long_info_request(question: str, rng: random.Random) -> str:
    """A written question about a service with background."""
    parts = [rng.choice(GREETINGS)]
    for _ in range(rng.choice([1, 1, 2])):
        parts.append(_fill(rng.choice([
            *BACKGROUND[:1],
            "Saya berencana mengurus dokumen ini bulan depan.",
            "Saya bekerja di luar kota dan hanya bisa datang hari Sabtu.",
            "Keluarga kami baru pindah ke {place} sejak {date}.",
            "Saya sudah mencari di website tetapi informasinya kurang jelas.",
            "Saya tidak ingin bolak-balik karena rumah saya jauh dari kantor dinas."]), rng))
    parts.append(question)
    parts.append(rng.choice(["Mohon penjelasannya.", "Mohon informasinya, terima kasih.",
                             "Apakah ada biayanya?", "Terima kasih atas jawabannya.", ""]))
    return " ".join(p for p in parts if p)


def add_reports(add: Add, complaints: dict[str, tuple[list[str], list[str], list[str]]],
                aspirations: dict[str, tuple[list[str], list[str]]], info: list[str],
                seed: int, *, per_category: int = 30, n_questions: int = 120,
                n_offences: int = 40) -> None:
    """Add long reports of every category, long suggestions and long questions, on a random
    stream of their own (so the other generated examples stay as they were)."""
    rng = random.Random(seed + 2)
    for cat, (ids, _ens, details) in complaints.items():
        id_details = [d for d in details if not d.isascii() or not d.startswith(
            ("The", "It", "We", "My", "There", "I ", "Please", "Many", "People", "Several"))]
        for _ in range(per_category):
            text, key = report(cat, ids, id_details, rng)
            add((text, key), "complaint", cat)
    for _ in range(n_offences):
        text = offence(rng)
        add((_sentence(text) if rng.random() < 0.6 else text, text), "complaint",
            "civil_service")
    for cat, (props, _en) in aspirations.items():
        for _ in range(8):
            add(long_aspiration(cat, props, rng), "aspiration", cat)
    for _ in range(n_questions):
        q = rng.choice(info)
        add((long_info_request(q, rng), q), "info_request", None)
