"""Confidence calibration: the grouped hold-out, the ECE measure, and how sure the
shipped model is on clear, ambiguous and off-topic messages.

Every message here is written for this test: none is in the shipped data or in
shared/eval.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from nlu.calibration import calibration_report, expected_calibration_error
from nlu.embedded import EmbeddedClassifier, grouped_holdout
from nlu.examples import TrainingExample
from nlu.training import (
    example_groups,
    load_shipped_examples,
    shipped_groups,
    text_key,
)
from tools.nlu_datagen.generator import generate_grouped

# Clear complaints, one topic each, worded unlike the seeds.
CLEAR = [
    ("Pipa PDAM di gang kami bocor dan air keran tidak keluar sejak Senin", "water_supply"),
    ("Token listrik sudah diisi tapi meteran PLN tetap menunjukkan nol", "electricity"),
    ("Puskesmas menolak pasien BPJS dengan alasan kuota dokter sudah habis", "health"),
    ("Anak saya tidak diterima di SD negeri terdekat padahal rumah kami di zonasi",
     "education"),
    ("Akta kelahiran anak saya salah nama dan Dukcapil minta saya mengurus dari awal",
     "population_registry"),
    ("Nama ibu saya hilang dari daftar penerima BPNT bulan ini", "social_assistance"),
    ("Truk sampah tidak datang dua minggu dan sampah rumah tangga menumpuk di TPS", "environment"),
    ("Tanah longsor menimbun jalan desa dan dua rumah warga setelah hujan semalaman", "disaster"),
    ("Lampu lalu lintas di simpang dekat terminal padam dan terjadi kemacetan panjang",
     "transport"),
    ("Lampu penerangan jalan umum di jalan desa kami padam sudah tiga minggu", "infrastructure"),
    ("Lapak pedagang menutup seluruh trotoar sehingga pejalan kaki turun ke jalan", "public_order"),
    ("Rumah tetangga dibobol maling siang hari waktu pemiliknya kerja", "security"),
    ("Izin usaha NIB saya di OSS ditolak terus tanpa penjelasan", "licensing"),
    ("Pajak kendaraan bermotor saya ditagih dua kali di Samsat", "taxes_fees"),
    ("Perusahaan memecat kami tanpa pesangon dan THR tidak dibayar", "employment"),
    ("Oknum pegawai kelurahan meminta uang supaya surat pengantar saya cepat jadi",
     "civil_service"),
]

# Complaints whose words belong to more than one topic; the label follows the taxonomy.
CROSSOVER = [
    ("Petugas Dukcapil minta uang tambahan supaya KTP saya cepat dicetak", "civil_service"),
    ("Pohon besar tumbang menimpa kabel listrik setelah angin kencang tadi sore", "disaster"),
    ("Sopir angkot ugal-ugalan dan menurunkan penumpang di tengah jalan", "transport"),
    ("Ada tawaran kerja jadi admin online tapi harus deposit dulu, ternyata penipuan",
     "security"),
    ("Kapal penyeberangan batal berangkat, tiket kami tidak dikembalikan", "transport"),
    ("Warga membuang sampah ke sungai sampai alirannya mampet dan bau", "environment"),
    ("Tagihan listrik kami naik dua kali lipat padahal pemakaian sama saja", "electricity"),
    ("Retribusi kebersihan di pasar naik tanpa sosialisasi ke pedagang", "taxes_fees"),
    ("Bangunan liar berdiri di atas saluran irigasi dan tidak ditertibkan", "public_order"),
    ("Rumah sakit minta uang muka dulu sebelum pasien gawat darurat ditangani", "health"),
    ("Sekolah menahan ijazah anak saya karena uang gedung belum lunas", "education"),
    ("THR karyawan toko tempat saya bekerja tidak dibayar sampai sekarang", "employment"),
    ("Air sumur warga jadi hitam sejak pabrik di hulu membuang limbah", "environment"),
    ("Kabel PLN menjuntai rendah di atas jalan dan bisa tersangkut truk", "electricity"),
    ("Guru di sekolah anak saya sering tidak masuk mengajar", "education"),
    ("Jalan licin karena tumpahan oli dari truk proyek, banyak motor jatuh", "infrastructure"),
]

# Intents of short messages, for the "wrong but near-certain" check.
INTENTS = [
    ("Assalamualaikum, selamat sore admin", "greet"),
    ("Hi, good evening", "greet"),
    ("Berapa lama proses balik nama sertifikat tanah?", "info_request"),
    ("Jam buka kantor Samsat hari Sabtu sampai jam berapa?", "info_request"),
    ("What documents do I need to register a newborn?", "info_request"),
    ("Laporan saya nomor PTU-2026-001234 sampai mana prosesnya?", "ticket_status"),
    ("Kemarin saya sudah lapor soal pohon tumbang, ada kabar?", "ticket_status"),
    ("Saya mau ngobrol sama petugas beneran aja", "human_agent"),
    ("Can someone from your staff call me?", "human_agent"),
    ("Siap, terima kasih infonya kak", "thanks"),
    ("Bye, thank you for the help", "thanks"),
    ("Rekomendasi film horor yang seru dong", "out_of_scope"),
    ("Usul agar ada bus sekolah gratis untuk anak desa", "aspiration"),
    ("Sebaiknya ada taman bermain di setiap kelurahan", "aspiration"),
]

# No public-service topic, or no topic at all: the category guess should be unsure.
VAGUE = [
    "Pokoknya saya kecewa berat deh sama semuanya",
    "Tolong dong diurus, saya sudah bingung harus ke mana",
    "Halo kak, mau nanya boleh?",
    "Hmm oke deh kalau begitu",
    "Siapa yang menang pertandingan bola tadi malam?",
    "qwerty asdf zxcv",
    "Saya mau melapor tapi nanti saja",
    "Kenapa ya begini terus dari dulu",
]


@pytest.fixture(scope="module")
def shipped() -> list[TrainingExample]:
    """The shipped training examples."""
    return load_shipped_examples()


def test_ece_is_zero_when_confidence_matches_accuracy() -> None:
    confidences = [0.75] * 4 + [0.25] * 4
    correct = [True, True, True, False, True, False, False, False]
    assert expected_calibration_error(confidences, correct) == pytest.approx(0.0)


def test_ece_of_an_overconfident_model() -> None:
    # Always 0.99 sure, right half of the time: off by 0.49.
    assert expected_calibration_error([0.99] * 10, [True, False] * 5) == pytest.approx(0.49)
    assert expected_calibration_error([], []) == 0.0
    with pytest.raises(ValueError):
        expected_calibration_error([0.5], [])


def test_grouped_holdout_keeps_groups_whole_and_every_label_trained() -> None:
    groups = [f"g{i // 5}" for i in range(200)]          # 40 groups of 5 rows
    y = np.array([(i // 5) % 4 for i in range(200)])     # 4 labels, 10 groups each
    train, test = grouped_holdout(groups, y)
    train_groups = {groups[i] for i in train}
    test_groups = {groups[i] for i in test}
    assert not train_groups & test_groups
    assert set(y[train].tolist()) == {0, 1, 2, 3}
    assert 0.15 <= len(test) / len(y) <= 0.35
    _, again_test = grouped_holdout(groups, y)
    assert again_test.tolist() == test.tolist()


def test_grouped_holdout_never_holds_out_a_label_with_one_group() -> None:
    groups = ["a"] * 10 + [f"b{i}" for i in range(10)]
    y = np.array([0] * 10 + [1] * 10)
    train, test = grouped_holdout(groups, y)
    assert all(y[i] == 1 for i in test)
    assert sum(1 for i in train if y[i] == 0) == 10


def test_shipped_groups_cover_the_shipped_data(shipped: list[TrainingExample]) -> None:
    known = shipped_groups()
    assert all(text_key(e.text) in known for e in shipped)
    groups = example_groups(shipped)
    sizes = Counter(groups)
    # seeds are reused: far fewer groups than examples, and no group mixes labels
    assert len(sizes) < len(shipped) / 2
    labels: dict[str, set[tuple[str, str | None]]] = {}
    for e, g in zip(shipped, groups, strict=True):
        labels.setdefault(g, set()).add((e.intent, e.category))
    assert all(len(v) == 1 for v in labels.values())
    # texts outside the shipped data fall back to a group of their own
    assert example_groups([TrainingExample("baru sekali", "greet")])[0].startswith("text/")


def test_generator_matches_the_shipped_file(shipped: list[TrainingExample]) -> None:
    generated = sorted((e.text, e.intent, e.category or "") for e, _ in generate_grouped())
    assert generated == sorted((e.text, e.intent, e.category or "") for e in shipped)


def test_temperatures_are_fitted_not_at_the_grid_edge(model: EmbeddedClassifier) -> None:
    # The grid runs from 0.02 to 20; an edge value means the fit failed (the category
    # temperature used to come out at 0.02 and pin every confidence at 1.0).
    t_intent, t_category = model.info["temperature"]
    for t in (t_intent, t_category):
        assert 0.05 < t < 15.0


def test_clear_messages_are_right_and_sure(model: EmbeddedClassifier) -> None:
    results = [(model.parse(t), want) for t, want in CLEAR]
    wrong = [(t, r.category.label if r.category else None)
             for (t, _), (r, want) in zip(CLEAR, results, strict=True)
             if r.category is None or r.category.label != want]
    assert len(wrong) <= 2, wrong
    mean = sum(r.category.confidence for r, _ in results if r.category) / len(results)
    assert mean >= 0.7


def test_vague_messages_are_much_less_sure_than_clear_ones(model: EmbeddedClassifier) -> None:
    def mean_conf(texts: list[str]) -> float:
        confs = [c.confidence for t in texts if (c := model.parse(t).category) is not None]
        return sum(confs) / len(confs)

    clear, vague = mean_conf([t for t, _ in CLEAR]), mean_conf(VAGUE)
    assert vague < 0.5
    assert clear - vague >= 0.3, (clear, vague)


def test_wrong_answers_are_rarely_near_certain(model: EmbeddedClassifier) -> None:
    rows = [{"text": t, "intent": "complaint", "category": c} for t, c in CLEAR + CROSSOVER]
    rows += [{"text": t, "intent": i} for t, i in INTENTS]
    report = calibration_report(model, rows, category_threshold=0.40)
    for field in ("intent", "category"):
        r = report[field]
        assert r["wrong_above_0_99"] <= max(1, r["n"] // 20), (field, r)
        if r["n_wrong"]:
            assert r["mean_confidence_wrong"] < r["mean_confidence_right"], (field, r)
    assert report["triage"]["n_complaints"] == len(CLEAR) + len(CROSSOVER)


def test_traffic_lights_are_transport_street_lights_infrastructure(
        model: EmbeddedClassifier) -> None:
    def cat(text: str) -> str | None:
        c = model.parse(text).category
        return c.label if c else None

    assert cat("Lampu merah di pertigaan dekat masjid rusak, mobil saling tabrak") == "transport"
    assert cat("Traffic light depan mall mati sejak pagi") == "transport"
    assert cat("Lampu jalan di komplek kami mati semua, gelap banget") == "infrastructure"


def test_training_takes_explicit_groups(shipped: list[TrainingExample]) -> None:
    subset: list[TrainingExample] = []
    for intent, category in (("greet", None), ("thanks", None), ("complaint", "water_supply"),
                             ("complaint", "electricity"), ("complaint", "health")):
        subset += [e for e in shipped if (e.intent, e.category) == (intent, category)][:120]
    groups = [f"{e.intent}{i % 7}" for i, e in enumerate(subset)]
    small = EmbeddedClassifier.train(subset, groups=groups, version="grouped")
    assert small.parse("air PDAM mati").category is not None
    with pytest.raises(ValueError, match="groups"):
        EmbeddedClassifier.train(subset, groups=groups[:-1])
