"""The capacity model: decoding slots, a request-rate limit, and seeded faults.

These are the parts of a hosted endpoint that make a program's schedule matter: a fixed number
of requests decode at once and the rest wait in line, a rate limit turns bursts into 429s, and
a small share of calls fail. Each is modelled exactly enough to be asserted on: slots are handed
out first come, first served, and faults are decided by a seeded coin, not by chance.
"""

from __future__ import annotations

import asyncio
import math
from collections import Counter, deque
from dataclasses import dataclass
from typing import Literal

from opportune.sim._tokens import unit_interval


class Slots:
    """``n`` decoding slots handed out in arrival order (FIFO), each with a stable index.

    ``asyncio.Semaphore`` would do most of this, but it neither says which slot a request got
    nor whether the request had to wait, and the recorded schedule needs both.
    """

    def __init__(self, n: int) -> None:
        self._free: deque[int] = deque(range(n))
        self._waiters: deque[asyncio.Future[int]] = deque()
        self.size = n

    @property
    def busy(self) -> int:
        return self.size - len(self._free)

    @property
    def waiting(self) -> int:
        return sum(1 for w in self._waiters if not w.done())

    async def acquire(self) -> tuple[int, bool]:
        """Wait for a slot; return its index and whether the caller had to queue for it."""
        if self._free and not self._waiters:
            return self._free.popleft(), False
        waiter: asyncio.Future[int] = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        try:
            slot = await waiter
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled():
                self.release(waiter.result())  # granted just as the caller gave up
            else:
                try:
                    self._waiters.remove(waiter)
                except ValueError:
                    pass
            raise
        return slot, True

    def release(self, slot: int) -> None:
        """Give ``slot`` to the longest-waiting request, or back to the pool."""
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(slot)
                return
        self._free.append(slot)


class RateLimiter:
    """At most ``limit`` accepted requests in any ``window`` seconds (a sliding window)."""

    def __init__(self, limit: int | None, window: float) -> None:
        self.limit = limit
        self.window = window
        self._accepted: deque[float] = deque()

    def admit(self, now: float) -> float | None:
        """Record a request at ``now``; return None if admitted, else seconds until a retry fits."""
        if self.limit is None:
            return None
        while self._accepted and self._accepted[0] <= now - self.window:
            self._accepted.popleft()
        if len(self._accepted) >= self.limit:
            return max(self._accepted[0] + self.window - now, 0.001)
        self._accepted.append(now)
        return None

    def remaining(self) -> int | None:
        return None if self.limit is None else max(self.limit - len(self._accepted), 0)

    def reset(self) -> None:
        self._accepted.clear()


@dataclass(frozen=True)
class Fault:
    kind: Literal["status", "drop"]
    status: int = 0

    def describe(self) -> str:
        return f"status {self.status}" if self.kind == "status" else "connection dropped"


class FaultPlan:
    """Which requests fail, decided by a coin seeded with (seed, request body, attempt number).

    Keying on the body and on how many times that body has been seen, rather than on a global
    request counter, keeps the outcome of every attempt the same whatever order concurrent
    requests arrive in: the third try of a given call fails in every run or in none.
    """

    def __init__(
        self,
        *,
        seed: int,
        fail_rate: float,
        drop_rate: float,
        statuses: tuple[int, ...],
        limit: int | None,
    ) -> None:
        self.seed = seed
        self.fail_rate = fail_rate
        self.drop_rate = drop_rate
        self.statuses = statuses
        self.limit = limit
        self._attempts: Counter[str] = Counter()
        self._faults: Counter[str] = Counter()

    def decide(self, key: str) -> Fault | None:
        attempt = self._attempts[key]
        self._attempts[key] += 1
        if self.fail_rate == 0 and self.drop_rate == 0:
            return None
        if self.limit is not None and self._faults[key] >= self.limit:
            return None
        coin = unit_interval(self.seed, key, attempt)
        if coin < self.fail_rate:
            pick = unit_interval(self.seed, key, attempt, "status")
            fault = Fault("status", self.statuses[math.floor(pick * len(self.statuses))])
        elif coin < self.fail_rate + self.drop_rate:
            fault = Fault("drop")
        else:
            return None
        self._faults[key] += 1
        return fault

    def reset(self) -> None:
        self._attempts.clear()
        self._faults.clear()
