"""AWS Signature Version 4 for S3-compatible requests (pure functions).

Only what Pintu's S3 client needs: header-based signing of a request whose payload
hash is known (the SHA-256 of the body, or of nothing for GET/DELETE). S3 does not
normalise or double-encode the path, so the path is signed as it is sent; the caller
builds it with :func:`quote_key`. Checked against AWS's published examples
(tests/bot/test_media_s3.py) and, over HTTP, by an S3 server that verifies signatures.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote

ALGORITHM = "AWS4-HMAC-SHA256"
EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()


@dataclass(frozen=True)
class Credentials:
    """An access key pair (never logged: the repr hides the secret)."""

    access_key_id: str
    secret_access_key: str

    def __repr__(self) -> str:
        return f"Credentials(access_key_id={self.access_key_id!r}, secret_access_key=***)"


def quote_key(key: str) -> str:
    """An object key as a URL path: each byte but unreserved ones and ``/`` percent-encoded."""
    return quote(key, safe="/-_.~")


def canonical_query(params: Sequence[tuple[str, str]]) -> str:
    """The query string as SigV4 signs it: encoded names and values, sorted."""
    encoded = sorted((quote(k, safe="-_.~"), quote(v, safe="-_.~")) for k, v in params)
    return "&".join(f"{k}={v}" for k, v in encoded)


def _canonical_headers(headers: Mapping[str, str]) -> tuple[str, str]:
    lowered = sorted((name.lower().strip(), " ".join(value.strip().split()))
                     for name, value in headers.items())
    block = "".join(f"{name}:{value}\n" for name, value in lowered)
    return block, ";".join(name for name, _ in lowered)


def canonical_request(method: str, path: str, params: Sequence[tuple[str, str]],
                      headers: Mapping[str, str], payload_hash: str) -> str:
    """Method, path, query, headers, the signed header names and the payload's hash."""
    block, signed = _canonical_headers(headers)
    return "\n".join((method.upper(), path or "/", canonical_query(params), block, signed,
                      payload_hash))


def signing_key(secret_access_key: str, day: str, region: str, service: str) -> bytes:
    """The key derived for one day, region and service (``day`` is YYYYMMDD)."""
    key = ("AWS4" + secret_access_key).encode("utf-8")
    for part in (day, region, service, "aws4_request"):
        key = hmac.new(key, part.encode("utf-8"), hashlib.sha256).digest()
    return key


def string_to_sign(amz_date: str, scope: str, canonical: str) -> str:
    """The algorithm, the request time, the credential scope and the canonical hash."""
    digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    return f"{ALGORITHM}\n{amz_date}\n{scope}\n{digest}"


def sign_headers(method: str, path: str, params: Sequence[tuple[str, str]],
                 headers: Mapping[str, str], payload_hash: str, credentials: Credentials,
                 region: str, now: datetime, service: str = "s3") -> dict[str, str]:
    """The headers to send: ``headers`` (which must hold ``host``) plus ``x-amz-date``,
    ``x-amz-content-sha256`` and ``Authorization``. ``now`` is in UTC."""
    amz_date = now.strftime("%Y%m%dT%H%M%SZ")
    signed = {**headers, "x-amz-date": amz_date, "x-amz-content-sha256": payload_hash}
    canonical = canonical_request(method, path, params, signed, payload_hash)
    scope = f"{amz_date[:8]}/{region}/{service}/aws4_request"
    key = signing_key(credentials.secret_access_key, amz_date[:8], region, service)
    signature = hmac.new(key, string_to_sign(amz_date, scope, canonical).encode("utf-8"),
                         hashlib.sha256).hexdigest()
    _block, names = _canonical_headers(signed)
    signed["Authorization"] = (f"{ALGORITHM} Credential={credentials.access_key_id}/{scope}, "
                               f"SignedHeaders={names}, Signature={signature}")
    return signed
