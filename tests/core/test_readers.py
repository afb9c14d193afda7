"""What a concurrent reader can reach (runtime/readers.py): the cached list of ids must hold
every object inside a value, and give up (None: anything may be inside) past its budget; and
which change waits for which concurrent reader, read from the recorded waits (never from how
long anything took: the calls the program must wait for return only once it waits,
tests/core/overlap.py)."""

from __future__ import annotations

import os
import time
from typing import Any, ClassVar

import opportune
from core.overlap import calls_to, held_until_waited, meet
from opportune.compiler.functions import add_user_root
from opportune.runtime.readers import reachable, reaches, shared_reach, shared_roots


def _score(text: str) -> int:
    return len(text) * 7 % 11 + ord(text[-1]) % 5


@opportune.external
def ext_score(text: str) -> int:
    meet("ext_score", text)
    time.sleep(0.03)
    return _score(text)


@opportune.external
def ext_search(query: str) -> list[str]:
    meet("ext_search", query)
    time.sleep(0.03)
    return [f"{query}{i}" for i in range(3)]


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


# -- shared roots: what a concurrent function reads through attributes ----------------------

class _Base:
    LEVEL: ClassVar[list[int]] = [1]


class _Config(_Base):
    MODE = "slow"
    TABLE: ClassVar[dict[str, list[int]]] = {"k": [2]}
    __registry__: ClassVar[dict[str, int]] = {}


def _this_folder_is_the_programs() -> None:
    add_user_root(os.path.dirname(os.path.realpath(__file__)))  # as opportune.run does


def test_shared_roots_are_the_programs_classes_modules_and_objects_only() -> None:
    import json
    import types

    _this_folder_is_the_programs()
    frozen = Record([])
    found = shared_roots((_Config, json, [frozen, (3, "x")], {"k": types}))
    assert _Config in found and frozen in found
    assert json not in found and types not in found  # library modules are services


def test_shared_reach_covers_class_attributes_and_bases_but_not_dunders() -> None:
    _this_folder_is_the_programs()
    found, final = shared_reach([_Config])
    assert final and found is not None
    for obj in (_Config, _Base, _Config.TABLE, _Config.TABLE["k"], _Base.LEVEL):
        assert id(obj) in found
    assert id(_Config.__registry__) not in found
    outside = {"k": [2]}
    assert id(outside) not in found


def _waits_for_readers() -> list[Any]:
    return [w for w in opportune.last_schedule().waits
            if w.reason.startswith("the program changes an object that code running")]


_CLASS_ATTRIBUTE = '''
class Config:
    MODE = "slow"
    TABLE = {"k": 1}

def judge(word):
    if ext_score(word) >= 0:
        return f"{word} {Config.MODE} {Config.TABLE}"
    return ""

first = judge("ab")
unrelated = []
unrelated.append(1)
Config.MODE = "fast"
second = judge("cd")
Config.TABLE["k"] = 2
'''


def test_store_to_a_class_attribute_waits_for_the_concurrent_function_reading_it() -> None:
    """``Config.MODE = v`` after a concurrent ``judge`` reads ``Config.MODE`` waits for it
    (the rebinding), and so does ``Config.TABLE["k"] = v`` through a chain (the dict named by
    the store); a change to a list the function cannot reach does not wait."""
    with held_until_waited(calls_to("ext_score", "ab", "cd")):
        namespace = opportune.run_source(_CLASS_ATTRIBUTE, {"ext_score": ext_score},
                                         filename="<class-attr>", explain=True)
    assert namespace["first"] == "ab slow {'k': 1}"
    assert namespace["second"] == "cd fast {'k': 1}"
    schedule = opportune.last_schedule()
    first_call, second_call = sorted(schedule.by_name("ext_score"), key=lambda c: c.call_id)
    waits = _waits_for_readers()
    assert [w.location for w in waits] == ["<class-attr>:14", "<class-attr>:16"], waits
    assert first_call.call_id in waits[0].waited_for
    assert second_call.call_id in waits[1].waited_for


_CHAIN_STORE = '''
hits = ext_search("q")
holder = [{"rows": hits}]
found = []
for h in hits:
    found = found + [ext_score(h)]
holder[0]["rows"][1] = "zzz"
'''


def test_store_through_a_chain_into_a_result_waits_for_the_loop_reading_it() -> None:
    """``holder[0]["rows"][1] = v`` changes the result a deferred loop iterates: the store
    waits for the loop (which has taken every item once it is done), and the loop saw the
    result as it was."""
    with held_until_waited(calls_to("ext_search", "q")):
        namespace = opportune.run_source(_CHAIN_STORE, {"ext_score": ext_score,
                                                        "ext_search": ext_search},
                                         filename="<chain>", explain=True)
    assert namespace["found"] == [_score(h) for h in ["q0", "q1", "q2"]]
    waits = _waits_for_readers()
    assert [w.location for w in waits] == ["<chain>:7"], waits


_REACHED_THROUGH_ATTRIBUTE = '''
LIMIT = 1

class Config:
    @staticmethod
    def limit():
        return LIMIT

def judge(word):
    if ext_score(word) >= 0:
        return f"{word} {Config.limit()}"
    return ""

def other():
    return OTHER

first = judge("ab")
unrelated = 5
OTHER = 1
LIMIT = 2
second = judge("cd")
'''


def test_top_level_rebinding_waits_for_a_function_reached_through_an_attribute() -> None:
    """``Config.limit()`` inside a concurrent ``judge`` reads ``LIMIT`` from its module when it
    runs: the top-level ``LIMIT = 2`` waits for it; ``unrelated = 5``, a name no function
    reads, has no check, and ``OTHER = 1``, which only a function ``judge`` cannot reach
    reads, does not wait."""
    namespace = opportune.run_source(_REACHED_THROUGH_ATTRIBUTE, {"ext_score": ext_score},
                                     filename="<reached>", explain=True)
    assert namespace["first"] == "ab 1"
    assert namespace["second"] == "cd 2"
    first_call = min(opportune.last_schedule().by_name("ext_score"), key=lambda c: c.call_id)
    waits = _waits_for_readers()
    assert [w.location for w in waits] == ["<reached>:20"], waits
    assert first_call.call_id in waits[0].waited_for


_FRESH_DICT_AFTER_A_SEARCH = '''
class Config:
    @staticmethod
    def limit():
        return LIMIT

def judge(word):
    if ext_score(word) >= 0:
        return f"{word} {Config.limit()}"
    return ""

def peek():
    return fresh

LIMIT = 1
first = judge("ab")
fresh = {}
fresh["k"] = len("ab")
'''


def test_a_dict_made_after_the_reach_search_is_not_taken_for_one_it_reached() -> None:
    """The search of what ``judge`` reaches (from ``Config``, made at the first check: the
    rebinding of ``fresh``, a name ``peek`` loads) records ids, so it must record only objects
    that stay alive. A stand-in ``{}`` for a function's missing keyword defaults, recorded and
    freed, gave its id to the next dict the program made (CPython reuses a freed dict at
    once), and ``fresh["k"] = len("ab")`` waited for ``judge`` as if it read ``fresh``."""
    namespace = opportune.run_source(_FRESH_DICT_AFTER_A_SEARCH, {"ext_score": ext_score},
                                     filename="<fresh>", explain=True)
    assert namespace["first"] == "ab 1"
    assert namespace["fresh"] == {"k": 2}
    assert _waits_for_readers() == []
