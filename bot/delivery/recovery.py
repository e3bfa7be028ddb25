"""Crash recovery for the delivery worker: who claimed a row, and is that worker gone?

Each worker claims rows under an owner id ``host:pid:instance``. On start-up a
worker puts back at once every 'sending' row whose owner cannot be sending
it any more: one from this host whose process is gone (``kill -9``), one of
an earlier worker of this very process, or one claimed before owners were
recorded. Rows of workers on other hosts are left to the timeout
(``recover_stuck``), since their process cannot be checked from here.
"""

from __future__ import annotations

import os
import socket
import uuid

HOST = socket.gethostname()[:40]


def new_owner() -> str:
    """A fresh owner id for one worker: ``host:pid:instance``."""
    return f"{HOST}:{os.getpid()}:{uuid.uuid4().hex[:12]}"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by another user
        return True
    return True


def is_orphan(owner: str | None, me: str) -> bool:
    """Whether the row's claiming worker can no longer be sending it (see the module)."""
    if owner is None:
        return True
    host, _, rest = owner.partition(":")
    pid_text, _, _instance = rest.partition(":")
    if host != HOST or not pid_text.isdigit():
        return False
    if owner == me:
        return False
    if int(pid_text) == os.getpid():
        return True  # an earlier worker of this process: it stopped or was cancelled
    return not _alive(int(pid_text))


def idempotency_key(outbox_id: int) -> str:
    """The key a retried send carries, so a provider that honours one sends it once."""
    return f"pintu-outbox-{outbox_id}"
