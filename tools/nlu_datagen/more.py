# ruff: noqa: E501  (seed sentences are data; wrapping them hurts editing)
"""More seed content for :mod:`tools.nlu_datagen`: extra complaint scenarios, compositional
pieces for short intents, and more proposals and questions. All the project's own text.
"""

from __future__ import annotations

# category -> (Indonesian problem statements, English problem statements, details)
MORE_COMPLAINTS: dict[str, tuple[list[str], list[str], list[str]]] = {
    "infrastructure": (
        [
            "Jalan penghubung antar desa putus karena gorong-gorongnya hanyut dan belum dibangun lagi",
            "Penutup saluran di depan ruko pecah sehingga lubangnya membahayakan pejalan kaki",
            "Proyek pelebaran jalan berhenti di tengah jalan dan material dibiarkan menumpuk di bahu jalan",
            "Jalan aspal di kompleks kami mengelupas dan kerikilnya membuat motor tergelincir",
            "Lampu taman dan lampu jalan di alun-alun sudah berbulan-bulan padam",
            "Tanggul saluran irigasi jebol sehingga air masuk ke jalan dan sawah",
            "Jembatan penyeberangan orang karatan dan lantainya berlubang",
            "Tembok penahan tanah di pinggir jalan retak dan mulai miring",
            "Pengerjaan saluran air oleh kontraktor asal-asalan dan airnya justru mengalir balik ke rumah",
            "Ada lubang besar bekas galian pipa yang cuma ditutup papan seadanya",
            "Sudah lima tahun jalan desa kami tidak pernah disentuh perbaikan",
            "Jalan yang baru dicor sudah retak memanjang dan pinggirnya gompal",
        ],
        [
            "The road to the next village collapsed after the culvert was washed away",
            "Half of the street lights in the town square have not worked for months",
            "The pedestrian bridge over the highway is rusty and has holes in the floor",
            "The contractor left piles of gravel and sand on the side of the road",
            "Cracks keep appearing in the concrete road that was built only last year",
        ],
        [
            "Setiap hujan jalannya berubah jadi kubangan",
            "Warga sudah menambal sendiri dengan batu seadanya",
            "Truk pengangkut hasil panen tidak bisa lewat",
            "Kondisinya makin parah dari hari ke hari",
        ],
    ),
    "water_supply": (
        [
            "Sudah sepekan air PDAM hanya menetes dan bak penampungan kami kosong",
            "Air dari PDAM berbusa dan meninggalkan kerak putih di panci",
            "Biaya abonemen air naik tanpa pemberitahuan kepada pelanggan",
            "Ada kebocoran pipa di bawah aspal yang membuat jalan ambles dan air kami kecil",
            "Pelanggan di ujung jaringan tidak kebagian air setiap sore",
            "Air PDAM berbau seperti got setelah hujan deras",
            "Pemasangan pipa baru oleh PDAM merusak halaman rumah dan tidak dirapikan lagi",
        ],
        [
            "The tap water smells like sewage after heavy rain",
            "Only a trickle of water comes out of the tap every afternoon",
        ],
        [
            "Kami terpaksa numpang mandi di masjid",
            "Pelanggan lain di blok kami juga mengeluh",
            "Air itu kami pakai untuk memasak",
        ],
    ),
    "electricity": (
        [
            "Kilowatt-hour meter di rumah kami berputar sangat cepat meski hanya lampu yang menyala",
            "Tagihan listrik kami dihitung pakai rata-rata karena petugas tidak mencatat meter",
            "Listrik di rumah kami sering turun sendiri setiap kali hujan",
            "Pemadaman terencana diumumkan dua jam tapi kenyataannya padam seharian",
            "Kabel SR ke rumah kami putus dan petugas meminta biaya penggantian",
            "Permohonan migrasi ke listrik prabayar tidak diproses sejak tiga bulan",
            "Tiang listrik PLN baru dipasang tepat di depan pintu pagar rumah kami tanpa izin",
            "Kampung kami gelap gulita karena listrik padam sejak sore",
            "Ada kabel listrik terkelupas di tiang dekat sekolah yang memercikkan api saat hujan",
        ],
        [
            "The electricity meter runs fast even when only a lamp is on",
            "The power goes off every time it rains",
            "The planned outage was supposed to last two hours but lasted all day",
            "An exposed power cable near the school sparks whenever it rains",
        ],
        [
            "Kami punya bayi dan butuh kipas angin",
            "Pompa air pun tidak bisa menyala",
            "Kerugian warga sudah banyak",
        ],
    ),
    "health": (
        [
            "Pasien gawat darurat dibiarkan menunggu di lorong IGD tanpa ditangani",
            "Puskesmas meminta uang untuk surat rujukan padahal kami peserta BPJS",
            "Stok obat TBC di puskesmas habis dan pasien disuruh kembali bulan depan",
            "Bayi kami tidak ditangani cepat di rumah sakit karena kami belum membawa berkas lengkap",
            "Jadwal praktik dokter spesialis di RSUD sering batal mendadak",
            "Layanan persalinan di puskesmas tutup malam hari sehingga ibu melahirkan di jalan",
            "Tenaga kesehatan di pustu desa kami tidak pernah datang",
            "Kami diminta membayar deposit dulu sebelum pasien dirawat di rumah sakit daerah",
            "Warga yang sakit jiwa dipasung keluarganya dan belum ada penanganan dari dinas kesehatan",
            "Banyak balita di kampung kami mengalami gizi buruk tapi pemberian makanan tambahan berhenti",
            "Kasus diare menyebar di kampung kami dan puskesmas kehabisan oralit",
            "Alat rontgen di rumah sakit daerah rusak berbulan-bulan dan pasien dirujuk ke kota lain",
        ],
        [
            "An emergency patient was left waiting in the corridor for hours",
            "The health centre charged us for a referral letter although we are insured",
            "Tuberculosis medicine has run out at our health centre",
            "The hospital demanded a deposit before treating my father",
            "The specialist doctor cancels his clinic hours almost every week",
        ],
        [
            "Pasien harus naik ojek jauh untuk berobat",
            "Keluarga pasien sangat cemas",
            "Kami sudah membayar iuran setiap bulan",
        ],
    ),
    "education": (
        [
            "Sekolah meminta orang tua membayar honor guru tambahan setiap bulan",
            "Seragam sekolah baru wajib dibeli di sekolah dengan harga dua kali lipat harga pasar",
            "Kepala sekolah menahan dana BOS dan fasilitas belajar tidak pernah diperbaiki",
            "Sekolah dasar di dusun kami hanya punya dua guru untuk enam kelas",
            "Anak saya dikeluarkan dari sekolah karena orang tuanya menunggak uang komite",
            "Pembagian kuota jalur afirmasi tidak transparan dan banyak anak mampu yang lolos",
            "Toilet sekolah rusak sehingga murid harus pulang ke rumah untuk buang air",
            "Guru di sekolah menyuruh murid membeli buku dari penerbit tertentu",
            "Anak kami tidak bisa ikut ujian karena belum membayar iuran kegiatan",
            "Beasiswa daerah untuk siswa berprestasi tidak cair sampai sekarang",
            "Anak penyandang disabilitas di kampung kami tidak punya sekolah yang mau menerima",
        ],
        [
            "The school demands monthly payments for extra teachers",
            "Uniforms must be bought from the school at twice the market price",
            "My son cannot sit his exam because we have not paid an activity fee",
            "The school toilets are broken so children go home to use the toilet",
            "Our village primary school has only two teachers for six classes",
        ],
        [
            "Kami hanya buruh harian",
            "Anak saya sampai menangis tidak mau sekolah",
            "Komite sekolah tidak pernah transparan",
        ],
    ),
    "population_registry": (
        [
            "Pengajuan perubahan data di KK lewat aplikasi sudah dua bulan berstatus diproses",
            "KTP saya hilang dan saat mengurus ulang disuruh membawa surat yang tidak jelas dari mana",
            "Akta kelahiran anak kami ditolak diterbitkan karena orang tua menikah siri",
            "Kantor Dukcapil menolak mencetak KK karena printer rusak sejak minggu lalu",
            "Status kependudukan saya tiba-tiba nonaktif sehingga tidak bisa mengurus bansos dan BPJS",
            "Surat keterangan pindah keluar dari daerah asal tidak bisa diterima di Dukcapil tujuan",
            "Petugas meminta biaya untuk mempercepat pencetakan akta kelahiran",
            "Data agama di KTP saya salah dan perbaikannya ditolak",
            "Nama ibu kandung di data kependudukan saya salah sehingga pengajuan paspor ditolak",
            "Kartu identitas anak belum juga dicetak padahal sudah didaftarkan sejak tahun lalu",
        ],
        [
            "My family card update has been 'in process' in the app for two months",
            "The registry office refused to print our family card because the printer is broken",
            "My population record was suddenly deactivated",
        ],
        [
            "Saya mau mengurus pernikahan",
            "Anak saya mau daftar sekolah",
            "Kami sudah mengantre sejak subuh",
        ],
    ),
    "social_assistance": (
        [
            "Bantuan sembako dari kelurahan hanya dibagikan kepada kerabat ketua RT",
            "Nama penerima PKH di desa kami banyak yang sudah pindah tetapi tetap menerima",
            "Saldo BPNT di kartu kami berkurang padahal kami belum pernah mengambil",
            "Dinas Sosial tidak kunjung memverifikasi usulan bantuan untuk anak yatim",
            "Korban kebakaran di kampung kami belum menerima bantuan sosial sama sekali",
            "Bantuan sosial tunai dipotong oleh oknum perangkat desa dengan alasan uang lelah",
            "Saya tercatat sebagai penerima bantuan tetapi uangnya tidak pernah masuk ke rekening",
            "Pendataan penerima bansos hanya mendatangi rumah kenalan kepala dusun",
        ],
        [
            "Food aid is only handed out to relatives of the neighbourhood head",
            "The balance on our aid card went down although we never used it",
            "I am listed as a recipient but the money never reached my account",
        ],
        [
            "Kami tinggal di rumah kontrakan sempit",
            "Ibu saya janda dan tidak bekerja",
            "Kami tidak punya penghasilan tetap",
        ],
    ),
    "environment": (
        [
            "Lahan gambut di dekat desa dibakar untuk membuka kebun sawit",
            "Perusahaan tambang batu bara membuang limbah ke sungai sehingga ikan mati",
            "Penebangan pohon di hutan lindung terus terjadi di dekat desa kami",
            "Sungai kami berbusa dan berwarna merah setiap kali pabrik tekstil beroperasi",
            "Ada pengepul barang bekas yang membakar kabel di tengah permukiman",
            "Asap hitam dari cerobong pabrik keluar setiap malam",
            "Sampah kiriman menumpuk di pintu air dan tidak diangkut petugas",
            "Kolam limbah pabrik kelapa sawit meluap ke kebun warga",
            "Pohon besar di taman ditebang tanpa alasan jelas oleh pengembang",
            "Bau busuk dari saluran pembuangan limbah rumah sakit tercium sampai permukiman",
            "Warga membuang sampah ke laut karena tidak ada tempat pembuangan",
        ],
        [
            "Peatland near our village is being burned to clear land for plantations",
            "A mining company is dumping waste into the river and the fish are dying",
            "Black smoke comes out of the factory chimney every night",
            "Trees in the protected forest near us are being cut down",
        ],
        [
            "Ikan di sungai banyak yang mati",
            "Warga batuk-batuk dan sesak napas",
            "Nelayan di sini kehilangan mata pencaharian",
        ],
    ),
    "disaster": (
        [
            "Kekeringan panjang membuat sumur warga kering dan belum ada bantuan air bersih dari BPBD",
            "Gudang di kawasan padat penduduk terbakar dan apinya merembet ke rumah warga",
            "Tanah longsor menimbun kebun dan dua rumah warga tadi pagi",
            "Sudah tiga hari banjir belum surut dan warga mulai terserang penyakit kulit",
            "Pohon tua di pinggir jalan sudah lapuk dan condong ke rumah warga, takut tumbang saat angin",
            "Gelombang tinggi merusak perahu nelayan dan rumah di tepi pantai",
            "Rumah warga retak-retak setelah gempa dan belum ada pendataan dari BPBD",
            "Jalan desa tertutup material longsoran dan alat berat belum dikirim",
            "Api dari kebakaran lahan sudah dekat dengan sekolah",
        ],
        [
            "A warehouse fire in our crowded neighbourhood is spreading to homes",
            "The flood has not gone down for three days and people are getting sick",
            "Houses cracked after the earthquake and nobody has come to assess them",
        ],
        [
            "Anak-anak dan lansia sudah diungsikan",
            "Kami butuh bantuan evakuasi segera",
            "Warga kekurangan makanan dan air bersih",
        ],
    ),
    "transport": (
        [
            "Bus sekolah gratis tidak beroperasi lagi sejak awal semester",
            "Pelabuhan kecil di desa kami tidak punya dermaga yang layak sehingga penumpang basah",
            "Jadwal KRL sering terlambat dan peron penuh sesak",
            "Pengemudi angkot menolak penumpang pelajar dengan alasan tarif murah",
            "Tidak ada angkutan umum sama sekali dari desa kami ke kota kecamatan",
            "Bandara kecil di daerah kami tidak ada transportasi umum ke pusat kota",
            "Parkir di trotoar depan mal membuat pejalan kaki harus turun ke jalan",
            "Kemacetan di pasar setiap pagi karena bongkar muat truk di badan jalan",
            "Penumpang kapal motor berdesakan melebihi kapasitas tanpa pelampung",
            "Travel gelap menaikkan penumpang di pinggir jalan tol",
        ],
        [
            "The free school bus stopped running at the start of the semester",
            "There is no public transport at all from our village to town",
            "Boats carry far more passengers than allowed and have no life jackets",
            "Trucks unload goods on the road every morning and block traffic",
        ],
        [
            "Penumpang menunggu berjam-jam",
            "Banyak anak sekolah terlambat",
            "Pedagang tidak bisa membawa hasil kebun ke pasar",
        ],
    ),
    "public_order": (
        [
            "Pengamen jalanan dan manusia gerobak tidur di emperan toko sepanjang malam",
            "Ada penjualan minuman keras oplosan terang-terangan di warung dekat sekolah",
            "Bengkel las memakai badan jalan untuk bekerja sampai malam",
            "Tempat hiburan malam di dekat permukiman menyalakan musik keras sampai subuh",
            "Gerobak pedagang dibiarkan menginap di trotoar dan menutupi jalan",
            "Kios-kios liar dibangun di atas lahan taman kota",
            "Sekelompok pemuda mabuk dan membuat keributan di pos ronda setiap malam",
            "Spanduk dan baliho liar menutupi rambu lalu lintas",
            "Pemilik ruko memasang pagar yang memakan trotoar",
            "Tetangga memelihara banyak anjing yang menggonggong sepanjang malam",
        ],
        [
            "Food carts are parked on the sidewalk overnight and block the way",
            "A bar near our homes plays loud music until dawn",
            "Illegal kiosks have been built on the city park",
            "Young men get drunk and make noise at the night watch post every night",
        ],
        [
            "Bayi dan lansia tidak bisa tidur",
            "Sudah dilaporkan ke RT tapi tidak ada perubahan",
            "Trotoar tidak bisa dilewati sama sekali",
        ],
    ),
    "security": (
        [
            "Saya tertipu arisan online dan pengelolanya menghilang membawa uang puluhan orang",
            "Ibu saya dihipnotis di pasar dan perhiasannya dibawa kabur",
            "Rumah saya kemalingan saat ditinggal mudik dan laptop serta perhiasan hilang",
            "Ada investasi bodong yang menjerat banyak warga kampung kami",
            "Saya diteror debt collector yang datang membawa teman-temannya dan mengancam",
            "Orang tak dikenal mencoba menculik anak di dekat sekolah",
            "Helm dan spion motor sering hilang di parkiran pasar",
            "Ada jaringan penjual narkoba yang merekrut anak-anak sebagai kurir",
            "Saya menerima SMS undian berhadiah palsu dan sudah mentransfer uang",
            "Warung kami dirampok orang bersenjata tadi malam",
        ],
        [
            "I was cheated in an online savings group and the organiser disappeared",
            "Debt collectors came to my house with a group of men and threatened us",
            "Someone tried to kidnap a child near the school",
            "Our shop was robbed at knifepoint last night",
        ],
        [
            "Kerugian saya jutaan rupiah",
            "Pelakunya masih berkeliaran",
            "Saya punya bukti transfer dan tangkapan layar",
        ],
    ),
    "licensing": (
        [
            "Perumahan baru dibangun di daerah resapan air tanpa izin lingkungan yang jelas",
            "Izin tambang galian C diterbitkan meski warga menolak",
            "Pengajuan sertifikat standar usaha saya di OSS ditolak tanpa alasan",
            "Izin operasional klinik kami tidak diterbitkan setelah visitasi berbulan-bulan",
            "Kafe dan karaoke mendapat izin di kawasan pendidikan",
            "Persetujuan bangunan gedung untuk rumah ibadah kami tertahan bertahun-tahun",
            "Petugas perizinan mempersulit izin usaha kami karena tidak memakai jasa konsultan tertentu",
            "NIB saya terbit dengan KBLI yang salah dan tidak bisa diubah",
            "Bangunan pabrik di sebelah permukiman tidak memiliki izin yang sah",
        ],
        [
            "A housing estate is being built on a water catchment area without proper permits",
            "A sand mining permit was issued even though residents objected",
            "My business licence application in OSS was rejected with no reason",
        ],
        [
            "Warung-warung kecil terancam gulung tikar",
            "Kami sudah mengajukan keberatan tertulis",
            "Berkas sudah lengkap sesuai persyaratan",
        ],
    ),
    "taxes_fees": (
        [
            "Pajak air tanah untuk usaha laundry kecil kami naik berlipat",
            "Denda PBB dihitung dari tahun-tahun ketika tanah masih milik orang lain",
            "Tagihan pajak kendaraan dari Bapenda masih atas nama saya padahal mobilnya sudah dijual",
            "Retribusi kebersihan ditagih bersama tagihan air tanpa persetujuan warga",
            "Pajak hotel dan restoran dikenakan pada warung makan kecil kami",
            "Kenaikan NJOP membuat pajak rumah warisan kami tidak terjangkau",
            "Pembayaran PBB lewat bank sudah sukses tetapi muncul lagi sebagai tunggakan",
            "Karcis retribusi pasar tidak sesuai dengan tarif yang ditarik petugas",
        ],
        [
            "Groundwater tax for our small laundry business went up several times",
            "Property tax penalties were charged for years before I owned the land",
            "The market levy on the ticket does not match what the collector takes",
        ],
        [
            "Kami sudah taat membayar setiap tahun",
            "Mohon ada peninjauan ulang",
            "Bukti pembayaran ada pada kami",
        ],
    ),
    "employment": (
        [
            "Kami buruh harian lepas sudah bekerja bertahun-tahun tanpa kontrak dan tanpa BPJS",
            "Perusahaan memotong gaji karyawan yang sakit meski ada surat dokter",
            "Pegawai kontrak di pabrik kami dipecat menjelang hari raya supaya tidak dapat THR",
            "Perusahaan tidak mendaftarkan pekerjanya ke BPJS Ketenagakerjaan",
            "Bursa kerja dari disnaker ternyata hanya memasang lowongan fiktif",
            "Pekerja anak dipekerjakan di pabrik batu bata dekat kampung kami",
            "Pesangon saya dicicil dan sudah setahun belum lunas",
            "Karyawan toko disuruh lembur setiap hari tanpa tambahan upah",
            "Perusahaan menolak memberikan cuti melahirkan kepada karyawati",
        ],
        [
            "Contract workers were dismissed just before the holiday so they would not get the bonus",
            "Our employer never registered us with BPJS Employment",
            "Children are working at the brick factory near our village",
            "Shop staff must work overtime every day with no extra pay",
        ],
        [
            "Kami takut dipecat kalau protes",
            "Ada puluhan pekerja yang senasib",
            "Kontrak kerja saya simpan sebagai bukti",
        ],
    ),
    "civil_service": (
        [
            "Petugas imigrasi meminta uang kopi supaya paspor saya cepat jadi",
            "Staf kelurahan baru mau melayani kalau diberi uang terima kasih",
            "Camat kami jarang masuk kantor dan surat-surat menumpuk tanpa tanda tangan",
            "Pegawai kantor desa datang siang dan pulang sebelum jam dua",
            "Petugas puskesmas meminta uang administrasi tanpa kuitansi",
            "Oknum guru PNS menjual soal ujian kepada murid",
            "Petugas pelayanan di kantor dinas sibuk mengobrol dan membiarkan antrean panjang",
            "Kepala sekolah negeri memotong tunjangan guru honorer tanpa alasan",
            "Ada oknum pejabat yang meminta setoran dari setiap proyek desa",
            "Pegawai kecamatan memarahi warga lansia yang salah mengisi formulir",
            "Penerimaan pegawai honorer di dinas kami diduga memakai uang pelicin",
        ],
        [
            "An immigration officer hinted that a 'coffee fee' would get my passport done faster",
            "The sub-district head rarely comes to the office and letters pile up unsigned",
            "Village office staff arrive at noon and leave before two",
            "An official scolded an elderly woman for filling in the form wrongly",
        ],
        [
            "Kejadiannya di depan banyak warga",
            "Saya punya foto kuitansi tanpa cap",
            "Saya khawatir kalau melapor akan dipersulit",
        ],
    ),
    "other": (
        [
            "Pengelola apartemen menaikkan biaya servis tanpa musyawarah dengan penghuni",
            "Pengembang perumahan tidak membangun fasilitas umum yang dijanjikan di brosur",
            "Sinyal telepon di kampung kami putus-putus sehingga tidak bisa menelepon darurat",
            "Kantor BPN tidak kunjung menerbitkan sertifikat tanah program PTSL kami",
            "Lapangan sepak bola desa dipagari pihak swasta yang mengaku pemilik",
            "Hewan peliharaan tetangga masuk ke pekarangan dan merusak tanaman",
            "Tempat ibadah di lingkungan kami dipersulit perizinannya oleh sebagian warga",
            "Pengelola kuburan umum meminta biaya makam yang tidak jelas dasarnya",
            "Pasar hewan di desa kami becek dan kotor",
            "Taman bacaan masyarakat kami tidak mendapat bantuan buku lagi",
            "Harga pupuk bersubsidi di kios resmi lebih mahal dari HET",
        ],
        [
            "The apartment management raised the service charge without asking residents",
            "The housing developer never built the playground it promised",
            "The phone signal in our village is so weak we cannot call for help",
            "The land agency has not issued our land certificates for years",
            "Subsidised fertiliser is sold above the official price",
        ],
        [
            "Saya sudah mencoba bicara baik-baik",
            "Tidak jelas instansi mana yang berwenang",
            "Warga lain juga dirugikan",
        ],
    ),
}

