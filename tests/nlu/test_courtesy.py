"""Forms of address and greetings carry no intent (issue 11 follow-up).

The long written reports in the shipped data are complaints that address officials
("Yth. Bapak/Ibu", "Kepada Dinas ...", "petugas"); the generator writes the same forms
for every intent (:mod:`tools.nlu_datagen.courtesy`), so a greeting to the officers or a
suggestion addressed to a unit is not read as a complaint.

Every message in HELD_OUT is written for this test: none is in the shipped data or in
shared/eval.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from nlu.embedded import EmbeddedClassifier
from nlu.examples import TrainingExample
from nlu.training import load_shipped_examples
from tools.nlu_datagen import courtesy

HELD_OUT = [
    ("Salam sejahtera, Bapak dan Ibu pegawai Disdukcapil", "greet"),
    ("Yth. Bapak/Ibu pengurus layanan pengaduan, selamat sore", "greet"),
    ("Kepada Bapak Ibu petugas kecamatan, assalamualaikum", "greet"),
    ("Horas, para petugas yang sedang berjaga", "greet"),
    ("Punten Bapak/Ibu, saya ingin menyampaikan usul supaya taman kota dilengkapi toilet umum",
     "aspiration"),
    ("Yth. Dinas Perhubungan, mohon dipertimbangkan halte baru di depan pasar induk",
     "aspiration"),
    ("Usul ke Bapak/Ibu petugas: formulir pindah domisili dibuat satu lembar saja", "aspiration"),
    ("Kepada Yth. Bapak/Ibu petugas Samsat, apakah bayar pajak motor bisa diwakilkan?",
     "info_request"),
    ("Bapak/Ibu petugas, jam buka kantor Disdukcapil hari Jumat sampai jam berapa?",
     "info_request"),
    ("Kepada Bapak Ibu petugas, terima kasih sudah membantu urusan KK saya", "thanks"),
    ("Urusan paspor sudah beres semua, pamit ya Bapak/Ibu", "thanks"),
    ("Yth. Bapak/Ibu petugas, saya ingin berbicara langsung dengan staf, bukan dengan mesin",
     "human_agent"),
    ("Bapak/Ibu petugas, laporan saya PTU-2026-001234 sudah ditindaklanjuti belum?",
     "ticket_status"),
    # the same forms before a real problem keep it a complaint
    ("Yth. Bapak/Ibu petugas, sampah di pinggir kali belum diangkut sejak lebaran", "complaint"),
    ("Horas Bapak/Ibu, jembatan kayu di kampung kami patah dan anak sekolah harus memutar jauh",
     "complaint"),
    ("Kepada Dinas Sosial, bantuan PKH ibu saya tidak cair tiga bulan", "complaint"),
]

EVAL_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "eval"


@pytest.fixture(scope="module")
def shipped() -> list[TrainingExample]:
    return load_shipped_examples()


def test_addressing_officials_does_not_make_a_complaint(model: EmbeddedClassifier) -> None:
    got = [(text, model.parse(text).intent.label) for text, _ in HELD_OUT]
    assert got == HELD_OUT


def test_every_intent_is_written_with_the_forms_of_address(
        shipped: list[TrainingExample]) -> None:
    addressed = Counter(e.intent for e in shipped
                        if any(a.lower() in e.text.lower() for a in courtesy.ADDRESSES))
    intents = ("greet", "complaint", "aspiration", "info_request", "thanks", "human_agent",
               "ticket_status")
    # enough of each that the form is no cue for one intent (counts of the generated data)
    assert {i: addressed[i] >= 30 for i in intents} == dict.fromkeys(intents, True), addressed
    # regional greetings open greetings, and the messages that may follow them
    opening = ("greet", "complaint", "aspiration", "info_request", "ticket_status")
    saluted = Counter(e.intent for e in shipped
                      if e.text.lower().startswith(("horas", "sampurasun", "punten")))
    assert {i: saluted[i] > 0 for i in opening} == dict.fromkeys(opening, True), saluted


def _tokens(text: str) -> frozenset[str]:
    return frozenset(re.findall(r"\w+", text.lower()))


def test_shipped_data_holds_no_evaluation_text(shipped: list[TrainingExample]) -> None:
    """The dev sets are for evaluation only: no shipped example is one of their texts or a
    near copy (70% or more of the words in common)."""
    files = sorted(EVAL_DIR.glob("*.jsonl")) if EVAL_DIR.is_dir() else []
    if not files:
        pytest.skip(f"no evaluation files in {EVAL_DIR}")
    by_size: dict[int, list[tuple[frozenset[str], str]]] = {}
    for e in shipped:
        toks = _tokens(e.text)
        by_size.setdefault(len(toks), []).append((toks, e.text))
    close: list[tuple[str, str]] = []
    for path in files:
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            text = json.loads(line)["text"]
            toks = _tokens(text)
            if len(toks) < 3:
                continue
            # a Jaccard similarity of 0.7 needs sizes within a factor of 0.7
            for size in range(int(len(toks) * 0.7), int(len(toks) / 0.7) + 1):
                for other, shipped_text in by_size.get(size, ()):
                    if len(toks & other) >= 0.7 * len(toks | other):
                        close.append((text, shipped_text))
    assert close == []
