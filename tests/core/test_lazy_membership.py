"""Schedule tests: ``in`` and ``not in`` on a pending answer do not wait for it
(docs/design.md, *Pending values*).

``"yes" in answer`` is how programs most often check a model's answer. The interpreter makes
whatever ``__contains__`` returns a real bool, so before compiled code sent ``in`` through
``runtime/hooks.contains`` the test waited for the answer, and a loop checking each answer
issued its calls one after another. Each program runs in-process with :func:`opportune.run`,
its result is compared with a plain call, and the calls expected to overlap are armed to prove
it (tests/core/overlap.py); nothing here measures time.
"""

from __future__ import annotations

import time
from typing import Any, ClassVar

import pytest

import opportune
from core.overlap import calls_to, meet
from core.test_schedule import assert_all_overlap, calls_of, run_both

pytestmark = pytest.mark.timeout(60)

DELAY = 0.05
QUESTIONS = (0, 1, 2, 3)


@opportune.external
def ext_answer(q):  # no annotation: the answer's class is not known before it exists
    meet("ext_answer", q)
    time.sleep(DELAY)
    return "yes, it is" if q % 2 else "no"


@opportune.external
def ext_number(q):
    meet("ext_number", q)
    time.sleep(DELAY)
    return str(q * 7) if q != 2 else "seven"


class _Vocabulary:
    """The program's own container: its ``__contains__`` runs as compiled code."""

    def __init__(self, words: list[str]) -> None:
        self.words = words
        self.asked: list[str] = []

    def __contains__(self, word: str) -> bool:
        self.asked.append(word)
        return word in self.words


def labels_by_membership() -> list[str]:
    return ["Y" if "yes" in ext_answer(q) else "N" for q in QUESTIONS]


def flags_by_membership() -> list[bool]:
    return ["yes" in ext_answer(q) for q in QUESTIONS]


def flags_by_exclusion() -> list[bool]:
    flags = []
    for q in QUESTIONS:
        answer = ext_answer(q)
        flags.append("no" not in answer)
    return flags


def answers_among_choices() -> list[bool]:
    return [ext_answer(q) in ("yes, it is", "no") for q in QUESTIONS]


@pytest.mark.parametrize("program", [labels_by_membership, flags_by_membership,
                                     flags_by_exclusion, answers_among_choices])
def test_membership_tests_on_answers_do_not_serialize_the_loop(program: Any) -> None:
    _, schedule = run_both(program, overlap=[calls_to("ext_answer", *QUESTIONS)])
    calls = calls_of(schedule, "ext_answer")
    assert len(calls) == len(QUESTIONS)
    assert_all_overlap(calls)


def rounds_searching_pending_lists() -> list[bool]:
    found = []
    for r in range(3):
        answers = [ext_answer(10 * r + q) for q in QUESTIONS]
        found.append("no" in answers)
    return found


def test_searching_a_list_of_pending_answers_does_not_hold_back_the_next_round() -> None:
    everything = tuple(10 * r + q for r in range(3) for q in QUESTIONS)
    _, schedule = run_both(rounds_searching_pending_lists,
                           overlap=[calls_to("ext_answer", *everything)])
    calls = calls_of(schedule, "ext_answer")
    assert len(calls) == len(everything)
    assert_all_overlap(calls)


def seen_set_changed_after_the_test() -> list[bool]:
    seen: set[str] = set()
    hits = []
    for q in QUESTIONS:
        answer = ext_answer(q)
        hits.append(answer in seen)
        seen.add(answer)  # the test above must read the set as it was before this
    return hits


def test_a_change_to_the_searched_set_waits_for_the_test() -> None:
    got, _ = run_both(seen_set_changed_after_the_test)
    assert got == [False, False, True, True]


def failing_membership() -> list[str]:
    out = []
    for q in QUESTIONS:
        number = ext_number(q)
        try:
            hit = 7 in number  # TypeError: 'in <string>' requires string as left operand
            out.append(f"hit {hit}")
        except TypeError as exc:
            out.append(f"{type(exc).__name__}: {exc}")
    return out


def test_a_membership_test_that_raises_raises_where_plain_python_does() -> None:
    got, _ = run_both(failing_membership)
    assert got[0] == "TypeError: 'in <string>' requires string as left operand, not int"


def programs_own_container() -> tuple[list[bool], list[str]]:
    vocabulary = _Vocabulary(["no", "maybe"])
    hits = [ext_answer(q) in vocabulary for q in QUESTIONS]
    return hits, vocabulary.asked


def test_the_programs_own_contains_sees_every_item_in_order() -> None:
    got, _ = run_both(programs_own_container)
    assert got == ([True, False, True, False], ["no", "yes, it is", "no", "yes, it is"])


def plain_membership_in_a_loop() -> int:
    table = {i: i * i for i in range(50)}
    letters = "aeiou"
    hits = 0
    for i in range(200):
        if i in table and chr(97 + i % 26) in letters and (i, i) not in table:
            hits += 1
    return hits


def test_membership_on_plain_values_makes_no_pending_value() -> None:
    got, schedule = run_both(plain_membership_in_a_loop)
    assert got == 10
    assert not schedule.calls


@opportune.external
def ext_text(q):  # no annotation, but every return gives a str: the answer's class is known
    meet("ext_text", q)
    time.sleep(DELAY)
    if q % 2:
        return f"  Yes: {q} "
    return "no\n"


