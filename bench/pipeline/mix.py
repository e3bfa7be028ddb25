"""The realistic mix: citizens on REST, WhatsApp and Telegram, each living one short
plan (greeting, complaint in several turns, information question and SKM survey,
status check), with the exact payloads each channel's provider sends."""

from __future__ import annotations

import hashlib
import hmac
import json
import random
import time
from dataclasses import dataclass, field

COMPLAINTS = (
    "jalan di depan SDN 2 Sisir berlubang besar, sudah tiga motor jatuh minggu ini",
    "lampu penerangan jalan di Jl. Panglima Sudirman mati sejak seminggu, gelap sekali",
    "sampah menumpuk di pinggir pasar besar sudah lima hari tidak diangkut, bau sekali",
    "saluran air di perumahan kami tersumbat dan banjir setiap hujan deras",
    "pelayanan di kantor kelurahan lambat sekali, antre dari pagi belum dilayani",
    "air PDAM di rumah saya mati sudah tiga hari tanpa pemberitahuan",
    "pohon tumbang menutup jalan di dekat alun-alun, mohon segera dipotong",
    "angkot ngetem sembarangan bikin macet di depan terminal setiap sore",
)
LOCATIONS = (
    "Jl. Diponegoro, Kecamatan Batu, Kota Batu",
    "Desa Oro-Oro Ombo, Kecamatan Batu",
    "Kelurahan Sisir, Kecamatan Batu, Kota Batu",
    "Jl. Brantas, Kelurahan Ngaglik, Kota Batu",
)
QUESTIONS = (
    "syarat membuat KTP apa saja?",
    "bagaimana cara mengurus akta kelahiran?",
    "syarat pindah domisili apa saja min?",
    "berapa lama mengurus kartu keluarga baru?",
)
GREETINGS = ("halo", "selamat pagi", "permisi min", "assalamualaikum")

# How a citizen's plan is drawn: scripts and their weights.
PLANS: tuple[tuple[tuple[str, ...], int], ...] = (
    (("complaint",), 30),
    (("greeting", "complaint", "status"), 15),
    (("info_survey",), 25),
    (("greeting", "info_survey"), 10),
    (("status",), 12),
    (("greeting",), 8),
)
CHANNELS: tuple[tuple[str, int], ...] = (("rest", 50), ("whatsapp", 35), ("telegram", 15))


def script_lines(script: str, rnd: random.Random, ticket_numbers: list[str],
                 year: int) -> list[str]:
    """The messages of one script (fixed in advance, as a citizen types them)."""
    if script == "greeting":
        return [rnd.choice(GREETINGS)]
    if script == "complaint":
        return [rnd.choice(COMPLAINTS), rnd.choice(LOCATIONS), "ya"]
    if script == "info_survey":
        return [rnd.choice(QUESTIONS), str(rnd.randint(3, 4)), str(rnd.randint(2, 4)),
                str(rnd.randint(3, 4)), "pelayanannya cukup cepat, terima kasih"]
    if script == "status":
        number = (rnd.choice(ticket_numbers) if ticket_numbers
                  else f"PTU-{year}-{rnd.randint(1, 999):06d}")
        return [f"status {number} gimana min?"]
    raise ValueError(script)


@dataclass
class Citizen:
    """One simulated citizen: a channel, an id on it, and the messages still to send."""

    channel: str
    sender: str
    lines: list[str]
    sent: int = 0
    name: str = ""
    history: list[str] = field(default_factory=list)


class Population:
    """Makes citizens with distinct ids and draws their plans (seeded, reproducible)."""

    def __init__(self, seed: int, run_tag: str) -> None:
        self.rnd = random.Random(seed)
        self.run_tag = run_tag
        self.serial = 0
        self.ticket_numbers: list[str] = []
        self.year = time.gmtime().tm_year

    def new_citizen(self) -> Citizen:
        self.serial += 1
        channel = self.rnd.choices([c for c, _ in CHANNELS], [w for _, w in CHANNELS])[0]
        plan = self.rnd.choices([p for p, _ in PLANS], [w for _, w in PLANS])[0]
        lines = [ln for s in plan
                 for ln in script_lines(s, self.rnd, self.ticket_numbers, self.year)]
        n = self.serial
        if channel == "whatsapp":
            sender = f"628{self.run_tag}{n:07d}"
        elif channel == "telegram":
            sender = str(int(f"7{self.run_tag}{n:07d}"))
        else:
            sender = f"bench-{self.run_tag}-{n}"
        return Citizen(channel, sender, lines, name=f"Warga {n}")


class Payloads:
    """Request bodies and headers exactly as each provider sends them, signed."""

    def __init__(self, wa_app_secret: str, wa_phone_number_id: str, tg_secret: str) -> None:
        self.wa_secret = wa_app_secret.encode()
        self.wa_phone = wa_phone_number_id
        self.tg_secret = tg_secret
        self.counter = 0

    def build(self, c: Citizen, text: str) -> tuple[str, bytes, dict[str, str], str]:
        """(path, body, headers, provider message id) for the citizen's next message."""
        self.counter += 1
        now = int(time.time())
        if c.channel == "whatsapp":
            wamid = f"wamid.bench{c.sender}{c.sent:04d}"
            body = json.dumps({"object": "whatsapp_business_account", "entry": [{
                "id": "102290129340398", "changes": [{"field": "messages", "value": {
                    "messaging_product": "whatsapp",
                    "metadata": {"display_phone_number": "6281100000000",
                                 "phone_number_id": self.wa_phone},
                    "contacts": [{"profile": {"name": c.name}, "wa_id": c.sender}],
                    "messages": [{"from": c.sender, "id": wamid, "timestamp": str(now),
                                  "type": "text", "text": {"body": text}}]}}]}]}).encode()
            sig = "sha256=" + hmac.new(self.wa_secret, body, hashlib.sha256).hexdigest()
            return ("/webhooks/whatsapp", body,
                    {"content-type": "application/json", "x-hub-signature-256": sig}, wamid)
        if c.channel == "telegram":
            chat = int(c.sender)
            body = json.dumps({"update_id": 500_000_000 + self.counter, "message": {
                "message_id": c.sent + 1, "date": now,
                "chat": {"id": chat, "type": "private", "first_name": c.name},
                "from": {"id": chat, "is_bot": False, "first_name": c.name,
                         "language_code": "id"},
                "text": text}}).encode()
            return ("/webhooks/telegram", body,
                    {"content-type": "application/json",
                     "x-telegram-bot-api-secret-token": self.tg_secret}, str(c.sent + 1))
        mid = f"m{c.sent}"
        body = json.dumps({"sender": c.sender, "message": text, "message_id": mid}).encode()
        return "/webhooks/rest/webhook", body, {"content-type": "application/json"}, mid
