from __future__ import annotations

import itertools
import time
from pathlib import Path

import pytest

from nlu.embedded import EmbeddedClassifier
from nlu.examples import TrainingExample
from nlu.taxonomy import CATEGORIES, INTENTS
from nlu.training import load_shipped_examples
from nlu.types import IntentClassifier

# Written for this test only: neither in the shipped data nor in shared/eval.
HELD_OUT_INTENTS = [
    ("Selamat malam kak, salam kenal dari warga RW 7", "greet"),
    ("Permisi bapak ibu, selamat siang", "greet"),
    ("Good day to the service team", "greet"),
    ("Gorong-gorong di ujung jalan kami jebol dan airnya masuk ke rumah tiap hujan, "
     "tolong ditangani", "complaint"),
    ("Sudah tiga hari sampah di depan pasar tidak diangkut, baunya sampai ke masjid", "complaint"),
    ("Anak saya ditolak puskesmas karena kartu BPJS-nya katanya tidak aktif, padahal rutin bayar",
     "complaint"),
    ("The street behind the mosque has been dark for a month because every lamp is broken",
     "complaint"),
    ("Usul min, di setiap taman disediakan tempat cuci tangan", "aspiration"),
    ("Saran saya kantor kelurahan buka juga hari Sabtu supaya pekerja bisa mengurus surat",
     "aspiration"),
    ("It would help a lot if the bus terminal had a nursing room for mothers", "aspiration"),
    ("Bagaimana cara mengurus akta kelahiran untuk anak kedua?", "info_request"),
    ("Syarat pindah domisili ke kota lain apa saja ya kak?", "info_request"),
    ("How much is the fee for a business permit for a small shop?", "info_request"),
    ("Status laporan PTU-2026-004512 gimana ya min?", "ticket_status"),
    ("Aduan saya minggu lalu soal lampu jalan sudah diproses belum?", "ticket_status"),
    ("Any news about my report PTU-2026-000777?", "ticket_status"),
    ("Tolong sambungkan saya ke petugas, saya tidak mau dengan mesin", "human_agent"),
    ("Is there a real person I can chat with?", "human_agent"),
    ("Oke min, makasih banyak ya atas bantuannya", "thanks"),
    ("Thanks a lot, that's all I needed", "thanks"),
    ("Siapa pemenang Piala Dunia tahun 2018?", "out_of_scope"),
    ("Buatkan saya pantun untuk acara arisan", "out_of_scope"),
]
HELD_OUT_CATEGORIES = [
    ("Jembatan di desa kami ambruk separuh dan motor tidak bisa lewat", "infrastructure"),
    ("Air PDAM di blok kami mati sejak subuh dan belum ada info", "water_supply"),
    ("Listrik padam lima jam tanpa pemberitahuan dari PLN", "electricity"),
    ("Dokter di puskesmas tidak ada, pasien disuruh pulang", "health"),
    ("Sekolah memungut biaya perpisahan yang mahal sekali", "education"),
    ("KTP-el saya sudah empat bulan belum dicetak Dukcapil", "population_registry"),
    ("Bantuan PKH keluarga kami berhenti tanpa alasan", "social_assistance"),
    ("Tetangga membakar sampah plastik tiap pagi dan asapnya masuk rumah", "environment"),
    ("Banjir setinggi lutut masuk rumah sejak semalam, kami butuh evakuasi", "disaster"),
    ("Juru parkir liar di depan bank minta lima ribu", "transport"),
    ("Pedagang kaki lima menutup trotoar depan stasiun", "public_order"),
    ("Motor saya dicuri di depan warung tadi malam", "security"),
    ("Pengajuan PBG rumah saya tidak ada kabar sejak Maret", "licensing"),
    ("Tagihan PBB saya tiba-tiba naik tiga kali lipat", "taxes_fees"),
    ("Pabrik belum membayar gaji kami selama dua bulan", "employment"),
    ("Petugas kelurahan minta uang rokok supaya surat cepat selesai", "civil_service"),
]


def test_implements_the_backend_protocol(model: EmbeddedClassifier) -> None:
    assert isinstance(model, IntentClassifier)
    assert model.version.startswith("nlu-")
    assert set(model.intents) == set(INTENTS)
    assert set(model.categories) == set(CATEGORIES)


def test_intents_on_held_out_messages(model: EmbeddedClassifier) -> None:
    wrong = [(t, want, got) for t, want in HELD_OUT_INTENTS
             if (got := model.parse(t).intent.label) != want]
    assert len(wrong) <= 2, wrong


