"""What a concurrent reader can reach (runtime/readers.py): the cached list of ids must hold
every object inside a value, and give up (None: anything may be inside) past its budget."""

from __future__ import annotations

from opportune.runtime.readers import reachable, reaches


class Record:
    def __init__(self, rows: list) -> None:
        self.rows = rows


def test_reachable_lists_every_object_inside_containers_and_attributes() -> None:
    inner = ["a", "b"]
    table = {"k": [inner], "t": (inner, {"deep": Record([{"x": 1}])})}
    found, final = reachable(table)
    assert final and found is not None
    record = table["t"][1]["deep"]
    for obj in (table, table["k"], inner, table["t"], record, record.rows, record.rows[0]):
        assert id(obj) in found
        assert reaches(table, obj)
    outside = ["a", "b"]
    assert id(outside) not in found
    assert not reaches(table, outside)


def test_reachable_gives_up_past_its_budget() -> None:
    big = [[i] for i in range(50)]
    found, final = reachable(big, budget=10)
    assert found is None and final  # the safe side: every change waits