MORE_ASPIRATIONS: dict[str, tuple[list[str], list[str]]] = {
    "infrastructure": (
        [
         "pemerintah membangun drainase permanen di kampung kami sebelum musim hujan",
         "lampu jalan tenaga surya dipasang di jalan-jalan desa",
         "jembatan gantung diganti jembatan beton agar truk hasil panen bisa lewat",
         "perbaikan jalan dijadwalkan dan diumumkan supaya warga tahu"],
        ["the road to the market is widened"],
    ),
    "water_supply": (
        ["PDAM membuka loket pembayaran di kantor desa",
         "ada penampungan air hujan komunal di daerah yang sering kering",
         "pencatatan meter air memakai foto agar tagihan akurat"],
        ["water meters are read with photos so bills are accurate"],
    ),
    "electricity": (
        ["ada posko pengaduan PLN di setiap kecamatan",
         "pemasangan meteran prabayar digratiskan untuk warga miskin"],
        ["PLN opens a complaint post in every sub-district"],
    ),
    "health": (
        [
         "RSUD menyediakan layanan antar obat untuk pasien lansia",
         "disediakan rumah singgah untuk keluarga pasien dari desa jauh",
         "ada dokter jaga di puskesmas pada hari libur"],
        [
         "elderly patients can get their medicine delivered"],
    ),
    "education": (
        [
         "sekolah menyediakan makan siang bergizi untuk murid dari keluarga tidak mampu",
         "dinas pendidikan membuka layanan konsultasi pendaftaran sekolah di kelurahan",
         "ada pelatihan komputer untuk guru di sekolah desa"],
        [ "teachers in village schools get computer training"],
    ),
    "population_registry": (
        [
         "Dukcapil mengirim KTP yang sudah jadi lewat pos",
         "ada layanan adminduk keliling ke panti asuhan dan panti jompo"],
        ["finished ID cards are sent by post"],
    ),
    "social_assistance": (
        ["ada pusat pengaduan bansos di setiap kecamatan",
         "bantuan untuk penyandang disabilitas dilengkapi alat bantu seperti kursi roda",
         "penerima bantuan bisa mengecek status lewat WhatsApp"],
        ["aid recipients can check their status on WhatsApp"],
    ),
    "environment": (
        [
         "pemerintah membuat program tukar sampah plastik dengan sembako",
         "lahan kosong milik pemda dijadikan hutan kota",
         "ada tempat pengolahan sampah organik di tiap RW"],
        [ "empty public land becomes a city forest"],
    ),
    "disaster": (
        ["sirine peringatan dini longsor dipasang di desa-desa lereng gunung",
         "setiap kelurahan punya posko dan peta jalur evakuasi",
         "ada simulasi kebakaran rutin di pasar tradisional"],
        ["landslide sirens are installed in hillside villages"],
    ),
    "transport": (
        [
         "trayek angkot diperpanjang sampai perumahan baru",
         "ada tarif khusus pelajar dan lansia untuk bus kota",
         "disediakan kapal penyeberangan tambahan saat musim liburan"],
        [ "students and elderly ride the city bus for less"],
    ),
    "public_order": (
        ["pemerintah menyediakan lokasi resmi untuk pedagang di sekitar sekolah",
         "ada aturan jam tenang di kawasan permukiman pada malam hari"],
        ["quiet hours are set for residential areas at night"],
    ),
    "security": (
        ["polsek mengadakan sosialisasi penipuan online untuk lansia",
         "lampu penerangan ditambah di gang-gang yang rawan begal"],
        ["the police run talks on online scams for older people"],
    ),
    "licensing": (
        ["ada layanan izin usaha keliling ke pasar-pasar",
         "persyaratan PBG untuk UMKM disederhanakan"],
        ["permit officers visit the markets to register small businesses"],
    ),
    "taxes_fees": (
        ["pembayaran PBB bisa dicicil tiap bulan",
         "ada pengingat jatuh tempo pajak lewat SMS"],
        ["property tax can be paid in monthly instalments"],
    ),
    "employment": (
        [
         "ada pelatihan menjahit dan las gratis untuk pengangguran",
         "ada program magang bersama perusahaan lokal untuk lulusan baru"],
        [ "local firms offer internships for new graduates"],
    ),
    "civil_service": (
        ["setiap kantor kelurahan memasang kotak saran dan nomor pengaduan",
         "pelayanan di kantor desa buka sampai sore"],
        ["every village office has a suggestion box"],
    ),
    "other": (
        [
         "ada pojok baca di pasar tradisional",
         "tempat wisata desa dikelola bersama warga",
         "ada ruang terbuka hijau untuk anak bermain di setiap kelurahan"],
        [
         "every neighbourhood gets a playground"],
    ),
}

