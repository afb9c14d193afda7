"""Deferred ``if`` arms that change the program module's own lists, dicts and sets at its top
level (``run_source`` code, the script ``opportune run`` runs): the loop goes on while the arms
wait for their answers, and every read the module's code makes waits for them. Where other
code may read the name (a function of the module, ``globals()``) or the arm stands in a
``try``, the program keeps waiting. Overlap is proved with the barrier helpers and the
recorded waits, never with timings."""

from __future__ import annotations

import pytest

import opportune
from core.overlap import calls_to, overlapping
from core.test_arm_objects import WORDS, verdict

pytestmark = pytest.mark.timeout(60)

_ARM_WAIT = "the program uses an object that a deferred if arm may change"

_COLLECT = '''
hits = []
found = {}
for w in words:
    a = verdict(w)
    if a == "yes":
        print("found", w)
        hits.append(w)
        found[w] = len(w)
print(hits, found)
'''


def _plain(source: str, capsys: pytest.CaptureFixture[str]) -> tuple[dict[str, object], str]:
    namespace: dict[str, object] = {"verdict": verdict, "words": WORDS}
    exec(source, namespace)  # noqa: S102  (the plain Python reference)
    return namespace, capsys.readouterr().out


def test_a_top_level_collect_loop_issues_every_call_before_any_answer_is_known(
        capsys: pytest.CaptureFixture[str]) -> None:
    expected, plain = _plain(_COLLECT, capsys)
    with overlapping(calls_to("verdict", *WORDS)):
        namespace = opportune.run_source(_COLLECT, {"verdict": verdict, "words": WORDS},
                                         explain=True)
    assert capsys.readouterr().out == plain
    assert namespace["hits"] == expected["hits"] == ["aa", "dddd", "ee"]
    assert namespace["found"] == expected["found"]
    reasons = [w.reason for w in opportune.last_schedule().waits]
    assert reasons.count(_ARM_WAIT) == 1, reasons


_READ_BY_FUNCTION = '''
hits = []

def size():
    return len(hits)

for w in words:
    if verdict(w) == "yes":
        hits.append(w)
    sizes.append(size())
'''

_GLOBALS = '''
hits = []
for w in words:
    if verdict(w) == "yes":
        hits.append(w)
    sizes.append(len(globals()["hits"]))
'''

_IN_TRY = '''
hits = []
try:
    for w in words:
        if verdict(w) == "yes":
            hits.append(w)
        sizes.append(len(hits))
except ValueError:
    pass
'''


@pytest.mark.parametrize("source", [_READ_BY_FUNCTION, _GLOBALS, _IN_TRY],
                         ids=["function reads it", "globals()", "try body"])
def test_where_other_code_may_read_the_name_the_loop_keeps_waiting(source: str) -> None:
    namespace = opportune.run_source(source, {"verdict": verdict, "words": WORDS,
                                              "sizes": []}, explain=True)
    assert namespace["hits"] == ["aa", "dddd", "ee"]
    assert namespace["sizes"] == [1, 1, 1, 2, 3]
    reasons = [w.reason for w in opportune.last_schedule().waits]
    assert _ARM_WAIT not in reasons
    assert len(reasons) >= len(WORDS) - 1, reasons  # each answer, at its if


_FAILS = '''
hits = []
for i, w in enumerate(words):
    if verdict(w) == "yes":
        print("keep", w)
        hits.append(10 // (i - 3))
    print("next", w)
print("never", hits)
'''


def test_a_top_level_arm_that_raises_stops_the_output_where_plain_python_stops(
        capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(ZeroDivisionError):
        _plain(_FAILS, capsys)
    plain = capsys.readouterr().out
    with pytest.raises(ZeroDivisionError):
        opportune.run_source(_FAILS, {"verdict": verdict, "words": WORDS})
    assert capsys.readouterr().out == plain
    assert plain.splitlines()[-1] == "keep dddd"


def test_an_imported_module_keeps_waiting() -> None:
    """A module the program imports has its names read by others once its code has run:
    its top-level arms never share its objects."""
    import ast

    from opportune.compiler import arm_objects, transform

    tree = ast.parse(_COLLECT)
    transform.transform(tree)
    assert not getattr(tree, "_opportune_arm_objects", False)
    assert arm_objects.module_objects(ast.parse(_COLLECT))[0] == {"hits", "found"}


_GROUPS = '''
groups = {}
counts = {}
for w in words:
    a = verdict(w)
    if a:
        groups.setdefault(a, []).append(w)
        counts[a] = counts.get(a, 0) + 1
print(groups, counts)
'''


def test_grouping_with_setdefault_issues_every_call_before_any_answer_is_known(
        capsys: pytest.CaptureFixture[str]) -> None:
    expected, plain = _plain(_GROUPS, capsys)
    with overlapping(calls_to("verdict", *WORDS)):
        namespace = opportune.run_source(_GROUPS, {"verdict": verdict, "words": WORDS},
                                         explain=True)
    assert capsys.readouterr().out == plain
    assert namespace["groups"] == expected["groups"] == {"yes": ["aa", "dddd", "ee"],
                                                         "no": ["bbb", "c"]}
    assert namespace["counts"] == expected["counts"]
    reasons = [w.reason for w in opportune.last_schedule().waits]
    assert reasons.count(_ARM_WAIT) == 1, reasons


@opportune.external
def shown(value: object) -> str:
    return repr(value)


_TOOL_EACH_TIME = '''
hits = []
seen = []
for i, w in enumerate(words):
    if verdict(w) == "yes":
        hits.append(w if i != bad else 1 // 0)
    seen.append(shown(hits))
'''


def test_a_tool_given_the_list_in_the_loop_gets_a_copy_taken_after_the_earlier_arms() -> None:
    with overlapping(calls_to("verdict", *WORDS)):
        namespace = opportune.run_source(_TOOL_EACH_TIME, {
            "verdict": verdict, "shown": shown, "words": WORDS, "bad": -1})
    assert namespace["seen"] == ["['aa']", "['aa']", "['aa']", "['aa', 'dddd']",
                                 "['aa', 'dddd', 'ee']"]
    assert _ARM_WAIT not in [w.reason for w in opportune.last_schedule().waits]


def test_a_tool_after_an_arm_that_failed_is_never_called() -> None:
    with pytest.raises(ZeroDivisionError):
        opportune.run_source(_TOOL_EACH_TIME, {
            "verdict": verdict, "shown": shown, "words": WORDS, "bad": 3})
    made = [c for c in opportune.last_schedule().calls
            if c.name == "shown" and c.started is not None]
    assert len(made) == 3  # for "aa", "bbb", "c": not for "dddd", whose arm raised
