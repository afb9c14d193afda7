"""Streaming: work on the prefix of a streamed answer, read from the recorded schedule.

The differential programs p158-p161 check that the output equals plain Python's; these tests
check *when* things happened: which calls started before the streamed answer ended, and when
output was first written. A stream that a test expects the program to act on before it ends holds
back its last piece until the program has (tests/core/overlap.py), so the order is the same
however slowly a loaded machine runs the program.
"""

from __future__ import annotations

import json
import sys
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

import opportune
from core.overlap import calls_to, meet, overlapping
from opportune import CallRecord, Schedule
from opportune.runtime.streams import RESTART, StreamDiverged

OUTLINE = "Title\n" + "".join(f"Section {i}\n" for i in range(6))
PIECE_DELAY = 0.01


def _outline_pieces(topic: str) -> Iterator[str]:
    for i in range(0, len(OUTLINE), 4):
        time.sleep(PIECE_DELAY)
        if i + 4 >= len(OUTLINE):
            meet("outline", topic)  # the last piece
            _before_the_last_piece()
        yield OUTLINE[i:i + 4]


# Set by a test: the last piece of an outline waits for it (the program's first output).
_HOLD_LAST_PIECE: list[threading.Event] = []


def _before_the_last_piece() -> None:
    for event in _HOLD_LAST_PIECE:
        assert event.wait(15), "the program wrote nothing before the stream's last piece"


