"""Write the catalog format's JSON schema to ``routing/data/catalog.schema.json``.

    python tools/catalog_schema.py [--check]

Editors that speak JSON schema (the YAML language server reads the
``# yaml-language-server: $schema=...`` line of the demo catalog) then check a
catalog while it is typed. ``--check`` exits 1 when the file is out of date.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
TARGET = ROOT / "routing" / "data" / "catalog.schema.json"


def main(argv: list[str]) -> int:
    from routing.catalog import catalog_json_schema

    text = json.dumps(catalog_json_schema(), indent=2, ensure_ascii=False) + "\n"
    if "--check" in argv:
        current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else ""
        return 0 if current == text else 1
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
