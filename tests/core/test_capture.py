"""Externals that print or log keep their overlap: what each call writes to stdout and stderr
is captured and written at the call's place in program order (runtime/capture.py).

Overlap is read from the recorded schedule, and made certain by the tools themselves: each
waits at a barrier until all of its calls have started, which only calls running at the same
time can pass (a broken barrier fails the call, and so the test). Output is compared with plain
Python's, never with timings.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import json
import logging
import queue
import subprocess
import sys
import textwrap
import threading
from pathlib import Path
from typing import Any

import pytest

import opportune
from core.overlap import calls_to, meet, overlapping
from opportune import CallRecord, Schedule
from opportune.runtime import capture

pytestmark = pytest.mark.timeout(60)

N = 3


def gate_for(parties: int) -> threading.Barrier:
    """A barrier for ``parties`` calls; one party passes at once (the plain Python reference).
    A library object, so calls are handed it as it is, not a copy."""
    return threading.Barrier(parties)


@opportune.external
def progress(gate: threading.Barrier, i: int) -> int:
    print(f"tool {i} starts", end="")
    gate.wait(timeout=20)
    for _ in range(2):
        print(".", end="", flush=True)
    print(f" tool {i} ends")
    print(f"tool {i} note", file=sys.stderr)
    return i * 10


def printing_loop(gate: threading.Barrier) -> list[int]:
    print("begin")
    out = []
    for i in range(N):
        out.append(progress(gate, i))
        print("after", i, file=sys.stderr)
    print("issued")
    print(out)
    return out


def calls_of(schedule: Schedule, name: str) -> list[CallRecord]:
    calls = sorted(schedule.by_name(name), key=lambda c: c.call_id)
    assert calls, f"no call of {name} was recorded"
    return calls


def assert_all_overlap(calls: list[CallRecord]) -> None:
    for i, a in enumerate(calls):
        for b in calls[i + 1:]:
            assert a.overlaps(b), f"#{a.call_id} and #{b.call_id} did not overlap"


def assert_in_order(calls: list[CallRecord]) -> None:
    for earlier, later in itertools.pairwise(calls):
        assert earlier.finished is not None and later.started is not None
        assert later.started >= earlier.finished, f"#{later.call_id} overlapped #{earlier.call_id}"


def test_printing_calls_overlap_and_write_what_plain_python_writes(capsys) -> None:
    expected = printing_loop(gate_for(1))
    plain = capsys.readouterr()
    assert opportune.run(printing_loop, gate_for(N)) == expected
    ours = capsys.readouterr()
    assert (ours.out, ours.err) == (plain.out, plain.err)
    schedule = opportune.last_schedule()
    calls = calls_of(schedule, "progress")
    assert len(calls) == N and all(c.ok for c in calls)
    assert_all_overlap(calls)


def test_explain_no_longer_lists_printing_calls_as_waits(capsys) -> None:
    opportune.run_source(
        "rs = [progress(gate, i) for i in range(3)]\nprint(rs)\n",
        {"progress": progress, "gate": gate_for(N)}, explain=True,
    )
    reasons = [w.reason for w in opportune.last_schedule().waits]
    assert not any("progress" in r for r in reasons), reasons
    assert capsys.readouterr().out.endswith("[0, 10, 20]\n")


@opportune.external
def fragile(gate: threading.Barrier, i: int) -> int:
    print(f"checking {i}")
    gate.wait(timeout=20)
    if i == 1:
        print(f"{i} is broken", file=sys.stderr)
        raise ValueError(f"broken {i}")
    print(f"{i} is fine")
    return i


def failing_in_try(gate: threading.Barrier) -> list[str]:
    out = []
    for i in range(N):
        try:
            out.append(str(fragile(gate, i)))
        except ValueError as e:
            print("handled", e)
            out.append("x")
    return out


def test_a_call_that_fails_after_printing_shows_its_output_before_the_handler(capsys) -> None:
    """Plain Python prints what the call wrote before it raised, then runs the handler. (A
    call in a ``try`` body is settled as the body is left, so these do not overlap.)"""
    expected = failing_in_try(gate_for(1))
    plain = capsys.readouterr()
    assert opportune.run(failing_in_try, gate_for(1)) == expected
    ours = capsys.readouterr()
    assert (ours.out, ours.err) == (plain.out, plain.err)


def failing_uncaught(gate: threading.Barrier) -> list[int]:
    out = [fragile(gate, i) for i in range(N)]
    print("not reached", out)
    return out


def test_an_uncaught_failure_after_printing_ends_the_output_where_plain_python_does(
        capsys) -> None:
    with pytest.raises(ValueError, match="broken 1"):
        failing_uncaught(gate_for(1))
    plain = capsys.readouterr()
    with pytest.raises(ValueError, match="broken 1"):
        opportune.run(failing_uncaught, gate_for(N))
    ours = capsys.readouterr()
    assert (ours.out, ours.err) == (plain.out, plain.err)
    assert "2 is fine" not in ours.out  # the call after the failure ran, its output is dropped


def _print_part(text: str) -> None:
    print("  helper:", text)


@opportune.external
def outer(gate: threading.Barrier, i: int) -> int:
    _print_part(f"outer {i}")  # a helper the source analysis does not see: captured too
    gate.wait(timeout=20)
    return inner(i)  # runs in place on the worker, into the same capture


@opportune.external
def inner(i: int) -> int:
    print(f"  inner {i}")
    return i + 1


def nested(gate: threading.Barrier) -> list[int]:
    out = [outer(gate, i) for i in range(N)]
    print("issued")
    return out


def test_helpers_and_nested_externals_write_into_the_calls_capture(capsys) -> None:
    expected = nested(gate_for(1))
    plain = capsys.readouterr().out
    assert opportune.run(nested, gate_for(N)) == expected
    assert capsys.readouterr().out == plain
    assert_all_overlap(calls_of(opportune.last_schedule(), "outer"))


_ARRIVED: queue.SimpleQueue[str] = queue.SimpleQueue()


@opportune.external
async def ask(q: str) -> str:
    import asyncio

    print(f"asking {q}")
    _ARRIVED.put(q)
    for _ in range(4000):  # an event-loop barrier: every call has started
        if _ARRIVED.qsize() >= N:
            break
        await asyncio.sleep(0.005)
    print(f"answered {q}", file=sys.stderr)
    return q.upper()


def asking() -> list[str]:
    out = [ask(q) for q in ["a", "b", "c"]]
    print("asked")
    return out


def test_async_externals_print_into_their_task_capture(capsys) -> None:
    """Async calls share the loop thread: each task has its own capture (a ContextVar)."""
    while not _ARRIVED.empty():
        _ARRIVED.get()
    assert opportune.run(asking) == ["A", "B", "C"]
    ours = capsys.readouterr()
    assert ours.out == "asking a\nasking b\nasking c\nasked\n"
    assert ours.err == "answered a\nanswered b\nanswered c\n"
    assert_all_overlap(calls_of(opportune.last_schedule(), "ask"))


@opportune.external
def spawns_a_child(i: int) -> int:
    subprocess.run([sys.executable, "-c", "pass"], check=True)
    return i


def test_a_call_whose_output_cannot_be_captured_runs_in_program_order(capsys) -> None:
    """A child process writes to the file descriptors, below any capture: such calls wait, and
    --explain says why."""
    opportune.run_source("rs = [spawns_a_child(i) for i in range(2)]\n",
                         {"spawns_a_child": spawns_a_child}, explain=True)
    schedule = opportune.last_schedule()
    assert_in_order(calls_of(schedule, "spawns_a_child"))
    reasons = {w.reason for w in schedule.waits}
    assert any(r.startswith("external spawns_a_child reads stdin or writes to the terminal")
               for r in reasons), reasons


log = logging.getLogger("opportune-test-capture")


@opportune.external
def logs(i: int) -> int:
    log.warning("call %d", i)
    return i


def test_a_call_that_logs_while_a_handler_writes_to_a_file_runs_in_program_order(
        tmp_path: Path, capsys) -> None:
    handler = logging.FileHandler(tmp_path / "calls.log")
    log.addHandler(handler)
    try:
        opportune.run_source("rs = [logs(i) for i in range(3)]\n", {"logs": logs}, explain=True)
    finally:
        log.removeHandler(handler)
        handler.close()
    schedule = opportune.last_schedule()
    assert_in_order(calls_of(schedule, "logs"))
    assert any("logs and a logging handler writes to a file" in w.reason
               for w in schedule.waits)
    assert (tmp_path / "calls.log").read_text() == "call 0\ncall 1\ncall 2\n"


def redirected(gate: threading.Barrier) -> str:
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        progress(gate, 7)
    print("outside")
    return buf.getvalue()


def test_a_printing_call_made_while_the_program_redirects_stdout_writes_there(capsys) -> None:
    expected = redirected(gate_for(1))
    plain = capsys.readouterr()
    assert opportune.run(redirected, gate_for(1)) == expected == "tool 7 starts.. tool 7 ends\n"
    ours = capsys.readouterr()
    assert (ours.out, ours.err) == (plain.out, plain.err)


def from_a_thread(gate: threading.Barrier) -> list[int]:
    got: list[int] = []
    t = threading.Thread(target=lambda: got.append(progress(gate, 5)))
    t.start()
    t.join()
    print("joined")
    return got


def test_a_thread_the_user_started_writes_its_calls_output_at_once(capsys) -> None:
    """The call runs in place on that thread, as in plain Python; nothing is held back."""
    expected = from_a_thread(gate_for(1))
    plain = capsys.readouterr()
    assert opportune.run(from_a_thread, gate_for(1)) == expected
    ours = capsys.readouterr()
    assert (ours.out, ours.err) == (plain.out, plain.err)


def test_the_streams_get_their_own_methods_back_after_the_run(capsys) -> None:
    before = (sys.stdout, sys.stderr)
    opportune.run(printing_loop, gate_for(N))
    assert (sys.stdout, sys.stderr) == before
    assert "write" not in vars(sys.stdout) and "flush" not in vars(sys.stdout)
    assert not capture.is_routed(sys.stdout)


PROGRAM = textwrap.dedent('''
    import logging
    import sys
    import threading

    import opportune

    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s")
    log = logging.getLogger("tools")
    GATE = threading.Barrier(int(sys.argv[1]))

    @opportune.external
    def search(q: str) -> str:
        log.info("searching %s", q)
        GATE.wait(timeout=20)
        log.info("found %s", q)
        return q * 2

    print("start")
    hits = [search(q) for q in ["a", "b", "c"]]
    print(hits)
''')


def test_a_tool_logging_through_a_handler_made_before_the_run_overlaps(tmp_path: Path) -> None:
    """basicConfig's handler holds the real stderr object, made before any call: the routing is
    on that object, so its records are captured too. Run as a command: pytest's own logging
    handlers (which write to their own streams) would make such calls wait in process."""
    (tmp_path / "prog.py").write_text(PROGRAM)

    def run(*command: str) -> str:
        proc = subprocess.run([sys.executable, *command], check=False, cwd=tmp_path, text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=60)
        assert proc.returncode == 0, proc.stdout
        return proc.stdout

    plain = run("prog.py", "1")
    ours = run("-m", "opportune", "run", "--trace", "trace.json", "prog.py", "3")
    assert ours == plain
    events = json.loads((tmp_path / "trace.json").read_text())["traceEvents"]
    spans = [(e["ts"], e["ts"] + e["dur"]) for e in events
             if e["ph"] == "X" and e.get("cat") == "call"]
    assert len(spans) == 3
    assert max(start for start, _ in spans) < min(end for _, end in spans), spans


@opportune.external
def rate(text: str) -> int:
    meet("rate", text)  # armed below: the arm's condition comes once the read has started
    return len(text) * 7 % 11


@opportune.external(writes=("notes",))
def note(text: str) -> str:
    print("noting", text)
    return text


@opportune.external(reads=("notes",))
def read_notes(key: str) -> str:
    meet("read_notes", key)
    print("reading", key)
    return f"notes[{key}]"


def arm_then_printing_read(limit: int) -> tuple[str, str]:
    if rate("w") > limit:
        note("in the arm")
    got = read_notes("k")
    print("after the read")
    return got, str(limit)


@pytest.mark.parametrize("limit", [100, -1], ids=["kept", "made-again"])
def test_a_printing_read_run_before_an_arm_decides_writes_only_the_attempt_kept(
        capsys, limit: int) -> None:
    """A read may run before a deferred arm has decided (runtime/deferral.py); if the arm
    writes what it reads, the read is made again after it and the first attempt's output,
    like its result, is dropped."""
    expected = arm_then_printing_read(limit)
    plain = capsys.readouterr().out
    with overlapping(calls_to("rate", "w") | calls_to("read_notes", "k")):
        assert opportune.run(arm_then_printing_read, limit) == expected
    assert capsys.readouterr().out == plain
    (read,) = calls_of(opportune.last_schedule(), "read_notes")
    assert read.ran_past, "the read waited for the arm: the path under test was not taken"
    assert bool(read.redone_after) == (limit < 0)


# -- which externals' output can be captured, read from their source ---------------------------

def _prints() -> None:
    print("x")


def _writes() -> None:
    sys.stderr.write("x")


def _logs() -> None:
    log.info("x")


def _to_a_file(f: io.StringIO) -> None:
    print("x", file=f)


def _asks() -> str:
    return input("? ")


def _fd() -> None:
    import os

    os.write(1, b"x")


def _child() -> None:
    subprocess.run(["true"], check=True)


def _captured_child() -> None:
    subprocess.run(["true"], check=True, capture_output=True)


def _bytes() -> None:
    sys.stdout.buffer.write(b"x")


def _swaps() -> None:
    with contextlib.redirect_stdout(io.StringIO()):
        pass


@pytest.mark.parametrize(("fn", "expected"), [
    (_prints, {"prints"}), (_writes, {"prints"}), (_logs, {"prints", "logs"}),
    (_to_a_file, set()), (_captured_child, set()),
    (_asks, {"in order"}), (_fd, {"in order"}), (_child, {"in order"}),
    (_bytes, {"in order"}), (_swaps, {"in order"}),
])
def test_the_source_says_whether_output_can_be_captured(fn: Any, expected: set[str]) -> None:
    from opportune.runtime.externals import _output_use

    assert set(_output_use(fn)) == expected


# -- a running call whose turn has come writes as it runs ------------------------------------

@opportune.external
def first(done: threading.Event) -> str:
    print("first starts")
    done.wait(timeout=20)
    return "first"


@opportune.external
def second(done: threading.Event, out: io.StringIO) -> bool:
    print("second starts")
    done.set()
    for _ in range(4000):  # is its line out while it still runs?
        if "second starts" in out.getvalue():
            return True
        threading.Event().wait(0.005)
    return False


def two_calls(done: threading.Event, out: io.StringIO) -> tuple[str, bool]:
    a = first(done)
    b = second(done, out)
    return a, b


def test_a_call_writes_through_once_everything_before_it_has_finished() -> None:
    """``second`` writes while ``first`` runs (held back), lets ``first`` end, and then sees its
    own line in the output while it still runs, as under plain Python: its turn came."""
    done = threading.Event()
    done.set()
    plain = io.StringIO()
    with contextlib.redirect_stdout(plain):
        expected = two_calls(done, plain)
    ours = io.StringIO()
    with contextlib.redirect_stdout(ours):
        got = opportune.run(two_calls, threading.Event(), ours)
    assert got == expected == ("first", True)
    assert ours.getvalue() == plain.getvalue() == "first starts\nsecond starts\n"
    assert_all_overlap(calls_of(opportune.last_schedule(), "first")
                       + calls_of(opportune.last_schedule(), "second"))


@opportune.external
def leaf_prints(x: int) -> int:
    print("leaf", x)
    print("leaf note", x, file=sys.stderr)
    return x + 1


def inner_program(n: int) -> list[int]:
    out = [leaf_prints(n * 10 + i) for i in range(2)]
    print("inner done", n)
    return out


@opportune.external
def runs_a_program(gate: threading.Barrier, n: int) -> list[int]:
    print("outer", n)
    gate.wait(timeout=20)
    return opportune.run(inner_program, n)


def nesting(gate: threading.Barrier) -> list[list[int]]:
    out = [runs_a_program(gate, n) for n in range(N)]
    print("issued")
    print(out)
    return out


def test_a_run_started_inside_an_external_writes_into_that_calls_capture(capsys) -> None:
    """A tool that runs a program of its own (``opportune.run`` in its body): that run's output,
    its calls' and its own prints', is the tool's and lands at the tool's place."""
    expected = nesting(gate_for(1))
    plain = capsys.readouterr()
    assert opportune.run(nesting, gate_for(N)) == expected
    ours = capsys.readouterr()
    assert (ours.out, ours.err) == (plain.out, plain.err)
    assert_all_overlap(calls_of(opportune.last_schedule(), "runs_a_program"))