MORE_ASPIRATION_FRAMES_ID = [
    "Usul {p}.", "Usul min, {p}.", "Mohon {p}.", "Harapan kami {p}.",
    "Kami mengusulkan {p}.", "Saran nih, {p}.", "Bisa tidak {p}?",
    "Saya punya usulan: {p}.", "Semoga ke depan {p}.", "Mohon pemda mempertimbangkan supaya {p}.",
    "Kami warga berharap {p}, karena sekarang masih sulit.",
]

INFO_MORE_ID = [
    "Kalau KTP saya hilang, bagaimana cara mengurus penggantinya?",
    "Kalau akta kelahiran rusak terkena banjir, apakah bisa dicetak ulang?",
    "Apakah pajak kendaraan bisa dibayar di kota lain?",
    "Kalau mau menikah, dokumen kependudukan apa saja yang perlu disiapkan?",
    "Apakah warga luar daerah bisa berobat di puskesmas sini pakai BPJS?",
    "Kalau mau membuka warung makan, izin apa saja yang diperlukan?",
    "Apakah ada layanan KTP keliling minggu ini?",
    "Kartu BPJS Kesehatan saya hilang, bagaimana cara cetak ulang?",
    "Jadwal posyandu bulan ini tanggal berapa?",
    "Apakah sekolah negeri masih menerima pindahan di tengah semester?",
    "Siapa yang harus dihubungi untuk meminta penebangan pohon yang membahayakan?",
    "Bagaimana cara mengajukan pengangkutan sampah untuk acara di kampung?",
    "Kantor pelayanan pajak daerah ada di mana ya?",
    "Bisakah mengurus surat keterangan waris di kelurahan?",
    "Bagaimana mekanisme pengaduan kalau saya tidak mau identitas saya diketahui?",
    "Bagaimana cara mendapatkan kartu disabilitas?",
    "Apakah izin usaha mikro bisa diurus sendiri lewat HP?",
    "Berapa lama proses pindah sekolah antar kota?",
    "Kalau ganti nama anak, harus lewat pengadilan atau cukup di Dukcapil?",
    "Apakah pembayaran retribusi sampah bisa lewat aplikasi?",
    "Jam pelayanan kantor kelurahan hari Jumat sampai jam berapa?",
    "Dokumen apa yang harus dibawa untuk klaim santunan kematian?",
    "Apakah ada bantuan modal usaha untuk ibu rumah tangga dan cara daftarnya bagaimana?",
    "Berapa kuota jalur prestasi di SMP negeri tahun ini?",
    "Bisakah saya mendaftar BPJS Ketenagakerjaan sebagai pekerja mandiri?",
    "Apakah surat keterangan domisili bisa diurus online?",
]
INFO_MORE_EN = [
    "If I lose my ID card, how do I get a new one?",
    "Can I pay my vehicle tax in another city?",
    "Which permits do I need to open a small restaurant?",
    "Is there a mobile ID card service this week?",
    "How can I get a disability card?",
    "Where is the regional tax office?",
    "What time does the village office close on Friday?",
    "Can I register for employment insurance as a freelancer?",
]