def test_categories_on_held_out_messages(model: EmbeddedClassifier) -> None:
    wrong = [(t, want, got) for t, want in HELD_OUT_CATEGORIES
             if (got := (c.label if (c := model.parse(t).category) else None)) != want]
    assert len(wrong) <= 2, wrong


def test_result_carries_ranking_entities_region_lang(model: EmbeddedClassifier) -> None:
    result = model.parse("Min, status tiket PTU-2026-000123 soal jalan rusak di Jaksel gimana?")
    assert result.intent.label == "ticket_status"
    ranking = result.intent.ranking
    assert next(label for label, _ in ranking) == result.intent.label
    assert sorted(label for label, _ in ranking) == sorted(INTENTS)
    assert abs(sum(p for _, p in ranking) - 1.0) < 0.01
    assert all(a[1] >= b[1] for a, b in itertools.pairwise(ranking))
    assert result.ticket_numbers == ["PTU-2026-000123"]
    assert result.region is not None
    assert result.region.canonical_name == "Kota Administrasi Jakarta Selatan"
    assert result.lang == "id"
    assert result.model_version == model.version
    assert result.category is not None and len(result.category.ranking) == len(CATEGORIES)


def test_language_guess(model: EmbeddedClassifier) -> None:
    assert model.parse("The road near my house is broken").lang == "en"
    assert model.parse("Jalan depan rumah saya rusak parah").lang == "id"
    assert model.parse("Min, jalan depan rumah rusak, please fix asap").lang == "mixed"


def test_threshold_marks_unsure_results(model: EmbeddedClassifier) -> None:
    sure = model.parse("Terima kasih banyak atas bantuannya")
    assert sure.intent.label == "thanks" and sure.intent.confident
    strict = model.with_version("strict")
    strict.intent_threshold = 1.01
    unsure = strict.parse("Terima kasih banyak atas bantuannya")
    assert unsure.intent.label == "thanks"
    assert not unsure.intent.confident


def test_confidence_is_calibrated_on_held_out(model: EmbeddedClassifier) -> None:
    # Messages answered with high confidence are mostly right; low confidence is rarer on
    # clear messages than on gibberish.
    results = [(model.parse(t), want) for t, want in HELD_OUT_INTENTS]
    confident = [r.intent.label == want for r, want in results if r.intent.confidence >= 0.8]
    assert confident and sum(confident) / len(confident) >= 0.9
    noise = model.parse("qwzx vbnm plok")
    clear = model.parse("Bagaimana cara membuat KTP untuk pertama kali?")
    assert noise.intent.confidence < clear.intent.confidence


def test_save_and_load_give_identical_results(model: EmbeddedClassifier, tmp_path: Path) -> None:
    path = model.save(tmp_path / "m.joblib")
    started = time.perf_counter()
    loaded = EmbeddedClassifier.load(path)
    assert time.perf_counter() - started < 2.0
    for text, _ in HELD_OUT_INTENTS[:8]:
        a, b = model.parse(text), loaded.parse(text)
        assert a == b


def test_parse_many_matches_parse(model: EmbeddedClassifier) -> None:
    texts = [t for t, _ in HELD_OUT_CATEGORIES[:5]]
    assert model.parse_many(texts) == [model.parse(t) for t in texts]


def test_training_refuses_unknown_labels() -> None:
    with pytest.raises(ValueError, match="unknown intent"):
        EmbeddedClassifier.train([TrainingExample("x", "shout")])
    with pytest.raises(ValueError, match="unknown category"):
        EmbeddedClassifier.train([TrainingExample("x", "complaint", "roads")])
    with pytest.raises(ValueError, match="no training examples"):
        EmbeddedClassifier.train([])


def test_small_training_set_trains_and_predicts() -> None:
    shipped = load_shipped_examples()
    subset = [e for e in shipped if e.intent == "greet"][:100]
    for category in ("water_supply", "electricity"):
        subset += [e for e in shipped if e.category == category and e.intent == "complaint"][:100]
    small = EmbeddedClassifier.train(subset, calibrate=False, version="small")
    assert small.version == "small"
    assert set(small.intents) == {"greet", "complaint"}
    result = small.parse("Halo, selamat pagi")
    assert result.intent.label == "greet"
    assert result.category is not None
    assert result.category.label in ("water_supply", "electricity")
