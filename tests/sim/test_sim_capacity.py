"""Slots are FIFO and survive cancellation; the rate window slides; faults are reproducible."""

from __future__ import annotations

import asyncio

import pytest

from opportune.sim._capacity import FaultPlan, RateLimiter, Slots


def test_slots_are_handed_out_first_come_first_served() -> None:
    async def scenario() -> list[tuple[str, int, bool]]:
        slots = Slots(2)
        got: list[tuple[str, int, bool]] = []

        async def user(name: str, hold: asyncio.Event) -> None:
            slot, queued = await slots.acquire()
            got.append((name, slot, queued))
            await hold.wait()
            slots.release(slot)

        events = {n: asyncio.Event() for n in "abcde"}
        tasks = []
        for name in "abcde":
            tasks.append(asyncio.create_task(user(name, events[name])))
            await asyncio.sleep(0)
        await asyncio.sleep(0)
        assert [g[0] for g in got] == ["a", "b"]
        assert slots.waiting == 3
        for name in "abcde":
            events[name].set()
            await asyncio.sleep(0.01)
        await asyncio.gather(*tasks)
        assert slots.busy == 0
        return got

    got = asyncio.run(scenario())
    assert [g[0] for g in got] == list("abcde")
    assert [g[2] for g in got] == [False, False, True, True, True]
    assert {g[1] for g in got} == {0, 1}


def test_cancelled_waiter_gives_up_its_place() -> None:
    async def scenario() -> tuple[int, bool]:
        slots = Slots(1)
        first, _ = await slots.acquire()
        waiter = asyncio.create_task(slots.acquire())
        await asyncio.sleep(0)
        waiter.cancel()
        with pytest.raises(asyncio.CancelledError):
            await waiter
        later = asyncio.create_task(slots.acquire())
        await asyncio.sleep(0)
        slots.release(first)
        result = await later
        slots.release(result[0])
        assert slots.busy == 0 and slots.waiting == 0
        return result

    assert asyncio.run(scenario()) == (0, True)


@pytest.mark.parametrize(
    ("limit", "window", "times", "refused"),
    [
        (None, 60, [0, 0, 0], [False, False, False]),
        (2, 60, [0, 1, 2], [False, False, True]),
        (2, 10, [0, 1, 10.5, 10.8, 11.5], [False, False, False, True, False]),
    ],
)
def test_rate_window(
    limit: int | None, window: float, times: list[float], refused: list[bool]
) -> None:
    limiter = RateLimiter(limit, window)
    assert [limiter.admit(t) is not None for t in times] == refused


def test_retry_after_is_the_time_until_the_window_frees() -> None:
    limiter = RateLimiter(1, 30)
    assert limiter.admit(5.0) is None
    assert limiter.admit(12.0) == pytest.approx(23.0)


def _plan(**kw: object) -> FaultPlan:
    options = {"seed": 3, "fail_rate": 0.3, "drop_rate": 0.2, "statuses": (500, 503), "limit": None}
    options.update(kw)
    return FaultPlan(**options)  # type: ignore[arg-type]


def test_faults_depend_on_request_and_attempt_not_order() -> None:
    keys = [f"request {i}" for i in range(200)]
    forward = _plan()
    first = {k: forward.decide(k) for k in keys}
    backward = _plan()
    assert {k: backward.decide(k) for k in reversed(keys)} == first
    kinds = [f.kind if f else None for f in first.values()]
    assert 30 <= kinds.count("status") <= 90
    assert 15 <= kinds.count("drop") <= 65
    assert {f.status for f in first.values() if f and f.kind == "status"} == {500, 503}
    assert {k: forward.decide(k) for k in keys} != first  # second attempts get fresh coins
    assert {k: _plan(seed=4).decide(k) for k in keys} != first


def test_fault_limit_bounds_faults_per_request() -> None:
    plan = _plan(fail_rate=1.0, drop_rate=0.0, limit=2)
    assert [plan.decide("k") is not None for _ in range(4)] == [True, True, False, False]
    plan.reset()
    assert plan.decide("k") is not None