TICKET_MORE_ID = [
    "Laporan {t} sudah lewat tiga minggu, masih diproses atau sudah ditutup?",
    "Min, aduanku yang {t} gimana kabarnya?",
    "Bisa tolong cek, laporan saya tentang {topic} sudah sampai tahap mana?",
    "Sebelumnya saya sudah mengadukan {topic}, mohon info tindak lanjutnya.",
    "Petugas bilang laporan saya {t} sudah selesai, padahal belum ada yang datang. Mohon dicek.",
    "Kira-kira kapan laporan {t} akan ditanggapi?",
    "Sudah ada petugas yang ditugaskan untuk laporan saya {t}?",
]
TICKET_MORE_EN = [
    "I reported {topic} a few days ago. When will someone come?",
    "Has anything happened with {t}? It has been three weeks.",
]

HUMAN_REASONS_ID = [
    "Masalah saya agak rumit.", "Sudah beberapa kali jawabannya tidak nyambung.",
    "Saya kurang paham pakai chatbot.", "Ini menyangkut data pribadi saya.",
    "Saya sudah tua dan susah mengetik panjang.", "Jawaban otomatis tidak menjawab pertanyaan saya.", "",
]
HUMAN_REQUESTS_ID = [
    "Bisa dihubungkan dengan petugas?", "Saya mau bicara dengan pegawai langsung.",
    "Tolong minta staf yang menghubungi saya.", "Ada nomor telepon petugas yang bisa dihubungi?",
    "Saya ingin dilayani oleh petugas, bukan mesin.", "Boleh minta disambungkan ke admin?",
    "Bisa saya telepon petugasnya?", "Ada operator yang bisa bantu?",
    "Tolong sambungkan dengan orang dari dinasnya.", "Mohon petugas yang membalas chat saya.",
]
HUMAN_REASONS_EN = ["My case is complicated.", "The automatic answers don't help.",
                    "This is about private matters.", ""]
