"""Ticket check codes: what shows a ticket's status to someone other than its owner.

Ticket numbers are sequential, so anyone can guess one. The citizen who filed
a ticket sees its status from any linked channel; anyone else needs the check
code printed with the number at filing. Codes use an alphabet without look-alike
characters (no 0/O, 1/I/L), so they survive being read aloud or copied by hand.
"""

from __future__ import annotations

import hmac
import re
import secrets

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
LENGTH = 6
_CANDIDATE = re.compile(rf"\b[A-Za-z0-9]{{{LENGTH}}}\b")
_AFTER_CUE = re.compile(
    rf"\b(?:kode(?:\s+cek)?|code|pin|check\s+code)\s*:?\s*([A-Za-z0-9]{{{LENGTH}}})\b",
    re.IGNORECASE)
_TICKET_NUMBER = re.compile(r"\b[A-Za-z]{2,6}-?\d{4}-?\d{3,}\b")


def new_check_code() -> str:
    """A fresh random check code ("K7Q2MA")."""
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def codes_in(text: str) -> list[str]:
    """The check codes ``text`` may hold, upper-cased: the word after "kode"/"code", and
    words shaped like a code (six characters, capitals or digits); ticket numbers excluded."""
    rest = _TICKET_NUMBER.sub(" ", text)
    cued = [m.group(1).upper() for m in _AFTER_CUE.finditer(rest)]
    shaped = [w.upper() for w in _CANDIDATE.findall(rest)
              if any(c.isdigit() for c in w) or w.isupper()]
    return cued + [w for w in shaped if w not in cued]


def matches(given: str | None, stored: str | None) -> bool:
    """Whether the code given is the ticket's (constant time; no code never matches)."""
    if not given or not stored:
        return False
    return hmac.compare_digest(given.strip().upper().encode(), stored.encode())
