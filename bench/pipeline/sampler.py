"""A small stack sampler: where the CPU of a message goes, by layer (not a test).

cProfile is misleading for this code: SQLAlchemy's async layer runs every statement in
a greenlet and every coroutine resume counts as a call, so cumulative times are
wrong, and its own overhead per call inflates the many small calls of the ORM. This
samples the stacks of every thread of the process from a background thread every
``interval`` seconds and attributes each sample to

* the *layer* of the innermost frame (the package a function belongs to: ``sqlalchemy.orm``,
  ``fastapi``, ``pintu:bot/conversation``, ``stdlib:asyncio``, ...), and
* the innermost frame of Pintu's own code on the stack (which of our functions the time
  is spent under).

Samples of a thread waiting (``select``/``epoll``, a queue, a lock) are counted apart
as idle. Used by ``python -m bench.pipeline.cpu --sample FILE``.
"""

from __future__ import annotations

import linecache
import os
import sys
import threading
import time
from collections import Counter
from types import FrameType

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))) + os.sep
_IDLE = {"select", "poll", "wait", "_worker", "get", "acquire", "sleep", "_wait_for_tstate_lock"}
_IDLE_FILES = ("selectors.py", "threading.py", "queue.py", "concurrent/futures/thread.py")


def layer(filename: str) -> str:
    """The package a source file belongs to, coarse enough to read as a layer."""
    if "site-packages" + os.sep in filename:
        rest = filename.split("site-packages" + os.sep, 1)[1].split(os.sep)
        if rest[0] == "sqlalchemy" and len(rest) > 2:
            return f"sqlalchemy.{rest[1]}"
        return rest[0].removesuffix(".py")
    if filename.startswith(ROOT):
        parts = filename[len(ROOT):].split(os.sep)
        return "pintu:" + "/".join(parts[:2]).removesuffix(".py")
    if "python3" in filename:
        tail = filename.rsplit("python3", 1)[1].split(os.sep)
        return "stdlib:" + (tail[1] if len(tail) > 1 else "?").removesuffix(".py")
    return filename


def _ours(frame: FrameType | None) -> str:
    while frame is not None:
        f = frame.f_code.co_filename
        if f.startswith(ROOT) and os.sep + "bench" + os.sep not in f[len(ROOT) - 1:]:
            return f"{f[len(ROOT):]}:{frame.f_code.co_name}"
        frame = frame.f_back
    return "(outside pintu)"


class Sampler:
    """Samples every thread's stack until :meth:`stop`."""

    def __init__(self, interval: float = 0.0005) -> None:
        self.interval = interval
        self.layers: Counter[str] = Counter()
        self.ours: Counter[str] = Counter()
        self.idle = 0
        self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="sampler", daemon=True)

    def start(self) -> None:
        """Begin sampling."""
        self._thread.start()

    def stop(self) -> None:
        """Stop sampling and wait for the sampling thread."""
        self._stop.set()
        self._thread.join()
        sys.setswitchinterval(0.005)

    def _run(self) -> None:
        me = threading.get_ident()
        # The GIL is handed over every 5 ms by default: a busy thread would be sampled
        # only at those moments (or when it waits in C). Hand it over more often.
        sys.setswitchinterval(self.interval / 2)
        while not self._stop.is_set():
            for ident, frame in sys._current_frames().items():
                if ident == me:
                    continue
                code = frame.f_code
                self.samples += 1
                if (code.co_name in _IDLE and code.co_filename.endswith(_IDLE_FILES)) or (
                        ".get(" in linecache.getline(code.co_filename, frame.f_lineno or 0)):
                    # Waiting: the event loop's poll, a worker thread's queue (aiosqlite's).
                    self.idle += 1
                    continue
                self.layers[layer(code.co_filename)] += 1
                self.ours[_ours(frame)] += 1
            time.sleep(self.interval)

    def report(self, top: int = 30) -> str:
        """Busy samples by layer and by our innermost function, as text."""
        busy = sum(self.layers.values()) or 1
        lines = [f"samples {self.samples}, busy {busy}, idle (waiting) {self.idle}", "",
                 "by layer (innermost frame):"]
        lines += [f"  {100 * n / busy:5.1f}%  {k}" for k, n in self.layers.most_common(top)]
        lines += ["", "by Pintu function under which the time is spent:"]
        lines += [f"  {100 * n / busy:5.1f}%  {k}" for k, n in self.ours.most_common(top)]
        return "\n".join(lines) + "\n"