def normalised_checks() -> list[tuple[Any, ...]]:
    out = []
    for q in QUESTIONS:
        a = ext_text(q)
        out.append((a.strip().lower() == "no", a.startswith("  Yes"), a.count("e"),
                    a.split("\n")[0], a.isdigit(), len(a) > 4))
    return out


def test_methods_on_an_answer_whose_every_return_is_text_do_not_wait() -> None:
    _, schedule = run_both(normalised_checks, overlap=[calls_to("ext_text", *QUESTIONS)])
    calls = calls_of(schedule, "ext_text")
    assert len(calls) == len(QUESTIONS)
    assert_all_overlap(calls)


def any_and_all_over_answers() -> list[tuple[bool, bool]]:
    out = []
    for r in range(3):
        answers = [ext_answer(10 * r + q) for q in QUESTIONS]
        out.append((any("yes" in a for a in answers), all(a != "maybe" for a in answers)))
    return out


def test_any_and_all_over_pending_answers_do_not_hold_back_the_next_round() -> None:
    everything = tuple(10 * r + q for r in range(3) for q in QUESTIONS)
    _, schedule = run_both(any_and_all_over_answers, overlap=[calls_to("ext_answer", *everything)])
    calls = calls_of(schedule, "ext_answer")
    assert len(calls) == len(everything)
    assert_all_overlap(calls)


def keywords_in_answers() -> list[bool]:
    keywords = ["maybe", "yes"]
    found = []
    for q in QUESTIONS:
        answer = ext_answer(q)
        found.append(any(k in answer for k in keywords))
    return found


def test_any_keyword_in_each_answer_does_not_serialize_the_loop() -> None:
    _, schedule = run_both(keywords_in_answers, overlap=[calls_to("ext_answer", *QUESTIONS)])
    assert_all_overlap(calls_of(schedule, "ext_answer"))


def any_stops_where_plain_python_stops() -> list[str]:
    out = []
    for q in QUESTIONS:
        items = [ext_answer(q), None]  # "x" in None raises TypeError, if it is reached
        try:
            out.append(str(any("yes" in a for a in items)))
        except TypeError as exc:
            out.append(f"TypeError: {exc}")
    return out


def test_a_later_item_that_raises_is_raised_only_if_any_reaches_it() -> None:
    got, _ = run_both(any_stops_where_plain_python_stops)
    assert got[1] == "True"
    assert got[0] == "TypeError: argument of type 'NoneType' is not iterable"


@opportune.external
def ext_table(q):  # a dict, of a class not known before it exists
    meet("ext_table", q)
    time.sleep(DELAY)
    return {"seen": q}


def pending_container_changed_after_the_test() -> list[tuple[bool, bool]]:
    out = []
    for q in QUESTIONS:
        table = ext_table(q)
        before = "new" in table
        table["new"] = q  # must not be seen by the test above
        out.append((before, "new" in table))
    return out


def test_a_change_to_a_pending_container_waits_for_the_test_on_it() -> None:
    got, _ = run_both(pending_container_changed_after_the_test)
    assert got == [(False, True)] * len(QUESTIONS)


class _Tracked:
    """An item of the program's class: its ``__eq__`` and ``__hash__`` note each call."""

    seen: ClassVar[list[str]] = []

    def __init__(self, word: str) -> None:
        self.word = word

    def __eq__(self, other: object) -> bool:
        _Tracked.seen.append(f"eq {self.word}")
        return self.word == other

    def __hash__(self) -> int:
        _Tracked.seen.append(f"hash {self.word}")
        return hash(self.word)


def membership_among_the_programs_objects() -> tuple[list[bool], list[str]]:
    _Tracked.seen = []
    found = []
    for q in QUESTIONS:
        found.append(ext_answer(q) in {_Tracked("no"), _Tracked("maybe")})
        _Tracked.seen.append(f"asked {q}")
        found.append(ext_answer(q) not in (_Tracked("no"),))
        found.append(_Tracked("no") in [ext_answer(q)])  # its own __eq__ runs at the ``in``
        _Tracked.seen.append(f"then {q}")
    return found, _Tracked.seen


def test_a_test_among_the_programs_objects_runs_their_code_where_plain_python_does() -> None:
    """Their ``__eq__``/``__hash__`` run in order and as often as in plain Python, whether
    the object is the container's item or the item searched for (p602, p607)."""
    got, _ = run_both(membership_among_the_programs_objects)
    assert got[0] == [True, False, True, False, True, False, True, False, True,
                      False, True, False]
    assert got[1][:4] == ["hash no", "hash maybe", "eq no", "asked 0"]


def joined_with_each_answer() -> list[Any]:
    words = ["w"]
    out = []
    for q in QUESTIONS:
        out.append(ext_text(q).join(words))  # applied later, to the list as it is now
        words.append(str(q))
    return out


def test_a_method_on_an_answer_whose_every_return_is_text_gets_its_arguments_as_now() -> None:
    """``sep.join(words)`` stays lazy and joins the list as it was at the call, not as the
    program changed it before the answer came (p603)."""
    _, schedule = run_both(joined_with_each_answer, overlap=[calls_to("ext_text", *QUESTIONS)])
    assert_all_overlap(calls_of(schedule, "ext_text"))
