"""A print queued behind a slower argument shows its pending values as plain Python showed
them, although the program changes them in place before the print's turn comes
(runtime/printed.py); and the program does not wait for the print to make that change.
Overlap is proved with the barrier helpers, never with timings."""

from __future__ import annotations

import time
from dataclasses import dataclass

import pytest

import opportune
from core.overlap import calls_to, meet, overlapping
from opportune.runtime.printed import rendered
from opportune.runtime.values import DONE, PENDING, Pending

pytestmark = pytest.mark.timeout(60)


@opportune.external
def found(query: str) -> list[str]:
    time.sleep(0.01)
    return [f"{query}{i}" for i in range(2)]


@opportune.external
def slowly(x: int) -> int:
    meet("slowly", x)
    time.sleep(0.02)
    return x + 1


@opportune.external
def later(x: int) -> int:
    meet("later", x)
    return x


def change_after_print() -> list[str]:
    hits = found("q")
    print(hits, slowly(1))
    hits.append("more")
    print(later(2))  # issued only once the change above is made
    hits[0] = "first"
    return hits


def test_the_change_does_not_wait_for_the_print_and_the_print_shows_the_value_before_it(
        capsys: pytest.CaptureFixture[str]) -> None:
    expected = change_after_print()
    plain = capsys.readouterr().out
    # slowly(1), whose print waits for it, returns only once later(2) has started: the program
    # went past ``hits.append`` while the print still waited
    with overlapping(calls_to("slowly", 1) | calls_to("later", 2)):
        got = opportune.run(change_after_print)
    assert got == expected == ["first", "q1", "more"]
    assert capsys.readouterr().out == plain == "['q0', 'q1'] 2\n2\n"


@dataclass
class Note:
    text: str


def _done(value: object) -> Pending:
    p = Pending(None, 0, "test")  # type: ignore[arg-type]
    object.__setattr__(p, "_state", DONE)
    object.__setattr__(p, "_value", value)
    return p


def test_rendered_gives_the_text_once_every_pending_value_has_one() -> None:
    note = Note("a")
    text = rendered(_done([note, _done({"k": {1, 2}})]))
    note.text = "changed"
    assert str(text) == "[Note(text='a'), {'k': {1, 2}}]"
    assert str(rendered(_done(note))) == "Note(text='changed')"  # str, as print renders


def test_rendered_keeps_unfinished_pending_values_and_renders_the_rest() -> None:
    waiting = Pending(None, 0, "test")  # type: ignore[arg-type]
    assert waiting._state == PENDING
    note = Note("a")
    out = rendered([note, waiting, ["x", _done(note)]])
    note.text = "changed"
    assert type(out) is list and out[1] is waiting
    assert repr(out[0]) == "Note(text='a')"
    assert repr(out[2]) == "['x', Note(text='a')]"
