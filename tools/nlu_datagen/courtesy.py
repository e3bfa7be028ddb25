# ruff: noqa: E501  (seed sentences are data; wrapping them hurts editing)
"""Courtesy forms across every intent: how citizens greet and address officials.

The long written reports (:mod:`tools.nlu_datagen.reports`) are complaints, and
they address officials ("Yth. Bapak/Ibu ...", "Kepada Dinas ...", "petugas").
Without more, the model learns that addressing an official, or opening with a
(regional) greeting, means "complaint", and a bare greeting to the officers or a
suggestion addressed to a unit is read as a complaint. This module writes short
messages of *every* intent with the same forms of address and the same regional
greetings, so they carry no intent of their own and the rest of the message
decides:

- greetings addressed to officials ("Horas, Bapak/Ibu petugas.", "Yth. Bapak/Ibu,
  selamat pagi.");
- suggestions, questions, thanks, requests for a person and status checks that
  open with an address or a greeting;
- closings that say the business is done ("urusan ... sudah selesai, pamit dulu");
- requests for a person after repeated automatic answers;
- and, so the forms stay neutral, complaints that open the same way.

All text is the project's own; nothing is taken from the evaluation sets.
Generated on a random stream of its own, so the older examples stay as they were.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from tools.nlu_datagen import content as C
from tools.nlu_datagen import more as M
from tools.nlu_datagen import reports as R

Add = Callable[[tuple[str, str], str, str | None], None]

# Greetings of the regions and religions (and the plain ones), as citizens open a message.
SALUTES = [
    "Horas", "Horas bah", "Sampurasun", "Punten", "Rahajeng rahina", "Om swastiastu",
    "Assalamualaikum", "Assalamualaikum wr. wb.", "Assalamu'alaikum warahmatullahi wabarakatuh",
    "Salam sejahtera", "Salam sejahtera bagi kita semua", "Permisi", "Mejuah-juah",
    "Salam kebajikan", "Wilujeng enjing", "Sugeng siang", "Sugeng dalu", "Salam damai",
    "Shalom", "Namo buddhaya", "Salam hormat", "Salam sehat", "Salam Pancasila",
    "Selamat pagi", "Selamat siang", "Selamat sore", "Selamat malam", "Halo", "Salam",
    "Mohon izin", "Maaf mengganggu",
]
SALUTES_EN = ["Hello", "Good morning", "Good afternoon", "Good evening", "Dear all", "Hi"]

# How citizens address the people behind the service (no unit named).
ADDRESSES = [
    "Bapak/Ibu petugas", "Bapak/Ibu", "Bapak Ibu", "Bapak dan Ibu petugas", "Yth. Bapak/Ibu",
    "Yth. Bapak/Ibu petugas", "Bapak/Ibu pegawai", "para petugas", "para petugas layanan",
    "rekan-rekan petugas", "Bapak/Ibu admin", "Pak/Bu petugas", "Bapak/Ibu yang bertugas",
    "Bapak Kepala Dinas", "Ibu Kepala Dinas", "Bapak Lurah", "Ibu Camat", "Bapak/Ibu pejabat",
    "Bapak Ibu yang saya hormati", "Bapak/Ibu sekalian", "Pak Kades", "petugas piket",
    "Bapak/Ibu pengelola layanan", "Yth. petugas layanan", "Bapak/Ibu staf kelurahan",
]
ADDRESSES_EN = ["dear officers", "officers", "dear team", "Sir/Madam", "to the service team",
                "dear staff"]

GREET_TAILS = ["", "", "", "Selamat bertugas.", "Semoga sehat selalu.", "Izin menyapa.",
               "Salam kenal.", "Saya warga {place}.", "Mohon maaf mengganggu waktunya.",
               "Apakah ada yang sedang bertugas?", "Semoga hari ini lancar."]
GREET_TAILS_EN = ["", "", "Hope you are well.", "Is anyone on duty?", "Have a good day."]

ASPIRATION_FRAMES = [
    "Usul {p}.", "Usul {p}, {why}.", "Saran saya, {p}.", "Masukan untuk {u}: {p}.",
    "Saran untuk {u}, {p}.", "Kami mengusulkan kepada {u} agar {p}.",
    "Mohon {u} mempertimbangkan agar {p}.", "Izin memberi usul, {p}.",
    "Sekadar masukan, {p}, {why}.", "Harapan kami {p}.", "Bagaimana kalau {p}?",
    "Usulan warga untuk {u}: {p}.",
]
ASPIRATION_FRAMES_EN = [
    "I propose that {p}.", "I would like to suggest that {p}.", "Suggestion for {u}: {p}.",
    "How about making sure {p}?", "May I propose that {p}?", "A proposal: {p}.",
    "It would help if {p}.",
]
# Connectors of a proposal's purpose (the purposes are the generator's own).
PURPOSE_LINKS = ["supaya", "agar", "biar", "jadi", "sehingga"]

THANKS_DONE = [
    "Urusan {doc} saya sudah selesai", "{Doc} saya sudah jadi", "Semua sudah selesai",
    "Masalahnya sudah teratasi", "Laporan saya sudah ditindaklanjuti", "Sudah terurus semua",
    "Urusannya sudah tuntas", "Pertanyaan saya sudah terjawab", "Berkasnya sudah kelar",
    "Jalannya sudah diperbaiki", "Airnya sudah mengalir lagi", "Sudah saya terima {doc}-nya",
]
THANKS_CLOSE = ["terima kasih", "sampai jumpa", "pamit dulu", "sampai nanti", "dadah",
                "salam", "terima kasih banyak", "wassalamualaikum", "permisi",
                "sampai jumpa lain waktu", "terima kasih atas pelayanannya"]
THANKS_ADDRESSED = ["terima kasih atas bantuannya", "terima kasih banyak",
                    "terima kasih atas pelayanannya yang cepat", "matur nuwun",
                    "hatur nuhun", "terima kasih, sangat membantu", "terima kasih, sampai jumpa"]
DOCS = ["KTP", "KK", "akta kelahiran", "surat pindah", "SKCK", "izin usaha", "PBB",
        "kartu BPJS", "surat domisili", "paspor"]

HUMAN_REASONS = [
    "Sudah {n} kali saya dapat jawaban otomatis.", "Dari tadi balasannya sama terus.",
    "Jawaban bot tidak nyambung dengan pertanyaan saya.", "Chat saya dibalas mesin terus.",
    "Sudah berkali-kali dijawab hal yang sama.", "Balasan otomatisnya tidak menjawab.",
    "Saya sudah mencoba menu di sini tapi bingung.", "",
]
HUMAN_ASKS = [
    "Ada petugas yang bisa membalas langsung?", "Apakah ada staf yang bisa menanggapi?",
    "Bisa saya bicara dengan orang?", "Tolong petugas yang membalas.",
    "Saya mau bicara langsung dengan petugas.", "Mohon disambungkan ke operator.",
    "Bisa minta dilayani manusia saja?", "Ada orang yang bisa saya ajak bicara?",
]

N_COMPLAINTS = 120


def _salute(rng: random.Random) -> str:
    return rng.choice(SALUTES).rstrip(".")


def _join(opening: str, text: str) -> str:
    """``opening`` then ``text``, its first letter lower case after a comma (unless an
    acronym), upper case after a full stop."""
    if not opening:
        return text
    first = text[:1].upper() if opening.endswith(". ") else _lower(text)[:1]
    return opening + first + text[1:]


def _lower(text: str) -> str:
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text


def _unit(rng: random.Random, cat: str | None = None) -> str:
    unit = rng.choice(R.UNITS[cat or rng.choice(list(R.UNITS))])
    return rng.choice(["", "Yth. ", "Bapak/Ibu di ", "petugas "]) + unit


def _opening(rng: random.Random, cat: str | None = None) -> str:
    """An address, a greeting or both, to put before a message."""
    roll = rng.random()
    if roll < 0.3:
        return f"{rng.choice(ADDRESSES)}, "
    if roll < 0.55:
        return f"{_salute(rng)}, {rng.choice(ADDRESSES)}. "
    if roll < 0.7 and cat is not None:
        return f"Kepada {_unit(rng, cat).removeprefix('Yth. ')}, "
    if roll < 0.85:
        return f"{_salute(rng)}. "
    return f"{rng.choice(ADDRESSES)}, {_lower(_salute(rng))}. "


def greeting(rng: random.Random) -> tuple[str, str]:
    """A greeting addressed to officials; returns (text, its salutation)."""
    if rng.random() < 0.15:
        salute, address = rng.choice(SALUTES_EN), rng.choice(ADDRESSES_EN)
        text = f"{salute}, {address}. {rng.choice(GREET_TAILS_EN)}"
        return text.strip(), salute
    salute = _salute(rng)
    address = rng.choice(ADDRESSES) if rng.random() < 0.8 else _unit(rng)
    shape = rng.random()
    if shape < 0.55:
        text = f"{salute}, {address}."
    elif shape < 0.8:
        text = f"{address}, {_lower(salute)}."
    else:
        text = f"{salute}. Salam hormat untuk {address}."
    text = f"{text} {R._fill(rng.choice(GREET_TAILS), rng)}".strip()
    return (text.lower() if rng.random() < 0.2 else text), salute


def aspiration(cat: str, proposals: tuple[list[str], list[str]], rng: random.Random
               ) -> tuple[str, str]:
    """A suggestion that may open with an address or a greeting; returns (text, proposal)."""
    ids, ens = proposals
    if ens and rng.random() < 0.15:
        prop = rng.choice(ens)
        unit = rng.choice(["the city", "the office", "the department", "the regency"])
        text = rng.choice(ASPIRATION_FRAMES_EN).replace("{u}", unit).replace("{p}", prop)
        opener = f"{rng.choice(SALUTES_EN)}, {rng.choice(ADDRESSES_EN)}. " if rng.random() < 0.5 else ""
        return opener + text, prop
    prop = rng.choice(ids)
    purpose = rng.choice(M.ASPIRATION_PURPOSES_ID).split(" ", 1)[1]
    why = f"{rng.choice(PURPOSE_LINKS)} {purpose}"
    unit = rng.choice(R.UNITS[cat])
    frame = rng.choice(ASPIRATION_FRAMES)
    if rng.random() < 0.3 and "{why}" not in frame and frame.endswith("{p}."):
        frame = frame[:-1] + ", {why}."
    text = frame.replace("{u}", unit).replace("{why}", why).replace("{p}", prop)
    if rng.random() < 0.7:
        text = _join(_opening(rng, cat), text)
    if rng.random() < 0.25:
        from tools.nlu_datagen.generator import _informal

        text = _informal(text, rng)
    return text, prop


def info_request(questions: list[str], rng: random.Random) -> tuple[str, str]:
    """A question about a service that opens with an address or a greeting."""
    q = rng.choice(questions)
    text = _join(_opening(rng), q)
    if rng.random() < 0.3:
        text += " " + rng.choice(["Terima kasih.", "Mohon infonya.", "Mohon penjelasannya."])
    return text, q


def thanks(rng: random.Random) -> tuple[str, str]:
    """A thank-you or a goodbye, addressed or after the business is done."""
    doc = rng.choice(DOCS)
    if rng.random() < 0.45:
        close = rng.choice(THANKS_ADDRESSED)
        address = rng.choice(ADDRESSES) if rng.random() < 0.7 else _unit(rng)
        text = f"{address}, {close}."
        if rng.random() < 0.3:
            text += " " + rng.choice(["Semoga sehat selalu.", "Selamat bertugas.",
                                      "Pelayanannya sangat baik."])
        return text, close
    done = rng.choice(THANKS_DONE).replace("{doc}", doc).replace("{Doc}", doc[0].upper() + doc[1:])
    close = rng.choice(THANKS_CLOSE)
    text = f"{done}, {close}."
    if rng.random() < 0.3:
        text = f"{rng.choice(['Oke', 'Baik', 'Alhamdulillah', 'Sip'])}, {_lower(text)}"
    return (text.lower() if rng.random() < 0.2 else text), done.split()[0] + " " + close


def human_agent(rng: random.Random) -> tuple[str, str]:
    """A request for a person, often after automatic answers."""
    reason = rng.choice(HUMAN_REASONS).replace("{n}", rng.choice(["dua", "tiga", "empat", "lima"]))
    ask = rng.choice(HUMAN_ASKS)
    text = f"{reason} {ask}".strip()
    if rng.random() < 0.4:
        text = _join(f"{rng.choice(ADDRESSES)}, ", text)
    return text, ask


def ticket_status(templates: list[str], rng: random.Random) -> tuple[str, str]:
    """A status question that opens with an address or a greeting."""
    from tools.nlu_datagen.generator import _ticket

    template = rng.choice([t for t in templates if "{nik}" not in t])
    text = template.replace("{t}", _ticket(rng)).replace("{topic}", rng.choice(C.TICKET_TOPICS_ID))
    return _join(_opening(rng), text), template


def complaint(cat: str, seeds: list[str], rng: random.Random) -> tuple[str, str]:
    """A short complaint that opens the same way, so the forms stay neutral."""
    seed = rng.choice(seeds)
    closing = rng.choice(["", "Mohon ditindaklanjuti.", "Mohon bantuannya.", "Terima kasih."])
    text = f"{_join(_opening(rng, cat), seed)}. {closing}".strip()
    return text, seed


def add_courtesy(add: Add, complaints: dict[str, tuple[list[str], list[str], list[str]]],
                 aspirations: dict[str, tuple[list[str], list[str]]], info: list[str],
                 tickets: list[str], seed: int) -> None:
    """Add the courtesy-form messages of every intent (see the module docstring)."""
    rng = random.Random(seed + 3)
    for _ in range(260):
        add(greeting(rng), "greet", None)
    for cat, props in aspirations.items():
        for _ in range(12):
            add(aspiration(cat, props, rng), "aspiration", cat)
    for _ in range(150):
        add(info_request(info, rng), "info_request", None)
    for _ in range(160):
        add(thanks(rng), "thanks", None)
    for _ in range(120):
        add(human_agent(rng), "human_agent", None)
    for _ in range(50):
        add(ticket_status(tickets, rng), "ticket_status", None)
    cats = [c for c in complaints if c != "other"]
    for _ in range(N_COMPLAINTS):
        cat = rng.choice(cats)
        add(complaint(cat, complaints[cat][0], rng), "complaint", cat)
