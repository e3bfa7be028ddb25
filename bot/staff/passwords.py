"""Password hashing: argon2id (memory-hard), verification, re-hash checks.

Only hashes are stored. The hasher is a module global so tests can swap in
cheaper parameters; every function here reads it at call time.
"""

from __future__ import annotations

import functools
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

# argon2id with the library's defaults (RFC 9106 low-memory profile: 64 MiB, t=3, p=4).
PASSWORD_HASHER = PasswordHasher()


def hash_password(password: str) -> str:
    """The argon2id hash of a password."""
    return PASSWORD_HASHER.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Whether ``password`` matches ``password_hash`` (False for malformed hashes)."""
    try:
        return PASSWORD_HASHER.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """Whether a stored hash was made with other parameters than the current ones."""
    return PASSWORD_HASHER.check_needs_rehash(password_hash)


@functools.cache
def dummy_hash() -> str:
    """Verified against when the user does not exist, so both cases take the same time."""
    return PASSWORD_HASHER.hash(secrets.token_urlsafe(16))