HUMAN_REQUESTS_EN = ["Can I speak to a person?", "Please put me through to a staff member.",
                     "Could an officer call me?", "I'd like a human to handle this.",
                     "Is anyone from the office available to chat?"]

THANKS_ACK_ID = ["Oke", "Baik", "Siap", "Sip", "Alhamdulillah", "Mantap", "Oke, sudah jelas",
                 "Paham", "Noted", "Oke, infonya lengkap",
                 "Baik kalau begitu", "Wah, sangat membantu", "Sudah cukup", ""]
THANKS_CLOSE_ID = ["terima kasih", "makasih banyak ya", "sampai jumpa lagi",
                   "terima kasih atas bantuannya", "dadah", "wassalamualaikum",
                   "terima kasih min", "hatur nuhun", "matur suwun", "sampai nanti"]
THANKS_WISH_ID = ["", "", "Semoga sukses selalu.", "Selamat bekerja.", "Sehat selalu ya.",
                  "Semoga lancar terus.", "Tuhan memberkati.", "Salam."]
THANKS_ACK_EN = ["OK", "Great", "Alright", "Perfect", "Got it", "Understood", "Noted", ""]
THANKS_CLOSE_EN = ["thank you", "thanks a lot", "bye", "see you", "many thanks", "cheers", "goodbye"]
THANKS_WISH_EN = ["", "", "Have a great day.", "Take care.", "Have a good evening."]

GREET_SALUTE_ID = ["Halo", "Selamat pagi", "Selamat siang", "Selamat sore", "Selamat malam",
                   "Assalamualaikum", "Permisi", "Punten", "Sampurasun", "Horas",
                   "Om swastiastu", "Salam sejahtera", "Shalom", "Namo buddhaya",
                   "Salam kebajikan", "Rahayu", "Sugeng enjang", "Mejuah-juah", "Hai",
                   "Selamat pagi dan salam sehat", "Salam hangat", "Wilujeng enjing"]
