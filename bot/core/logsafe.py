"""Logs without secrets or personal data, at any level, whoever logs.

:func:`protect_logs` installs, once per process:

- a log-record factory that rewrites every record as it is made: the values of
  the configured secrets (:func:`register_secret`), a Bot API token in a URL
  (``/bot<TOKEN>/``), NIK numbers, phone numbers and e-mail addresses are
  masked in the message and in the traceback text; the access log loses its
  query strings (``hub.verify_token``, ``sender``, staff search terms);
- WARNING as the least level of the libraries that log request URLs or
  parameters at INFO/DEBUG (httpx, httpcore, SQLAlchemy's engine log, and the
  provider clients the composition root names);
- nothing for SQL parameters: engines are made with ``hide_parameters``
  (:func:`storage.db.create_engine`), so a database error shows none.

Pintu's own code never logs a citizen's message text.
"""

from __future__ import annotations

import logging
import re
import threading
from typing import Any

QUIET_LOGGERS = ("httpx", "httpcore", "hpack", "sqlalchemy.engine",
                 "sqlalchemy.pool", "aiosqlite", "asyncio.selector_events")
MASK = "[redacted]"

_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    # A Bot API token in a URL path, and one on its own (123456789:AA... 35 characters).
    (re.compile(r"/bot[^/\s\"']+/"), f"/bot{MASK}/"),
    (re.compile(r"\b\d{5,12}:[A-Za-z0-9_-]{30,}\b"), MASK),
    # e-mail addresses
    (re.compile(r"[\w.+-]+@[A-Za-z0-9-]+\.[A-Za-z0-9.-]+"), MASK),
    # NIK (16 digits) and other long digit runs that are ids of people
    (re.compile(r"(?<!\d)\d{16}(?!\d)"), MASK),
    # Indonesian phone numbers: 08.., 628.., +62 8..
    (re.compile(r"(?<![\w.])(?:\+?62[\s-]?|0)8\d{1,3}[\s-]?\d{3,4}[\s-]?\d{2,5}(?!\d)"), MASK),
    # query strings of URLs in messages (tokens, ids, search terms)
    (re.compile(r"(https?://[^\s?\"']+)\?[^\s\"']*"), r"\1?" + MASK),
)

_secrets: set[str] = set()
_lock = threading.Lock()
_installed = False


def register_secret(value: str | None) -> None:
    """Mask ``value`` wherever it would appear in a log line (short values are ignored)."""
    if value and len(value) >= 6:
        with _lock:
            _secrets.add(value)


def redact(text: str) -> str:
    """``text`` with secrets and personal data masked."""
    for secret in sorted(_secrets, key=len, reverse=True):
        if secret in text:
            text = text.replace(secret, MASK)
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def _without_query(path: Any) -> Any:
    return path.split("?", 1)[0] + "?" + MASK if isinstance(path, str) and "?" in path else path


def _safe_record(record: logging.LogRecord) -> logging.LogRecord:
    if record.name == "uvicorn.access" and isinstance(record.args, tuple) \
            and len(record.args) == 5:
        # uvicorn's access formatter unpacks these five; keep the shape, drop the query.
        client, method, path, version, status = record.args
        record.args = (client, method, redact(str(_without_query(path))), version, status)
        return record
    try:
        message = record.getMessage()
    except Exception:  # a broken format string: keep the record as it is
        return record
    record.msg, record.args = redact(message), None
    if record.exc_info and not record.exc_text:
        record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
    return record


def protect_logs(*secrets: str | None, quiet: tuple[str, ...] = ()) -> None:
    """Install the protections (idempotent), register ``secrets`` and keep the ``quiet``
    loggers (besides :data:`QUIET_LOGGERS`) at WARNING or above."""
    global _installed
    for secret in secrets:
        register_secret(secret)
    for name in (*QUIET_LOGGERS, *quiet):
        logger = logging.getLogger(name)
        if logger.level == logging.NOTSET or logger.level < logging.WARNING:
            logger.setLevel(logging.WARNING)
    with _lock:
        if _installed:
            return
        _installed = True
        make = logging.getLogRecordFactory()

        def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
            return _safe_record(make(*args, **kwargs))

        logging.setLogRecordFactory(factory)
