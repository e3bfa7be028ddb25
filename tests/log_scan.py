"""Scan every log line a test module produced for secrets and personal data.

Use in a test module::

    from tests.log_scan import scanned_logs  # noqa: F401  (autouse, module scope)

and add the module's own canaries (tokens, phone numbers, message texts) with
:func:`watch`. The scan runs at DEBUG (every level) over the formatted lines,
tracebacks included, and fails the module's last test if anything leaked.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator

import pytest

# Always searched for: the fakes' tokens and the secrets the channel tests configure,
# and personal data shapes (NIK, Indonesian phone numbers, e-mail addresses).
CANARIES: set[str] = {
    "123456:TEST-token", "EAAG-test-token", "hook-secret-7f3a", "app-secret-51c2",
    "verify-me-please", "6281234567890", "SDN 2 Sisir", "berlubang besar",
}
PERSONAL = (
    re.compile(r"(?<!\d)3[1-9]\d{14}(?!\d)"),  # NIK
    re.compile(r"(?<![\w.])(?:\+?62|0)8\d{8,12}(?!\d)"),  # phone
    re.compile(r"[\w.+-]+@[A-Za-z0-9-]+\.[A-Za-z]{2,}"),  # e-mail
)


def watch(*values: str) -> None:
    """Also fail when one of ``values`` shows up in a log line."""
    CANARIES.update(v for v in values if v)


class Capture(logging.Handler):
    """Keeps every formatted line."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.lines.append(self.format(record))
        except Exception as exc:  # a record that cannot even be formatted is a finding
            self.lines.append(f"UNFORMATTABLE {record.name}: {exc!r}")


def leaks(lines: list[str]) -> list[str]:
    """The lines holding a canary or personal data, with what was found."""
    found = []
    for line in lines:
        hits = [c for c in CANARIES if c in line]
        hits += [m.group(0) for p in PERSONAL for m in p.finditer(line)]
        if hits:
            found.append(f"{hits}: {line[:300]}")
    return found


@pytest.fixture(scope="module", autouse=True)
def scanned_logs() -> Iterator[Capture]:
    """Capture the module's logs at every level; fail if any line leaks."""
    root = logging.getLogger()
    handler = Capture()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)
    found = leaks(handler.lines)
    assert not found, f"{len(found)} log line(s) leak secrets or personal data:\n" + \
        "\n".join(found[:20])
