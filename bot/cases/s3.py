"""Media in an S3-compatible bucket (AWS S3, MinIO, Ceph, Garage, cloud providers' object
storage): a small httpx client for PUT, GET, DELETE and ListObjectsV2, each request
signed with :mod:`bot.cases.sigv4`. The bucket stays private: officers get the bytes
through Pintu's console, never a bucket URL.

Configured by ``media.s3`` (endpoint, bucket, region, key prefix, path-style); the key
pair comes only from ``PINTU_MEDIA__S3__ACCESS_KEY_ID`` and
``PINTU_MEDIA__S3__SECRET_ACCESS_KEY``. A connection is opened per operation (media are
few and large; nothing is held between them, so no event loop owns a pool).
"""

from __future__ import annotations

import hashlib
import xml.etree.ElementTree as ET
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from urllib.parse import urlsplit

import httpx

from bot.cases.media_store import MediaBody, MediaStoreError
from bot.cases.sigv4 import EMPTY_SHA256, Credentials, canonical_query, quote_key, sign_headers
from bot.core.settings import S3Settings, secret_value

_NS = "{http://s3.amazonaws.com/doc/2006-03-01/}"
_CREDENTIAL_CODES = frozenset({"InvalidAccessKeyId", "SignatureDoesNotMatch", "InvalidToken",
                               "ExpiredToken", "InvalidClientTokenId"})
_CHECK_KEYS = ("check PINTU_MEDIA__S3__ACCESS_KEY_ID and PINTU_MEDIA__S3__SECRET_ACCESS_KEY"
               " (and media.s3.region)")


def _error_fields(body: bytes) -> tuple[str, str]:
    """The ``Code`` and ``Message`` of an S3 error document ("" when there is none)."""
    try:
        root = ET.fromstring(body)
    except ET.ParseError:
        return "", ""
    return (root.findtext("Code") or "").strip(), (root.findtext("Message") or "").strip()


def explain(status: int, body: bytes, bucket: str, endpoint: str, action: str) -> str:
    """A message an operator can act on, for an S3 error answer."""
    code, message = _error_fields(body)
    detail = f"{code}: {message}" if code and message else code or message or f"HTTP {status}"
    if code in _CREDENTIAL_CODES:
        return f"the S3 server refused the credentials ({detail}): {_CHECK_KEYS}"
    if code == "NoSuchBucket":
        return f"there is no bucket {bucket!r} at {endpoint}: create it or fix media.s3.bucket"
    if status == 403:
        return (f"access to bucket {bucket!r} denied ({detail}): the key needs s3:PutObject, "
                "s3:GetObject, s3:DeleteObject and s3:ListBucket on it")
    return f"S3 {action} failed at {endpoint} (HTTP {status}, {detail})"


