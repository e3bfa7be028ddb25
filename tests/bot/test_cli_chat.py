"""``pintu chat`` in a real process: a complaint in a few turns, then its status."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path


def run_chat(lines: list[str], db: Path, models: Path, sender: str = "tester") -> str:
    env = {
        **os.environ,
        "PINTU_DATABASE__URL": f"sqlite+aiosqlite:///{db}",
        "PINTU_NLU__MODEL_DIR": str(models),
    }
    proc = subprocess.run(
        [sys.executable, "-m", "bot.cli.main", "chat", "--sender", sender],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_chat_files_a_complaint_and_reports_its_status(tmp_path: Path, nlu_model_dir: Path) -> None:
    out = run_chat(
        [
            "halo",
            "lampu penerangan jalan di jalan Panglima Sudirman mati semua sejak seminggu, "
            "gelap dan "
            "rawan",
            "Kelurahan Sisir, Kecamatan Batu, Kota Batu",
            "1",
        ],
        tmp_path / "chat.db",
        nlu_model_dir,
    )
    # Buttons are shown as numbered text, so "1" chose "Ya, kirim".
    assert "1. Ya, kirim" in out
    number = re.search(r"PTU-\d{4}-\d{6}", out)
    assert number, out
    assert "hari kerja" in out
    code = re.search(r"Kode cek: ([A-Z0-9]{6})", out)
    assert code, out
    # Another sender needs the check code printed with the number (#12).
    out2 = run_chat(
        [f"cek status {number.group(0)}", f"cek status {number.group(0)} kode {code.group(1)}"],
        tmp_path / "chat.db",
        nlu_model_dir,
        sender="someone-else",
    )
    hidden, shown = out2.split("pintu>")[1:3]
    assert "kode cek" in hidden and "Status:" not in hidden
    assert number.group(0) in shown and "Status" in shown
