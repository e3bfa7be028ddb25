# ruff: noqa: E501  (seed sentences are data; wrapping them hurts editing)
"""Contrast seeds for :mod:`tools.nlu_datagen`: topics that share words with another category
(traffic lights vs street lights, bribery at an office, job scams, cancelled ferries),
vague complaints with no clear topic, and connectors for messages that raise two
topics at once. All the project's own text.

These are generated in a separate pass with their own random stream, so adding
them does not change the examples generated from the older seed lists.
"""

from __future__ import annotations

# category -> (Indonesian problem statements, English problem statements)
CONTRAST_COMPLAINTS: dict[str, tuple[list[str], list[str]]] = {
    # Traffic lights (lampu merah, lampu lalu lintas, APILL) belong to Dinas Perhubungan.
    "transport": (
        [
            "Lampu merah di perempatan dekat pasar mati total dan kendaraan saling serobot",
            "Traffic light di simpang tiga cuma kedip kuning terus sejak kemarin",
            "Lampu lalu lintas di bundaran hanya hijau dari satu arah, arah lain merah terus",
            "Timer lampu merah di depan kampus rusak, angkanya tidak bergerak",
            "APILL di simpang empat mati pas jam sibuk dan tidak ada petugas yang mengatur",
            "Lampu penyeberangan untuk pejalan kaki di zebra cross tidak pernah hijau",
            "Lampu merah dan lampu hijau menyala bersamaan, pengendara jadi bingung",
            "Tiang lampu lalu lintas miring ditabrak truk dan lampunya padam",
            "Kapal feri ke pulau seberang dibatalkan mendadak, penumpang terlantar di pelabuhan",
            "Jadwal penyeberangan feri molor berjam-jam tanpa informasi dari petugas",
            "Tiket kapal sudah dibeli tapi keberangkatan dibatalkan dan uangnya tidak kembali",
            "Kereta komuter sering terlambat dan pengumuman di stasiun tidak jelas",
            "Rute bus kota dihapus tanpa pengumuman, kami menunggu di halte satu jam",
            "Angkot jurusan pasar sudah tidak lewat lagi sejak sebulan",
            "Penerbangan perintis ke kabupaten kami batal terus tanpa kompensasi",
        ],
        [
            "The traffic light at the main junction has been dead since yesterday and cars just push through",
            "The red light at the crossroads stays on for five minutes and the queue is endless",
            "The ferry to the island was cancelled at the last minute and nobody refunded our tickets",
            "The pedestrian crossing signal never turns green",
            "The commuter train was cancelled again without any announcement",
            "The city bus route was dropped without notice and we waited an hour at the stop",
        ],
    ),
    # Street lights (PJU, lampu jalan) are Dinas PUPR.
    "infrastructure": (
        [
            "Lampu PJU di sepanjang jalan lingkar mati dan jalannya gelap gulita kalau malam",
            "Lampu jalan di mulut gang kami putus kabelnya dan belum diperbaiki",
            "Tiang lampu penerangan jalan miring hampir roboh ke rumah warga",
            "Lampu penerangan di atas jembatan mati sehingga rawan kecelakaan malam hari",
            "Lampu jalan malah menyala siang hari tapi mati kalau malam",
            "Jalan di depan sekolah retak dan amblas setelah hujan, mobil harus pelan-pelan",
        ],
        [
            "The street lamps along the ring road are all out and it is pitch dark at night",
            "The lamp post at the entrance of our alley is leaning and about to fall",
        ],
    ),
    # Bribery and abuse by officers at an office go to the Inspektorat.
    "civil_service": (
        [
            "Petugas loket di kantor kecamatan minta uang pelicin supaya berkas saya didahulukan",
            "Pegawai kantor kelurahan terang-terangan minta amplop untuk tanda tangan surat",
            "Di kantor dinas ada oknum yang menawarkan jalur cepat asal bayar lima ratus ribu",
            "Staf kantor desa menahan surat saya sampai saya kasih uang rokok",
            "Oknum pegawai menarik biaya di luar tarif resmi tanpa kuitansi",
            "Petugas pelayanan datang terlambat, sibuk main HP, dan membentak warga yang bertanya",
            "Kepala seksi di kantor camat tidak pernah ada di tempat pada jam kerja",
            "Oknum di Disdukcapil minta bayaran dua ratus ribu supaya KK baru cepat selesai",
            "Calo di dalam kantor capil menawarkan akta kelahiran jadi sehari asal bayar",
            "Pegawai kecamatan minta uang terima kasih untuk perekaman KTP-el",
            "Urus surat pindah di kelurahan dimintai uang administrasi tanpa kuitansi",
            "Petugas Samsat minta uang di luar pajak resmi supaya STNK saya cepat jadi",
            "Pegawai puskesmas minta uang rokok dulu baru surat rujukan dibuatkan",
        ],
        [
            "An officer at the sub-district office asked for a bribe to speed up my papers",
            "The clerk would only stamp my letter after I paid him cash without a receipt",
        ],
    ),
    # PLN's own cables, poles and meters are PLN's, not PUPR's street lighting.
    "electricity": (
        [
            "Kabel listrik PLN menggantung rendah melintang di atas jalan kampung",
            "Tiang listrik PLN di depan rumah miring dan kabelnya hampir putus",
            "Gardu listrik PLN di ujung gang mengeluarkan percikan api setiap hujan",
        ],
        ["A PLN power line hangs so low over the road that lorries catch it"],
    ),
    # Scams, including fake job offers, are crimes for the police.
    "security": (
        [
            "Ada lowongan kerja palsu atas nama pabrik yang minta transfer biaya seragam dan pelatihan",
            "Saya ditipu tawaran kerja ke luar negeri, sudah bayar jutaan tapi agennya menghilang",
            "Banyak warga kena penipuan rekrutmen karyawan BUMN palsu lewat WhatsApp",
            "Ada yang kirim undangan berupa file APK dan saldo rekening saya langsung terkuras",
            "Penipu mengaku petugas bank menelepon dan meminta kode OTP",
            "Investasi bodong di kampung kami membawa kabur uang puluhan warga",
            "Akun media sosial menawarkan kerja paruh waktu menyukai video, ternyata penipuan",
        ],
        [
            "A fake job advert asked my son to pay a training fee and then the recruiter disappeared",
            "Scammers posing as a state company recruiter took money from several people in our village",
        ],
    ),
    # Complaints that name no topic: a person decides.
    "other": (
        [
            "Pokoknya pelayanan di sini mengecewakan sekali",
            "Saya kecewa, semuanya serba lambat dan tidak jelas",
            "Masalah yang kemarin itu belum beres juga, kami capek menunggu",
            "Pemerintah di sini tidak pernah peduli dengan warga kecil",
            "Ada masalah di lingkungan kami dan tidak ada yang mau mengurus",
        ],
        [
            "Everything here is slow and nobody cares",
            "The problem we have is still not solved and nobody tells us anything",
        ],
    ),
}

# Connectors that add a second, lesser topic to a complaint. The label stays with the
# first topic; a bag of n-grams cannot see the order well, so the model learns that a
# message with two topics is less certain, which is what the confidence should say.
SECOND_TOPIC_ID = [
    "Selain itu, ", "Oh iya, satu lagi, ", "Belum lagi ", "Ditambah lagi ", "Sekalian lapor, ",
    "Masalah lain juga: ",
]
SECOND_TOPIC_EN = ["Also, ", "On top of that, ", "And another thing: ", "Besides that, "]