class S3Store:
    """A :class:`~bot.cases.media_store.MediaStore` over one bucket."""

    def __init__(self, cfg: S3Settings) -> None:
        access, secret = secret_value(cfg.access_key_id), secret_value(cfg.secret_access_key)
        if not cfg.bucket or not access or not secret:
            raise MediaStoreError("media.s3 needs a bucket and PINTU_MEDIA__S3__ACCESS_KEY_ID "
                                  "and PINTU_MEDIA__S3__SECRET_ACCESS_KEY")
        self.cfg = cfg
        self.bucket = cfg.bucket
        self.endpoint = cfg.endpoint()
        self.credentials = Credentials(access, secret)
        self.description = f"bucket {self.bucket} at {self.endpoint}"

    # ---- requests ------------------------------------------------------------------------

    def _target(self, key: str | None) -> tuple[str, str]:
        """(base URL, path) of the bucket (key None) or of one object."""
        parts = urlsplit(self.endpoint)
        base_path = parts.path.rstrip("/")
        object_path = "" if key is None else "/" + quote_key(self.cfg.key_prefix + key)
        if self.cfg.path_style:
            return (f"{parts.scheme}://{parts.netloc}",
                    f"{base_path}/{quote_key(self.bucket)}{object_path}")
        return (f"{parts.scheme}://{self.bucket}.{parts.netloc}",
                f"{base_path}{object_path or '/'}")

    def request(self, method: str, key: str | None, *, params: list[tuple[str, str]] | None = None,
                body: bytes = b"", headers: dict[str, str] | None = None,
                now: datetime | None = None) -> httpx.Request:
        """One signed request (built, not sent)."""
        base, path = self._target(key)
        params = params or []
        payload_hash = hashlib.sha256(body).hexdigest() if body else EMPTY_SHA256
        signed = sign_headers(method, path, params, {"host": urlsplit(base).netloc,
                                                     **(headers or {})},
                              payload_hash, self.credentials, self.cfg.region,
                              now or datetime.now(UTC))
        query = canonical_query(params)
        url = f"{base}{path}" + (f"?{query}" if query else "")
        return httpx.Request(method, url, headers=signed, content=body or None)

    def _client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(timeout=self.cfg.timeout_seconds, follow_redirects=False)

    async def _send(self, request: httpx.Request, action: str, *,
                    ok: tuple[int, ...] = (200, 204)) -> httpx.Response:
        async with self._client() as client:
            try:
                response = await client.send(request)
            except httpx.HTTPError as exc:
                raise MediaStoreError(f"cannot reach the S3 endpoint {self.endpoint}: "
                                      f"{exc.__class__.__name__}: {exc}") from exc
        if response.status_code not in ok:
            raise MediaStoreError(explain(response.status_code, response.content, self.bucket,
                                          self.endpoint, action))
        return response

    # ---- the MediaStore port ---------------------------------------------------------------

    async def put(self, key: str, data: bytes, content_type: str) -> None:
        """PUT the object."""
        await self._send(self.request("PUT", key, body=data,
                                      headers={"content-type": content_type}), f"PUT {key}")

    async def open(self, key: str) -> MediaBody | None:
        """GET the object, streamed (None on 404 NoSuchKey)."""
        client = self._client()
        try:
            response = await client.send(self.request("GET", key), stream=True)
        except httpx.HTTPError as exc:
            await client.aclose()
            raise MediaStoreError(f"cannot reach the S3 endpoint {self.endpoint}: "
                                  f"{exc.__class__.__name__}: {exc}") from exc

        async def close() -> None:
            await response.aclose()
            await client.aclose()  # both are no-ops the second time

        if response.status_code != 200:
            body = await response.aread()
            await close()
            if response.status_code == 404 and _error_fields(body)[0] in ("NoSuchKey", ""):
                return None
            raise MediaStoreError(explain(response.status_code, body, self.bucket,
                                          self.endpoint, f"GET {key}"))
        length = response.headers.get("content-length")

        async def chunks() -> AsyncIterator[bytes]:
            try:
                async for block in response.aiter_bytes():
                    yield block
            finally:  # also when the reader stops early (a client gone mid-download)
                await close()

        return MediaBody(size=int(length) if length and length.isdigit() else None,
                         chunks=chunks(), close=close)

    async def delete(self, key: str) -> None:
        """DELETE the object (S3 answers 204 whether or not it was there)."""
        await self._send(self.request("DELETE", key), f"DELETE {key}", ok=(200, 204, 404))

    async def keys_older_than(self, cutoff: datetime) -> list[str]:
        """ListObjectsV2 under the key prefix, page by page; keys without the prefix."""
        prefix = self.cfg.key_prefix
        found: list[str] = []
        token: str | None = None
        while True:
            params = [("list-type", "2"), ("prefix", prefix)]
            if token:
                params.append(("continuation-token", token))
            response = await self._send(self.request("GET", None, params=params), "LIST")
            root = ET.fromstring(response.content)
            for item in root.iter(f"{_NS}Contents"):
                key = item.findtext(f"{_NS}Key") or ""
                modified = datetime.fromisoformat(
                    (item.findtext(f"{_NS}LastModified") or "").replace("Z", "+00:00"))
                if key.startswith(prefix) and modified < cutoff:
                    found.append(key[len(prefix):])
            token = root.findtext(f"{_NS}NextContinuationToken")
            if root.findtext(f"{_NS}IsTruncated") != "true" or not token:
                return found
