"""The model's queue: round-robin across programs, first-come within each."""

from __future__ import annotations

import threading

import pytest

from opportune.model import FairQueue


def _drain(queue: FairQueue[str]) -> list[str]:
    out = []
    while len(queue):
        item = queue.get(timeout=0)
        assert item is not None
        out.append(item)
    return out


@pytest.mark.parametrize(
    ("arrivals", "served"),
    [
        ([("a", "a1"), ("a", "a2"), ("a", "a3")], ["a1", "a2", "a3"]),
        ([("a", "a1"), ("a", "a2"), ("a", "a3"), ("b", "b1")], ["a1", "b1", "a2", "a3"]),
        ([("a", "a1"), ("b", "b1"), ("a", "a2"), ("b", "b2"), ("c", "c1")],
         ["a1", "b1", "c1", "a2", "b2"]),
        # requests without a program each have a lane of their own: plain FIFO among them
        ([("x1", "1"), ("x2", "2"), ("x3", "3")], ["1", "2", "3"]),
    ],
)
def test_round_robin_order(arrivals, served):
    queue: FairQueue[str] = FairQueue()
    for key, item in arrivals:
        queue.put(key, item)
    assert _drain(queue) == served


def test_a_lane_that_empties_and_returns_goes_to_the_back():
    queue: FairQueue[str] = FairQueue()
    queue.put("a", "a1")
    queue.put("b", "b1")
    queue.put("b", "b2")
    assert queue.get(timeout=0) == "a1"
    queue.put("a", "a2")  # a's lane was empty: it rejoins behind b
    assert _drain(queue) == ["b1", "a2", "b2"]


def test_get_waits_for_a_put_from_another_thread():
    queue: FairQueue[str] = FairQueue()
    got: list[str | None] = []
    reader = threading.Thread(target=lambda: got.append(queue.get(timeout=30)))
    reader.start()
    queue.put("p", "item")
    reader.join(30)
    assert got == ["item"]


def test_close_wakes_waiters_and_refuses_new_items():
    queue: FairQueue[str] = FairQueue()
    got: list[str | None] = ["unset"]
    reader = threading.Thread(target=lambda: got.__setitem__(0, queue.get()))
    reader.start()
    queue.close()
    reader.join(30)
    assert got == [None]
    with pytest.raises(RuntimeError, match="closed"):
        queue.put("p", "late")


def test_timeout_returns_none():
    assert FairQueue().get(timeout=0.01) is None
