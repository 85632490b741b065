"""Which queue items are open in a reviewer's browser, so that two reviewers are not given the same item at once.

Claims live in the app's memory (one app process serves a project's reviewers); they end after ``claim_minutes``,
when the reviewer moves on to another item, or when they skip the item.
"""

from __future__ import annotations

import threading
import time


class ItemClaims:
    def __init__(self, minutes: float):
        self.seconds = minutes * 60
        self._held: dict[int, tuple[str, float]] = {}  # segment id -> (reviewer, when claimed)
        self._lock = threading.Lock()

    def take(self, segment_id: int, reviewer: str) -> bool:
        """Claim the item for ``reviewer`` (ending their other claims); False when another reviewer holds it."""
        now = time.monotonic()
        with self._lock:
            holder = self._held.get(segment_id)
            if holder and holder[0] != reviewer and now - holder[1] < self.seconds:
                return False
            self._held = {s: h for s, h in self._held.items() if h[0] != reviewer and now - h[1] < self.seconds}
            if self.seconds:
                self._held[segment_id] = (reviewer, now)
            return True

    def release(self, segment_id: int, reviewer: str) -> None:
        with self._lock:
            if self._held.get(segment_id, ("",))[0] == reviewer:
                del self._held[segment_id]
