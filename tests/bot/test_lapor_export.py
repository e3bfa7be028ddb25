"""``pintu report lapor``: tickets in SP4N-LAPOR!'s export layout, written by the CLI on
SQLite and PostgreSQL and read back by a reader of that layout (csv and openpyxl, as an
agency's tooling reads SP4N-LAPOR!'s own files): the CSV's 21 columns, the XLSX
"Laporan Ringkas" with its header block in rows 1-9 and the table from row 11."""

from __future__ import annotations

import asyncio
import csv
import io
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from bot.cases.lapor_export import CSV_COLUMNS, XLSX_COLUMNS, lapor_date
from bot.cli.main import main
from bot.core.runtime import Runtime
from bot.tickets.lifecycle import Actor, add_note, change_status, create_ticket, resolve_ticket
from storage.models import TicketStatus
from tests.conftest import AppClient
from tests.staff_support import UNIT_A, UNIT_B, make_team, new_ticket

WIB = timedelta(hours=7)


def wib(y: int, m: int, d: int, hh: int, mi: int = 0, ss: int = 0) -> datetime:
    return datetime(y, m, d, hh, mi, ss, tzinfo=UTC) - WIB


def read_csv(text: str) -> tuple[list[str], list[dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(text))
    return list(reader.fieldnames or []), list(reader)


def read_xlsx(path: Path) -> tuple[dict[str, Any], list[str], list[dict[str, Any]]]:
    """The header block (label in column A, value in column C) and the table from row 11."""
    sheet = load_workbook(path, read_only=True).active
    assert sheet is not None
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    block = {r[0]: r[2] for r in rows[:9] if r and r[0]}
    header = [c for c in rows[10] if c is not None]
    table = [dict(zip(header, r, strict=False)) for r in rows[11:] if any(r)]
    return block, header, table


async def _anonymous_ticket(rt: Runtime) -> str:
    async with rt.sessions() as s, s.begin():
        citizen, _ = await rt.repositories(s).citizens.identify(
            "webchat", "anon-1", reply_address="anon-1")
        ticket, _ = await create_ticket(
            s, rt, citizen=citizen, kind="aspiration", channel="webchat",
            description="Usul taman baca di alun-alun. Hubungi saya 081234567890",
            category="education", confidence=0.9, region_code="35.79.02",
            region_name="Kecamatan Bumiaji", now=wib(2026, 3, 20, 8, 5, 9))
    return ticket.number


async def seed(rt: Runtime) -> dict[str, str]:
    team = await make_team(rt)
    staff = Actor.staff(team["officer_a"].id)
    named = await new_ticket(rt, UNIT_A, sender="w1", text="Jalan Diponegoro berlubang besar",
                             now=wib(2026, 3, 16, 0, 41, 43))
    secret = await new_ticket(rt, UNIT_B, sender="w2", confidential=True,
                              text="Puskesmas minta uang, NIK saya 3579012345670001",
                              now=wib(2026, 3, 31, 23, 59, 59))
    later = await new_ticket(rt, UNIT_A, sender="w3", now=wib(2026, 4, 1, 0, 0, 0))
    async with rt.sessions() as s, s.begin():
        repo = rt.repositories(s).tickets
        one = await repo.get(named.id)
        two = await repo.get(secret.id)
        assert one and two
        await add_note(s, rt, one, "cek lapangan", staff, now=wib(2026, 3, 17, 9))
        await resolve_ticket(s, rt, one, staff, now=wib(2026, 3, 20, 9))
        await change_status(s, rt, two, TicketStatus.CLOSED, staff, now=wib(2026, 4, 2, 9))
    return {"named": named.number, "secret": secret.number, "later": later.number,
            "anon": await _anonymous_ticket(rt)}


def _cli(monkeypatch: pytest.MonkeyPatch, url: str, *argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    monkeypatch.setenv("PINTU_DATABASE__URL", url)
    monkeypatch.setattr("sys.stdout", out)
    monkeypatch.setattr("sys.stderr", err)
    code = main(["--config", str(Path(__file__).resolve().parents[2] / "config.yml"), *argv])
    return code, out.getvalue(), err.getvalue()


async def test_csv_and_xlsx_read_back(client: AppClient, monkeypatch: pytest.MonkeyPatch,
                                      tmp_path: Path) -> None:
    rt = client.runtime
    numbers = await seed(rt)
    url = rt.settings.database.url
    period = ("--from", "2026-03-01", "--to", "2026-03-31")
    csv_file, xlsx_file = tmp_path / "lapor.csv", tmp_path / "lapor.xlsx"
    code, out, err = await asyncio.to_thread(_cli, monkeypatch, url, "report", "lapor",
                                             *period, "--csv", str(csv_file))
    assert code == 0, err
    assert "3 tiket" in out
    header, rows = read_csv(csv_file.read_text(encoding="utf-8"))
    assert header == list(CSV_COLUMNS) and len(header) == 21
    by_id = {r["Tracking ID"]: r for r in rows}
    assert set(by_id) == {numbers["named"], numbers["secret"], numbers["anon"]}

    assert by_id[numbers["named"]] == {
        "Tracking ID": numbers["named"], "Tanggal Laporan Masuk": "16 Mar 2026",
        "Waktu Laporan Masuk": "00:41:43",
        "Klasifikasi Laporan": "Pengaduan Tidak Berkadar Pengawasan",
        "ID Kategori": "infrastructure", "Kategori": "Pekerjaan Umum dan Penataan Ruang",
        "Judul Laporan": "Jalan Diponegoro berlubang besar",
        "Isi Laporan Awal": "Jalan Diponegoro berlubang besar",
        "Isi Laporan Akhir": "Jalan Diponegoro berlubang besar",
        "Tipe Laporan (Anonim/Rahasia)": "", "Sumber Laporan": "API",
        "Instansi Induk": "Pemerintah Kota Batu",
        "Instansi Terdisposisi": rt.catalog.unit(UNIT_A).name, "Status Laporan": "Selesai",
        "Alasan Tunda/Arsip": "", "Provinsi": "Jawa Timur", "Kota/Kabupaten": "Kota Batu",
        "Nama Pelapor": "Warga w1", "ID Instansi Terdisposisi": UNIT_A, "Kecamatan": "",
        "Kelurahan": ""}
    secret = by_id[numbers["secret"]]
    assert secret["Tipe Laporan (Anonim/Rahasia)"] == "Rahasia"
    assert secret["Nama Pelapor"] == ""
    assert "3579012345670001" not in secret["Isi Laporan Awal"]
    assert "[NIK]" in secret["Isi Laporan Awal"]
    assert (secret["Tanggal Laporan Masuk"], secret["Waktu Laporan Masuk"]) == (
        "31 Mar 2026", "23:59:59")
    assert secret["Status Laporan"] == "Ditutup oleh Admin"
    anon = by_id[numbers["anon"]]
    assert (anon["Tipe Laporan (Anonim/Rahasia)"], anon["Nama Pelapor"]) == ("Anonim", "")
    assert "081234567890" not in anon["Isi Laporan Awal"]
    assert (anon["Klasifikasi Laporan"], anon["Sumber Laporan"], anon["Kecamatan"],
            anon["Status Laporan"]) == ("Aspirasi", "Website", "Bumiaji",
                                        "Belum Terverifikasi")

    code, out, err = await asyncio.to_thread(_cli, monkeypatch, url, "report", "lapor",
                                             *period, "--xlsx", str(xlsx_file))
    assert code == 0, err
    block, xheader, table = read_xlsx(xlsx_file)
    assert xheader == list(XLSX_COLUMNS) and len(xheader) == 17
    assert block["Judul Laporan"] == "Laporan Ringkas"
    assert block["Nama Instansi"] == rt.catalog.name
    assert block["Periode Masuk"] == "(2026-03-01) - (2026-03-31)"
    assert block["Pengelola"] == "Pintu"
    assert str(block["Tanggal Generate"]).startswith(
        datetime.now(UTC).astimezone(rt.catalog.tzinfo).strftime("%Y-%m-%d"))
    # The same rows as the CSV, without the CSV's four extra columns.
    assert table == [{k: (v or None) for k, v in r.items() if k in XLSX_COLUMNS} for r in rows]

    # One unit (and below): only its tickets; a bad unit or period is refused.
    code, out, err = await asyncio.to_thread(_cli, monkeypatch, url, "report", "lapor",
                                             *period, "--unit", UNIT_B, "--csv", "-")
    assert code == 0, err
    assert [r["Tracking ID"] for r in read_csv(out)[1]] == [numbers["secret"]]
    code, _, err = await asyncio.to_thread(_cli, monkeypatch, url, "report", "lapor",
                                           "--from", "2026-04-02", "--to", "2026-04-01",
                                           "--csv", "-")
    assert code == 2 and "--from is after --to" in err


def test_dates_are_written_as_lapor_writes_them() -> None:
    assert lapor_date(datetime(2024, 9, 23)) == "23 Sep 2024"
    assert lapor_date(datetime(2024, 1, 5)) == "05 Jan 2024"
