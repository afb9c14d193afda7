"""A fair queue for the one model: round-robin across programs, first-come within a program.

The embedded model generates for one request at a time. With plain FIFO, a program that fans out
fifty calls would make every other program wait behind all fifty; serving programs in turn (by
the ``X-Opportune-Program`` header) keeps each one moving. Requests without the header each count
as a program of their own, which makes the order among them plain FIFO.
"""

from __future__ import annotations

import threading
from collections import OrderedDict, deque
from typing import Generic, TypeVar

T = TypeVar("T")


class FairQueue(Generic[T]):
    """A thread-safe queue with one FIFO lane per key, served round-robin in order of arrival."""

    def __init__(self) -> None:
        self._lanes: OrderedDict[str, deque[T]] = OrderedDict()
        self._cond = threading.Condition()
        self._closed = False
        self._size = 0

    def put(self, key: str, item: T) -> None:
        with self._cond:
            if self._closed:
                raise RuntimeError("the model queue is closed; the server is shutting down")
            lane = self._lanes.get(key)
            if lane is None:
                lane = self._lanes[key] = deque()
            lane.append(item)
            self._size += 1
            self._cond.notify()

    def get(self, timeout: float | None = None) -> T | None:
        """The next item, waiting for one; None once closed and drained, or on timeout."""
        with self._cond:
            if not self._cond.wait_for(lambda: self._size > 0 or self._closed, timeout):
                return None
            if self._size == 0:
                return None
            key, lane = next(iter(self._lanes.items()))
            item = lane.popleft()
            self._size -= 1
            if lane:
                self._lanes.move_to_end(key)
            else:
                del self._lanes[key]
            return item

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify_all()

    def __len__(self) -> int:
        with self._cond:
            return self._size
