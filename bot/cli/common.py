"""Small helpers the report commands share: argument types and plain-text tables."""

from __future__ import annotations

import argparse
from datetime import date


def iso_day(value: str) -> date:
    """An argparse type: a YYYY-MM-DD date, or a clear usage error."""
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from None


def align_rows(rows: list[list[str]]) -> list[str]:
    """Rows of cells as text lines, columns aligned (the first left, the rest right)."""
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return ["  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in
                      enumerate(zip(r, widths, strict=True))).rstrip() for r in rows]