GREET_ADDRESS_ID = ["", "admin", "min", "kak", "tim layanan",
                    "bapak ibu", "pak", "bu", "kakak admin", "tim pengaduan", "semuanya"]
GREET_TAIL_ID = ["", "", "", "Apa kabar?", "Ada yang bisa membalas?",
                 "Saya baru pertama kali menghubungi.", "Selamat bertugas.",
                 "Semoga hari ini lancar."]
GREET_EN = ["Hello", "Hi", "Good morning", "Good afternoon", "Good evening", "Hey there", "Hi team", "Hello officers", "Morning all"]
GREET_TAIL_EN = ["", "", "How are you?", "Is anyone there?", "Hope you are well."]

OOS_VERBS_ID = ["Tolong buatkan", "Bikinin", "Buatkan", "Bisa kasih", "Kasih", "Carikan",
                "Tolong tuliskan", "Minta"]
OOS_OBJECTS_ID = ["puisi cinta untuk pacar saya",
                  "pantun lucu", "cerita horor pendek", "resep nasi goreng", "caption buat foto liburan", "lirik lagu pop terbaru", "tebak-tebakan lucu",
                  "rekomendasi anime seru", "kata-kata motivasi pagi", "nama bayi laki-laki yang bagus",
                  "ide kado anniversary", "jadwal nonton bioskop", "rekomendasi wisata kuliner",
                  "soal matematika kelas 5", "ramalan cuaca besok", "status WA yang galau"]
OOS_MISC_ID = [
    "Kamu tinggal di mana?", "Kamu laki-laki atau perempuan?", "Siapa pembuat kamu?",
    "Tim bola favoritmu apa?", "Kenapa langit berwarna biru?", "Enaknya makan apa malam ini?",
    "Berapa harga emas hari ini?", "Saham apa yang bagus dibeli?", "Main game yuk",
    "Tolong cariin jodoh dong", "Besok libur nggak sih?", "Aku lagi sedih diputusin pacar",
    "Investasi emas atau reksa dana lebih untung?", "Gimana cara menang lotre?",
    "DAFTAR SEKARANG! Situs terpercaya, WD pasti cair", "Jual akun game murah meriah",
    "Open reseller skincare, untung besar", "Dana cair 5 menit tanpa BI checking",
    "Klik link ini untuk mendapatkan hadiah pulsa gratis", "Obat kuat herbal asli, pesan sekarang", "Siapa aktor paling ganteng?", "Hari ini enaknya ngapain ya",
    "Menurut kamu aku cantik nggak?", "Berapa jumlah pulau di dunia?", "wkwkwk",
    "Hmm", "p", "Coba-coba aja", "Kamu kenal Siri?",
]
OOS_EN = [
    "Write a love poem for my girlfriend",
    "What should I eat tonight?", "Who is the best singer ever?",
    "Which crypto coin will go up?",
    "WIN BIG! Register now and get a 300% bonus", "Cheap followers for sale, DM me",
    "Tell me a bedtime story", "Why is the sky blue?", "Do you have feelings?",
]

# Third round: scenarios that broaden each topic's vocabulary.
EXTRA_COMPLAINTS: dict[str, tuple[list[str], list[str]]] = {
    "infrastructure": (
        [
         "Got di sepanjang jalan ditutup beton oleh pemilik toko sehingga air tidak bisa mengalir",
         "Jalan menuju pelabuhan rusak berat dan truk sering terperosok"],
        [
         "Shop owners covered the gutter with concrete and the water has nowhere to go",
         "Water stands on the road for days after every storm because the culverts are too small"],
    ),
    "transport": (
        ["Speedboat ke ibu kota kabupaten hanya berangkat seminggu sekali dan sering penuh",
         "Ruang tunggu pelabuhan tidak ada atapnya sehingga penumpang kehujanan",
         "Jadwal bus antarkota dipangkas tanpa pemberitahuan",
         "Angkutan perintis ke desa kami berhenti beroperasi sejak bulan lalu"],
        ["The speedboat to the regency capital leaves only once a week and is always full",
         "The harbour has no shelter and passengers wait in the rain",
         "The intercity bus schedule was cut without any notice",
         "The airport shuttle bus no longer runs after six in the evening"],
    ),
    "licensing": (
        [
         "Izin pembangunan hotel diberikan di lahan resapan dekat mata air",
         "Izin lokasi pabrik keluar tanpa ada sosialisasi kepada warga sekitar",
         "Izin usaha salon saya dibekukan tanpa pemberitahuan tertulis"],
        ["A hotel permit was issued right next to the spring our village uses",
         "A factory received a location permit without any consultation with residents"],
    ),
    "taxes_fees": (
        ["Validasi BPHTB untuk hibah tanah dari orang tua sudah sebulan belum selesai",
         "Bapenda menetapkan nilai pajak tanah warisan kami jauh lebih tinggi dari tetangga",
         "Pajak kendaraan saya tercatat belum lunas padahal sudah dibayar lewat aplikasi"],
        ["The tax office has been validating our land transfer tax for a month",
         "Our inherited land was assessed at a much higher tax value than our neighbours'"],
    ),
    "education": (
        ["Sistem SPMB tidak bisa membaca nilai rapor anak saya sehingga peringkatnya jatuh",
         "Kuota jalur afirmasi SPMB diisi anak-anak dari keluarga mampu",
         "Sekolah negeri menolak murid pindahan dengan alasan kuota penuh padahal kelasnya kosong",
         "Jarak rumah ke sekolah di aplikasi pendaftaran dihitung salah sehingga anak kami tidak lolos"],
        ["The admission system calculated the distance from our house to the school wrongly",
         "Places reserved for poor families in school admission went to well-off children"],
    ),
    "other": (
        [
         "Koleksi buku di perpustakaan daerah sudah lama tidak diperbarui",
         "Gedung kesenian daerah rusak dan tidak bisa dipakai latihan"],
        [
         "The regional arts building is falling apart"],
    ),
    "social_assistance": (
        [
         "Petugas bank penyalur bansos meminta kami datang berulang kali tanpa kepastian pencairan",
         "Penerima bantuan yang sudah lanjut usia harus antre berjam-jam di tempat pembagian"],
        [
         "Elderly aid recipients must queue for hours under the sun at the distribution point"],
    ),
    "civil_service": (
        [
         "Calo di kantor pajak bekerja sama dengan petugas di dalam",
         "Petugas loket pajak daerah menyuruh kami membayar lewat dia tanpa bukti setor",
         "Oknum petugas dishub meminta uang damai saat razia"],
        [
         "Officers at the tax counter work together with brokers who charge extra"],
    ),
    "security": (
        ["Saya ditipu orang yang menjanjikan bisa memasukkan anak saya jadi PNS",
         "Saya mengunduh file undangan palsu di WhatsApp lalu rekening saya terkuras",
         "Ada penipuan jual beli mobil bekas lewat media sosial yang korbannya banyak di sini",
         "Pencuri masuk lewat atap dan mengambil tabung gas dan sepeda"],
        ["I paid someone who promised to get my son a civil service job and he vanished",
         "My bank account was emptied after I opened a fake wedding invitation file",
         "Thieves came through the roof and took our gas cylinder and bicycle"],
    ),
    "environment": (
        ["Peternakan ayam membuang bangkai ayam ke sungai",
         "Air limbah dapur restoran dialirkan ke selokan warga dan baunya menyengat",
         "Pembukaan lahan di hulu membuat sungai keruh dan dangkal"],
        ["A poultry farm throws dead chickens into the river",
         "A restaurant drains its kitchen waste into our gutter and it stinks"],
    ),
    "disaster": (
        ["Hujan abu dari gunung membuat atap rumah warga roboh",
         "Kebakaran di pasar belum bisa dipadamkan karena hidran tidak berfungsi",
         "Longsor susulan mengancam rumah-rumah di bawah tebing"],
        ["Roofs are collapsing under the volcanic ash",
         "The market fire could not be put out because the hydrants did not work",],
    ),
    "water_supply": (
        [
         "Sudah dua minggu air PDAM keluar hanya malam hari"],
        [],
    ),
    "public_order": (
        [
         "Ada yang memasang tenda hajatan di jalan umum tanpa izin selama seminggu"],
        [],
    ),
    "employment": (
        [
         "Kami karyawan kontrak tidak pernah menerima slip gaji"],
        [],
    ),
    "population_registry": (
        [
         "Data KK kami belum diperbarui setelah anak kami lahir padahal sudah lapor"],
        [],
    ),
    "health": (
        [
         "Pasien diminta membeli sendiri benang jahit operasi di apotek luar"],
        [],
    ),
    "electricity": (
        ["Listrik di rumah kami sering padam tiap magrib",],
        [],
    ),
}

