"""A sliding-window rate counter (per process), shared by the edge and the features."""

from __future__ import annotations

import time
from collections import deque

WINDOW_SECONDS = 60.0


class SlidingWindow:
    """At most ``per_minute`` events per key in any 60 s (per process)."""

    def __init__(self, per_minute: int, *, max_keys: int = 100_000) -> None:
        self.per_minute = per_minute
        self.max_keys = max_keys
        self._events: dict[str, deque[float]] = {}

    def hit(self, key: str, now: float | None = None) -> float:
        """Count one event; 0 when allowed, else the seconds until the next is."""
        if self.per_minute <= 0:
            return 0.0
        now = time.monotonic() if now is None else now
        events = self._events.get(key)
        if events is None:
            if len(self._events) >= self.max_keys:
                self._prune(now)
            events = self._events[key] = deque()
        while events and events[0] <= now - WINDOW_SECONDS:
            events.popleft()
        if len(events) >= self.per_minute:
            return max(0.001, events[0] + WINDOW_SECONDS - now)
        events.append(now)
        return 0.0

    def _prune(self, now: float) -> None:
        cutoff = now - WINDOW_SECONDS
        for key in [k for k, ev in self._events.items() if not ev or ev[-1] <= cutoff]:
            del self._events[key]
        if len(self._events) >= self.max_keys:  # a flood of distinct keys: start afresh
            self._events.clear()