@opportune.external(stream=_outline_pieces)
def outline(topic: str) -> str:
    time.sleep(PIECE_DELAY * (len(OUTLINE) // 4 + 1))
    return OUTLINE


@opportune.external
def expand(section: str) -> str:
    meet("expand", section)
    time.sleep(0.005)
    return f"<{section}>"


def _json_pieces(topic: str) -> Iterator[str]:
    text = json.dumps([{"tool": f"t{i}"} for i in range(5)])
    for i in range(0, len(text), 5):
        time.sleep(PIECE_DELAY)
        if i + 5 >= len(text):
            meet("plan", topic)  # the last piece
        yield text[i:i + 5]


@opportune.external(stream=_json_pieces)
def plan(topic: str) -> str:
    return json.dumps([{"tool": f"t{i}"} for i in range(5)])


def one(schedule: Schedule, name: str) -> CallRecord:
    (record,) = schedule.by_name(name)
    return record


def expand_each_line() -> list[str]:
    return [expand(line) for line in outline("x").splitlines()]


# The first five lines' calls start before the outline's last piece comes.
EARLY_LINES = calls_to("outline", "x") | calls_to("expand", *OUTLINE.splitlines()[:5])


def test_calls_on_streamed_lines_start_before_the_answer_ends() -> None:
    expected = expand_each_line()
    with overlapping(EARLY_LINES):
        assert opportune.run(expand_each_line) == expected
    schedule = opportune.last_schedule()
    source = one(schedule, "outline")
    assert source.first_token is not None and source.finished is not None
    assert source.first_token < source.finished
    early = [c for c in schedule.by_name("expand") if c.issued < source.finished]
    assert len(early) >= 5, "the calls on the first lines waited for the whole answer"


def test_calls_on_streamed_lines_record_the_answer_they_read() -> None:
    """A line reaches ``expand`` as a plain ``str``, so no argument carries the outline; the
    trace records it as ``read_from`` (the benchmarks' ideal and mid-stream count use it)."""
    opportune.run(expand_each_line)
    schedule = opportune.last_schedule()
    source = one(schedule, "outline")
    assert source.read_from == ()
    assert all(c.read_from == (source.call_id,) for c in schedule.by_name("expand"))


def test_the_first_output_records_its_place_in_program_order(
        capsys: pytest.CaptureFixture[str]) -> None:
    def program() -> None:
        text = outline("x")
        print("before", expand("a"))
        print(text, expand("b"))

    opportune.run(program)
    assert capsys.readouterr().out.startswith("before <a>\n")
    schedule = opportune.last_schedule()
    first_expand, second_expand = sorted(schedule.by_name("expand"), key=lambda c: c.call_id)
    assert schedule.first_output_seq is not None
    assert first_expand.call_id < schedule.first_output_seq < second_expand.call_id


def test_without_streaming_every_line_waits_for_the_whole_answer(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPPORTUNE_STREAM", "0")
    assert opportune.run(expand_each_line) == expand_each_line()
    schedule = opportune.last_schedule()
    source = one(schedule, "outline")
    assert source.first_token is None
    assert source.finished is not None
    assert all(c.issued >= source.finished for c in schedule.by_name("expand"))


def print_outline() -> None:
    print(outline("x"), end="")
    print("after")


class _NotingStdout:
    """Passes writes on, setting ``written`` at the first."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream
        self.written = threading.Event()

    def write(self, text: str) -> int:
        self.written.set()
        return self.stream.write(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


def test_print_of_a_streamed_answer_starts_before_it_ends(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    noting = _NotingStdout(sys.stdout)
    monkeypatch.setattr(sys, "stdout", noting)
    _HOLD_LAST_PIECE.append(noting.written)
    try:
        opportune.run(print_outline)
    finally:
        _HOLD_LAST_PIECE.clear()
        monkeypatch.undo()
    schedule = opportune.last_schedule()
    source = one(schedule, "outline")
    assert capsys.readouterr().out == OUTLINE + "after\n"
    assert schedule.first_output is not None and source.finished is not None
    assert schedule.first_output < source.finished


def unused_stream_then_output() -> str:
    text = outline("x")
    print("independent")
    return text


def test_output_after_a_stream_the_program_has_not_used_waits_for_it(
        capsys: pytest.CaptureFixture[str]) -> None:
    opportune.run(unused_stream_then_output)
    schedule = opportune.last_schedule()
    source = one(schedule, "outline")
    assert capsys.readouterr().out == "independent\n"
    assert schedule.first_output is not None and source.finished is not None
    assert schedule.first_output >= source.finished, \
        "output went ahead of a call that could still fail before the program used it"


def branch_on_prefix() -> str:
    if outline("x").startswith("Title"):
        return expand("yes")
    return expand("no")


def test_startswith_is_decided_as_soon_as_the_prefix_is_there() -> None:
    with overlapping(calls_to("outline", "x") | calls_to("expand", "yes")):
        assert opportune.run(branch_on_prefix) == "<yes>"
    schedule = opportune.last_schedule()
    source = one(schedule, "outline")
    (call,) = schedule.by_name("expand")
    assert source.finished is not None and call.issued < source.finished


def tools_of_plan() -> list[str]:
    return [expand(step["tool"]) for step in json.loads(plan("x"))]


def test_json_array_items_are_used_as_they_complete() -> None:
    expected = tools_of_plan()
    with overlapping(calls_to("plan", "x") | calls_to("expand", "t0", "t1", "t2")):
        assert opportune.run(tools_of_plan) == expected
    schedule = opportune.last_schedule()
    source = one(schedule, "plan")
    early = [c for c in schedule.by_name("expand") if c.issued < (source.finished or 0)]
    assert len(early) >= 3


def _diverging_pieces(topic: str) -> Iterator[str]:
    yield "line one\nline t"
    yield RESTART
    yield "line ONE\n"


@opportune.external(stream=_diverging_pieces)
def diverging(topic: str) -> str:
    return "line ONE\n"


def first_line_of_diverging() -> list[str]:
    return [line for line in diverging("x").splitlines()]


def test_a_retried_stream_that_contradicts_used_text_fails_clearly() -> None:
    with pytest.raises(StreamDiverged, match="OPPORTUNE_STREAM=0"):
        opportune.run(first_line_of_diverging)


def test_stream_option_is_checked() -> None:
    with pytest.raises(TypeError, match="stream="):
        opportune.external(stream="not a function")(lambda x: x)  # type: ignore[arg-type]


# --- a result object whose text streams (ExternalSpec.stream_path) ---------------------------

class Reply:
    def __init__(self, text: str) -> None:
        self.parts = [{"text": text}]
        self.size = len(text)

    def __repr__(self) -> str:
        return f"Reply({self.size})"


def _reply_pieces(topic: str) -> Iterator[object]:
    yield from _outline_pieces(topic)
    return Reply(OUTLINE)


@opportune.external(stream=_reply_pieces, stream_path="parts[0]['text']")
def reply(topic: str) -> Reply:
    time.sleep(PIECE_DELAY * (len(OUTLINE) // 4 + 1))
    return Reply(OUTLINE)


def expand_reply_lines() -> list[str]:
    answer = reply("x")
    out = [expand(line) for line in answer.parts[0]["text"].splitlines()]
    print(answer, answer.size)
    return out


def test_text_inside_a_result_streams_along_its_path(capsys: pytest.CaptureFixture[str]) -> None:
    expected = expand_reply_lines()
    printed = f"Reply({len(OUTLINE)}) {len(OUTLINE)}\n"
    assert capsys.readouterr().out == printed
    with overlapping(EARLY_LINES):
        assert opportune.run(expand_reply_lines) == expected
    assert capsys.readouterr().out == printed  # the object itself, not its text
    schedule = opportune.last_schedule()
    source = one(schedule, "reply")
    assert source.first_token is not None and source.finished is not None
    early = [c for c in schedule.by_name("expand") if c.issued < source.finished]
    assert len(early) >= 5, "the calls on the first lines waited for the whole answer"


def other_path_lines() -> list[str]:
    answer = reply("x")
    return [expand(line) for line in answer.parts[-1]["text"].splitlines()]


def test_reads_along_another_path_wait_for_the_whole_result() -> None:
    assert opportune.run(other_path_lines) == other_path_lines()
    schedule = opportune.last_schedule()
    source = one(schedule, "reply")
    assert source.finished is not None
    assert all(c.issued >= source.finished for c in schedule.by_name("expand"))


@pytest.mark.parametrize("path", ["", ".text", "parts[x]", "a..b", 3])
def test_stream_path_is_checked(path: object) -> None:
    with pytest.raises(TypeError, match="stream_path"):
        opportune.external(stream=_reply_pieces, stream_path=path)(reply)  # type: ignore[arg-type]


def test_stream_path_needs_a_stream() -> None:
    with pytest.raises(TypeError, match="needs stream="):
        opportune.external(stream_path="text")(lambda x: x)


class Empty:
    """A result with no text where the path leads (an answer that is all tool calls, say)."""

    def __init__(self) -> None:
        self.parts: list[dict[str, str | None]] = [{"text": None}]


RELEASE = threading.Event()


@opportune.external
def release() -> None:
    """Lets the producer below answer: called after the program has asked about the text."""
    RELEASE.set()


def _whole_reply(topic: str) -> Iterator[object]:
    """A producer that sends this request whole: nothing streams, the result comes at once
    (for "none", once the program has called :func:`release`)."""
    time.sleep(PIECE_DELAY)
    if topic == "whole":
        return Reply(OUTLINE)
    assert RELEASE.wait(10), "release() was never called"
    return Empty()
    yield  # a generator


@opportune.external(stream=_whole_reply, stream_path="parts[0]['text']")
def whole_reply(topic: str) -> Reply | Empty:
    time.sleep(PIECE_DELAY)
    return Reply(OUTLINE) if topic == "whole" else Empty()


def use_whole_reply() -> list[object]:
    text = whole_reply("whole").parts[0]["text"]
    print(text, end="")
    return [text.startswith("Title"), text.startswith("Nope"),
            [expand(line) for line in text.splitlines()], json_or_none(text)]


def json_or_none(text: str) -> object:
    try:
        return [item for item in json.loads(text)]
    except ValueError:
        return None


def test_a_result_sent_whole_gives_its_text_to_every_view(
        capsys: pytest.CaptureFixture[str]) -> None:
    expected = use_whole_reply()
    plain = capsys.readouterr().out
    assert opportune.run(use_whole_reply) == expected
    assert capsys.readouterr().out == plain == OUTLINE
    assert one(opportune.last_schedule(), "whole_reply").first_token is None


def startswith_on_no_text() -> bool:
    decided = whole_reply("none").parts[0]["text"].startswith("x")
    release()
    return decided


def lines_of_no_text() -> list[str]:
    lines = whole_reply("none").parts[0]["text"].splitlines()
    release()
    return [line for line in lines]


def print_no_text() -> None:
    text = whole_reply("none").parts[0]["text"]
    print(text)
    print(f"## {text}")
    release()


@pytest.mark.parametrize("program", [startswith_on_no_text, lines_of_no_text])
def test_no_text_at_the_path_fails_as_plain_python(program) -> None:
    with pytest.raises(AttributeError, match="'NoneType' object has no attribute") as plain:
        program()
    RELEASE.clear()
    with pytest.raises(AttributeError) as streamed:
        opportune.run(program)
    assert str(streamed.value) == str(plain.value)


def test_no_text_at_the_path_prints_as_plain_python(capsys: pytest.CaptureFixture[str]) -> None:
    print_no_text()
    plain = capsys.readouterr().out
    RELEASE.clear()
    opportune.run(print_no_text)
    assert capsys.readouterr().out == plain == "None\n## None\n"