ASPIRATION_PURPOSES_ID = [
    "supaya warga tidak perlu antre lama", "agar anak muda tidak menganggur",
    "biar kami tidak kehujanan saat menunggu", "supaya orang tua tidak perlu bolak-balik ke kantor",
    "agar warga tidak tertipu calo", "supaya pekerja bisa datang setelah jam kantor",
    "biar tidak ada lagi warga yang terlewat", "supaya lingkungan lebih bersih",
    "agar warga yang tinggal jauh juga terlayani", "supaya tidak ada lagi korban",
    "biar anak-anak punya tempat bermain yang aman", "supaya pelayanan lebih cepat",
]
ASPIRATION_PURPOSES_EN = [
    "so people do not have to queue for hours", "so that working people can also come",
    "so nobody gets left out", "so residents far away are also served",
]

THANKS_MORE = [
    "Akhirnya terjawab juga, makasih min", "Pamit dulu ya min, terima kasih",
    "Sampai ketemu di lain waktu, terima kasih", "Oke beres, makasih banyak",
    "Alhamdulillah sudah dibantu, terima kasih", "Sip, urusannya kelar, makasih",
    "Terima kasih infonya, saya izin keluar dulu", "Oke min, cukup dulu. Sampai ketemu",
    "Thanks, that settles it. Bye", "All sorted, thank you and see you",
    "Okay that's clear now, thanks and bye", "Makasih, sudah terjawab semua",
]
GREET_MORE = [
    "Selamat hari Jumat, admin", "Selamat hari Rabu, salam sehat", "Selamat berakhir pekan, min",
    "Selamat hari Kamis, bapak ibu", "Selamat pagi, semoga kita semua dalam keadaan baik",
    "Halo, semoga sehat-sehat semua", "Selamat siang, selamat bertugas untuk tim",
    "Hai min, apa kabar hari ini?", "Good morning, hope everyone is doing well",
    "Happy Friday, admin", "Selamat malam, maaf mengganggu waktunya",
]

# Topic vocabulary: the things people complain about, per category, slotted into
# generic complaint templates so every topic word is seen in several phrasings.
TOPIC_NOUNS: dict[str, tuple[list[str], list[str]]] = {
    "infrastructure": (["jalan berlubang", "aspal yang mengelupas", "jembatan rusak", "trotoar rusak",
                        "lampu PJU", "lampu jalan", "drainase", "selokan mampet", "gorong-gorong",
                        "tanggul irigasi", "jalan desa", "paving block", "talud penahan tanah",
                        "jalan lingkungan", "saluran air hujan", "jembatan penyeberangan"],
                       ["potholes", "street lights", "the bridge", "the sidewalk", "the drains",
                        "the culvert", "the road surface"]),
    "water_supply": (["air PDAM", "air keran", "pipa PDAM", "meteran air", "tagihan air",
                      "sambungan air", "air bersih", "tekanan air", "kualitas air ledeng",
                      "hidran umum", "tangki air bersih", "sumur bor desa"],
                     ["the tap water", "the water bill", "the water meter", "the water pipes",
                      "the water connection"]),
    "electricity": (["listrik PLN", "pemadaman listrik", "token listrik", "meteran listrik",
                     "tagihan listrik", "kabel listrik", "trafo", "gardu listrik", "tegangan listrik",
                     "pasang baru listrik", "tambah daya"],
                    ["the electricity", "power cuts", "the power meter", "the electricity bill",
                     "the transformer", "the power lines"]),
    "health": (["pelayanan puskesmas", "rumah sakit daerah", "BPJS Kesehatan", "obat di puskesmas",
                "dokter jaga", "perawat IGD", "posyandu", "ambulans", "bidan desa", "rujukan pasien",
                "vaksinasi anak", "kamar rawat inap", "antrean poli"],
               ["the health centre", "the hospital", "health insurance", "the medicine supply",
                "the ambulance", "the emergency room"]),
    "education": (["sekolah negeri", "guru honorer", "pungutan sekolah", "PPDB", "SPMB", "dana BOS",
                   "KIP", "seragam sekolah", "ijazah", "rapor", "ruang kelas", "beasiswa", "PAUD",
                   "uang komite", "buku pelajaran"],
                  ["the public school", "school fees", "the teachers", "school admission",
                   "the classrooms", "the scholarship"]),
    "population_registry": (["KTP elektronik", "kartu keluarga", "akta kelahiran", "akta kematian",
                             "Dukcapil", "surat pindah", "data NIK", "KIA", "perekaman KTP",
                             "pencetakan KK", "IKD", "data kependudukan"],
                            ["my ID card", "the family card", "the birth certificate",
                             "the civil registry", "my population record"]),
    "social_assistance": (["bansos", "PKH", "BPNT", "BLT", "DTKS", "kartu KKS", "bantuan sembako",
                           "bantuan lansia", "pendamping PKH", "bantuan beras", "data penerima bantuan",
                           "bantuan rumah tidak layak huni"],
                          ["social aid", "the cash assistance", "the welfare list",
                           "food assistance", "the aid card"]),
    "environment": (["sampah menumpuk", "pengangkutan sampah", "TPS liar", "limbah pabrik",
                     "pencemaran sungai", "asap pembakaran sampah", "bau busuk", "penebangan pohon",
                     "bank sampah", "TPA", "polusi udara", "air limbah", "pembuangan oli bekas"],
                    ["the garbage", "waste collection", "the polluted river", "the smoke",
                     "illegal dumping", "the stench"]),
    "disaster": (["banjir", "tanah longsor", "pohon tumbang", "kebakaran rumah", "angin puting beliung",
                  "tanggul jebol", "gempa", "banjir rob", "abrasi", "kekeringan", "pengungsi",
                  "bantuan korban bencana", "kebakaran lahan"],
                 ["the flood", "the landslide", "the fire", "the storm damage", "the evacuation",
                  "the fallen tree"]),
    "transport": (["lampu lalu lintas", "parkir liar", "angkot", "bus kota", "terminal",
                   "juru parkir", "kemacetan", "rambu lalu lintas", "halte", "kapal penyeberangan",
                   "ojek pangkalan", "truk besar", "uji KIR", "jadwal kereta", "pelabuhan"],
                  ["the traffic lights", "illegal parking", "the bus service", "traffic jams",
                   "the terminal", "the boat schedule"]),
    "public_order": (["pedagang kaki lima", "bangunan liar", "musik keras tetangga", "pengamen",
                      "pengemis", "balap liar", "reklame liar", "warung remang-remang", "miras",
                      "keributan malam", "lapak di trotoar", "gepeng"],
                     ["street vendors", "the noise at night", "the illegal building",
                      "beggars at the lights", "drunk people"]),
    "security": (["pencurian", "maling", "begal", "penipuan online", "narkoba", "geng motor",
                  "perampokan", "pinjol ilegal", "debt collector", "tawuran", "pemalakan preman",
                  "investasi bodong", "penculikan anak"],
                 ["theft", "robbery", "an online scam", "drug dealing", "the gang", "loan sharks"]),
    "licensing": (["izin usaha", "PBG", "IMB", "NIB", "OSS", "izin lingkungan", "izin reklame",
                   "perizinan bangunan", "izin tower", "sertifikat laik fungsi", "izin operasional",
                   "izin praktik", "PIRT"],
                  ["the building permit", "the business licence", "the OSS system",
                   "the permit office", "an unlicensed building"]),
    "taxes_fees": (["PBB", "SPPT", "NJOP", "pajak kendaraan", "BPHTB", "retribusi pasar",
                    "retribusi sampah", "denda pajak", "pajak restoran", "pajak reklame",
                    "retribusi parkir", "Bapenda"],
                   ["the property tax", "the vehicle tax", "the market levy", "the tax penalty",
                    "the tax assessment"]),
    "employment": (["gaji yang belum dibayar", "THR", "PHK", "pesangon", "BPJS Ketenagakerjaan",
                    "upah minimum", "uang lembur", "kontrak kerja", "JHT", "pekerja anak",
                    "kartu kuning", "BLK", "cuti melahirkan"],
                   ["unpaid wages", "the holiday bonus", "the layoffs", "severance pay",
                    "overtime pay", "employment insurance"]),
    "civil_service": (["pungli", "pegawai kelurahan", "oknum petugas", "uang pelicin", "calo",
                       "pegawai yang bolos", "sikap petugas loket", "kepala desa", "perangkat desa",
                       "gratifikasi", "ASN", "pelayanan camat"],
                      ["illegal fees", "a rude officer", "bribery", "absent civil servants",
                       "the village head", "a corrupt official"]),
    "other": (["sinyal internet", "perpustakaan daerah", "sengketa tanah", "pemakaman umum",
               "fasilitas olahraga", "harga elpiji", "sertifikat tanah BPN", "tempat wisata",
               "pasar tradisional", "pengembang perumahan", "hewan peliharaan tetangga",
               "layanan kantor pos"],
              ["the phone signal", "the public library", "a land dispute", "the cemetery",
               "the housing developer", "the gas price"]),
}
TOPIC_TEMPLATES_ID = [
    "Saya mau mengeluhkan {n} di {loc}.", "Masalah {n} di {loc} belum selesai juga.",
    "Kami kecewa dengan {n}, sudah dilaporkan tapi tidak ada perbaikan.",
    "Tolong perhatikan {n} di {loc}, warga sudah resah.", "Soal {n}: {d}",
    "{N} di {loc} bermasalah lagi {dur}.", "Kenapa {n} di {loc} dibiarkan begini?",
    "Lapor, {n} di {loc} sangat mengecewakan.", "Keluhan warga tentang {n} tidak pernah ditanggapi.",
    "Mohon ditindaklanjuti, {n} {dur} tidak beres.", "Ada masalah serius dengan {n} di {loc}.",
    "Min, {n} di {loc} parah banget, tolong dicek.",
]
TOPIC_TEMPLATES_EN = [
    "I want to complain about {n} in {loc}.", "There is a serious problem with {n} here.",
    "Nobody is dealing with {n} in our area.", "We are fed up with {n}. Please act.",
    "The situation with {n} has not improved {dur}.", "Please look into {n} in {loc}.",
]

# Category-neutral context: words of many topics (bridge, ID card, rain, bus stop, school,
# payment, sick) in sentences that do not change the topic, added to complaints of every
# category so the topic model learns to look past them.
NEUTRAL_CONTEXT_ID = [
    "Lokasinya dekat jembatan di ujung jalan.", "Saya sudah membawa KTP dan KK waktu melapor.",
    "Kejadiannya setelah hujan deras kemarin sore.", "Tempatnya tidak jauh dari halte bus.",
    "Sudah kami sampaikan ke kelurahan dan RT.", "Anak-anak sekolah setiap hari lewat situ.",
    "Petugas yang kami temui hanya bilang harus menunggu.", "Kami selalu membayar tepat waktu.",
    "Ada tetangga yang sampai jatuh sakit memikirkan ini.", "Foto dan videonya sudah saya simpan.",
    "Rumah saya persis di samping pasar.", "Saya pensiunan dan tinggal berdua dengan istri.",
    "Kami warga kecil yang tidak tahu harus ke mana.", "Ini sudah viral di grup WhatsApp warga.",
    "Saya sudah datang ke kantor dinas dua kali.", "Jalan ke sana melewati sawah dan kebun.",
    "Kejadiannya di dekat stasiun kereta.", "Saya bekerja di luar kota jadi jarang di rumah.",
    "Ibu saya sudah lansia dan sering sakit.", "Tadi pagi saya sudah telepon call center.",
]
NEUTRAL_CONTEXT_EN = [
    "It is near the bridge at the end of the road.", "It happened after the heavy rain yesterday.",
    "It is right next to the bus stop.", "Schoolchildren walk past every day.",
    "We always pay on time.", "I have photos and videos.", "I work out of town most weeks.",
    "We already told the neighbourhood head.",
]
