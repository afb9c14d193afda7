"""Schedule tests: what overlapped and what waited for what, read from the recorded trace.

Each program runs in-process with :func:`opportune.run`; the assertions are about the recorded
:class:`opportune.Schedule` (start/finish order, dependencies, concurrency), never about how long
anything took. Every program's result is also compared with a plain call of the same function.
Calls a test expects to overlap are armed with :func:`core.overlap.overlapping`, so that they
overlap however slowly the machine runs the threads, or the test fails naming the call that
never started (tests/core/overlap.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

import opportune
from core.overlap import Key, calls_to, held_until_waited, meet, meet_async, overlapping
from opportune import CallRecord, Schedule

# A deadlocked run fails this one test instead of stalling the suite.
pytestmark = pytest.mark.timeout(60)

DELAY = 0.03


@opportune.external
def ext_llm(prompt: str) -> str:
    meet("ext_llm", prompt)
    time.sleep(DELAY)
    return f"<{prompt}>"


@opportune.external
def ext_score(text: str) -> int:
    meet("ext_score", text)
    time.sleep(DELAY)
    return len(text) * 7 % 11


@opportune.external(writes=("db",))
def ext_write_db(value: str) -> str:
    meet("ext_write_db", value)
    time.sleep(DELAY)
    return f"wrote {value}"


@opportune.external(reads=("db",))
def ext_read_db(key: str) -> str:
    meet("ext_read_db", key)
    time.sleep(DELAY)
    return f"db[{key}]"


@opportune.external(reads=("cache",))
def ext_read_cache(key: str) -> str:
    meet("ext_read_cache", key)
    time.sleep(DELAY)
    return f"cache[{key}]"


@opportune.external(max_concurrency=2)
def ext_limited(i: int) -> int:
    meet("ext_limited", i)
    time.sleep(DELAY)
    return i * 3


@opportune.external(max_concurrency=1000)
async def ext_async(i: int) -> int:
    await meet_async("ext_async", i)
    await asyncio.sleep(DELAY)
    return i


def run_both(fn: Callable[..., Any], *args: Any,
             overlap: Iterable[frozenset[Key]] = ()) -> tuple[Any, Schedule]:
    """Run under opportune, check the result equals plain Python's, return the schedule.

    Each group in ``overlap`` names calls that must run at the same time under opportune (see
    :func:`core.overlap.overlapping`); the plain run is not armed."""
    expected = fn(*args)
    with overlapping(*overlap):
        got = opportune.run(fn, *args)
    assert got == expected
    return got, opportune.last_schedule()


def calls_of(schedule: Schedule, name: str) -> list[CallRecord]:
    calls = sorted(schedule.by_name(name), key=lambda c: c.call_id)
    assert calls, f"no call of {name} was recorded"
    assert all(c.ok for c in calls), [c.error for c in calls]
    return calls


def assert_all_overlap(calls: list[CallRecord]) -> None:
    for i, a in enumerate(calls):
        for b in calls[i + 1:]:
            assert a.overlaps(b), f"#{a.call_id} and #{b.call_id} did not overlap: {a} {b}"


def assert_after(later: CallRecord, earlier: CallRecord) -> None:
    assert earlier.finished is not None and later.started is not None
    assert later.started >= earlier.finished, (
        f"#{later.call_id} started before #{earlier.call_id} finished"
    )


# -- independent calls overlap wherever they come from ---------------------------------------


def in_loop() -> list[str]:
    out = []
    for i in range(4):
        out.append(ext_llm(f"q{i}"))
    return out


def in_comprehension() -> list[str]:
    return [ext_llm(f"c{i}") for i in range(4)]


def in_generator_expression() -> str:
    return " ".join(ext_llm(f"g{i}") for i in range(4))


def _helper(topic: str) -> str:
    return ext_llm("about " + topic).upper()


def in_user_function() -> list[str]:
    return [_helper(t) for t in ["a", "b", "c", "d"]]


class _Agent:
    def __init__(self, name: str) -> None:
        self.name = name

    def ask(self, q: str) -> str:
        return ext_llm(f"{self.name}: {q}")


def in_method() -> list[str]:
    agents = [_Agent(n) for n in "wxyz"]
    return [a.ask("go") for a in agents]


def in_dict_comprehension() -> dict[str, int]:
    return {w: ext_score(w) for w in ["aa", "bbb", "c", "dddd"]}


def _yielding(prompts: list[str]) -> Iterable[str]:
    for p in prompts:
        yield ext_llm(p)


def in_generator_function() -> list[str]:
    """A generator carries a token a failing call could mark (runtime/generators.py): its
    calls still overlap."""
    answers = _yielding([f"y{i}" for i in range(4)])
    return [a for a in answers]


def in_kept_generator_expression() -> list[str]:
    pending = (ext_llm(f"k{i}") for i in range(4))
    return [next(pending) for _ in range(4)]


OVERLAP_CASES = [
    pytest.param(in_loop, "ext_llm", [f"q{i}" for i in range(4)], id="loop"),
    pytest.param(in_comprehension, "ext_llm", [f"c{i}" for i in range(4)],
                 id="list-comprehension"),
    pytest.param(in_generator_expression, "ext_llm", [f"g{i}" for i in range(4)],
                 id="generator-into-join"),
    pytest.param(in_user_function, "ext_llm", [f"about {t}" for t in "abcd"],
                 id="user-function"),
    pytest.param(in_method, "ext_llm", [f"{n}: go" for n in "wxyz"], id="method"),
    pytest.param(in_dict_comprehension, "ext_score", ["aa", "bbb", "c", "dddd"],
                 id="dict-comprehension"),
    pytest.param(in_generator_function, "ext_llm", [f"y{i}" for i in range(4)],
                 id="generator-function"),
    pytest.param(in_kept_generator_expression, "ext_llm", [f"k{i}" for i in range(4)],
                 id="kept-generator-expression"),
]


@pytest.mark.parametrize(("program", "name", "args"), OVERLAP_CASES)
def test_independent_calls_overlap(program: Callable[[], Any], name: str,
                                   args: list[str]) -> None:
    _, schedule = run_both(program, overlap=[calls_to(name, *args)])
    calls = calls_of(schedule, name)
    assert len(calls) == 4
    assert all(c.deps == () for c in calls), [c.deps for c in calls]
    assert_all_overlap(calls)


# -- dependencies ---------------------------------------------------------------------------


def chained() -> str:
    a = ext_llm("first")
    b = ext_llm(a + " then")
    c = ext_llm("independent")
    return b + c


def test_dependent_call_starts_after_its_input_and_records_it() -> None:
    _, schedule = run_both(chained, overlap=[calls_to("ext_llm", "first", "independent")])
    a, b, c = calls_of(schedule, "ext_llm")
    assert a.call_id in b.deps
    assert_after(b, a)
    assert c.deps == ()
    assert a.overlaps(c)


def writes_after_calls() -> list[str]:
    x = ext_llm("x")
    y = ext_score("yy")
    w = ext_write_db("v")
    z = ext_llm("after the write")
    return [x, str(y), w, z]


def test_write_waits_for_every_earlier_call() -> None:
    _, schedule = run_both(writes_after_calls, overlap=[
        calls_to("ext_write_db", "v") | calls_to("ext_llm", "after the write")])
    x, z = calls_of(schedule, "ext_llm")
    (y,) = calls_of(schedule, "ext_score")
    (w,) = calls_of(schedule, "ext_write_db")
    assert {x.call_id, y.call_id} <= set(w.deps)
    assert_after(w, x)
    assert_after(w, y)
    # A pure call after the write depends on nothing and need not wait for it.
    assert z.deps == ()
    assert z.started is not None and w.finished is not None and z.started < w.finished


def reads_and_writes() -> list[str]:
    w = ext_write_db("v1")
    r1 = ext_read_db("k1")
    r2 = ext_read_db("k2")
    other = ext_read_cache("k")
    return [w, r1, r2, other]


def test_read_waits_for_earlier_writes_of_the_same_resource_only() -> None:
    _, schedule = run_both(reads_and_writes, overlap=[
        calls_to("ext_read_db", "k1", "k2"),
        calls_to("ext_write_db", "v1") | calls_to("ext_read_cache", "k")])
    (w,) = calls_of(schedule, "ext_write_db")
    r1, r2 = calls_of(schedule, "ext_read_db")
    (other,) = calls_of(schedule, "ext_read_cache")
    assert w.call_id in r1.deps and w.call_id in r2.deps
    assert_after(r1, w)
    assert_after(r2, w)
    assert r1.overlaps(r2), "two reads of the same resource need not wait for each other"
    assert w.call_id not in other.deps
    assert other.overlaps(w), "a read of another resource need not wait for the write"


def many_limited() -> list[int]:
    return [ext_limited(i) for i in range(8)]


def test_max_concurrency_is_never_exceeded() -> None:
    _, schedule = run_both(many_limited, overlap=[calls_to("ext_limited", 0, 1)])
    calls = calls_of(schedule, "ext_limited")
    assert len(calls) == 8
    limited_only = Schedule(calls=calls)
    assert limited_only.max_concurrency() == 2


_serial_threads: list[int] = []


@opportune.external(max_concurrency=1)
def ext_serial(i: int) -> int:
    _serial_threads.append(threading.get_ident())
    meet("ext_serial", i)  # the first returns once the program waits: the others are issued
    return i


def test_held_back_calls_run_on_the_thread_their_predecessor_freed() -> None:
    def program() -> list[int]:
        return [ext_serial(i) for i in range(6)]

    _serial_threads.clear()
    with held_until_waited(calls_to("ext_serial", 0)):
        assert opportune.run(program) == list(range(6))
    calls = calls_of(opportune.last_schedule(), "ext_serial")
    assert len(calls) == 6
    assert Schedule(calls=calls).max_concurrency() == 1
    assert len(set(_serial_threads)) == 1, "a held-back call woke another worker thread"


def branch_on_pending() -> str:
    s = ext_score("decide")
    if s > 3:
        return ext_llm("then")
    return ext_llm("else")


def test_sync_calls_beyond_the_thread_limit_wait_for_a_free_thread(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("OPPORTUNE_THREADS", "2")

    def program() -> list[str]:
        return [ext_llm(f"p{i}") for i in range(6)]

    expected = program()
    with overlapping(calls_to("ext_llm", "p0", "p1")):
        assert opportune.run(program) == expected
    s = opportune.last_schedule()
    assert len(s.executed) == 6
    assert s.max_concurrency() == 2


def _answer_length(x: int) -> int:
    if x > 0:
        return len(ext_llm(f"q{x}"))  # waits for its own answer
    return 0


def _scored(x: int) -> int:
    return _answer_length(x) + 1 if x > 1 else _answer_length(x)


def test_function_of_atoms_reaching_an_external_through_another_function_still_overlaps() -> None:
    # _scored only does builtin operations and calls _answer_length, so it looks like a leaf;
    # that callee calls an external, so it must still run concurrently with the loop.
    def program() -> list[int]:
        return [_scored(i) for i in range(1, 5)]

    expected = program()
    with overlapping(calls_to("ext_llm", *(f"q{x}" for x in range(1, 5)))):
        assert opportune.run(program) == expected
    assert opportune.last_schedule().max_concurrency() == 4


def test_call_after_if_on_pending_value_waits_for_it() -> None:
    _, schedule = run_both(branch_on_pending)
    (s,) = calls_of(schedule, "ext_score")
    (t,) = calls_of(schedule, "ext_llm")
    assert s.finished is not None
    assert t.issued >= s.finished, "the branch was taken before its condition was known"
    assert len(schedule.executed) == 2, "a call on the branch not taken was made"


@opportune.external
def ext_sleepy(i: int) -> int:
    meet("ext_sleepy", i)
    time.sleep(0.01 * (5 - i))  # later calls finish first
    return i


def prints_in_order() -> None:
    vals = [ext_sleepy(i) for i in range(5)]
    for v in vals:
        print("value", v)
    print("done")


def test_prints_keep_program_order(capsys: pytest.CaptureFixture[str]) -> None:
    prints_in_order()
    expected = capsys.readouterr().out
    with overlapping(calls_to("ext_sleepy", *range(5))):
        opportune.run(prints_in_order)
    got = capsys.readouterr().out
    assert got == expected
    calls = calls_of(opportune.last_schedule(), "ext_sleepy")
    assert_all_overlap(calls)


# -- scale: many calls in flight without a thread per call ------------------------------------


def thousand_async() -> int:
    return sum([ext_async(i) for i in range(1000)])


def test_thousand_async_calls_in_flight_with_few_threads() -> None:
    peak = [threading.active_count()]
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            peak[0] = max(peak[0], threading.active_count())
            time.sleep(0.005)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        with overlapping(calls_to("ext_async", *range(1000))):
            result = opportune.run(thousand_async)
    finally:
        stop.set()
        sampler.join()
    assert result == sum(range(1000))
    schedule = opportune.last_schedule()
    assert len(calls_of(schedule, "ext_async")) == 1000
    assert schedule.max_concurrency() == 1000
    assert peak[0] < 40, f"{peak[0]} threads were alive during the run"


# -- the command line: --trace and --explain ---------------------------------------------------

# The tool returns only once the program waits for a call, so that the wait at the if is
# recorded however the machine's load delays the program (as tests/core/overlap.py does).
TRACE_PROGRAM = textwrap.dedent(
    """\
    import sys
    import threading
    import time
    import traceback

    import opportune


    @opportune.external
    def tool(x):
        # returns once the program waits (its main thread blocks), however late the OS runs it
        for _ in range(10000):
            frame = sys._current_frames().get(threading.main_thread().ident)
            if any(f.f_code.co_name == "wait" and f.f_code.co_filename == threading.__file__
                   for f, _ in traceback.walk_stack(frame)):
                break
            time.sleep(0.001)
        return x * 2


    a = tool(1)
    b = tool(a)
    c = tool(5)
    if c > 3:
        print(a, b, c)
    """
)
IF_LINE = TRACE_PROGRAM.splitlines().index("if c > 3:") + 1


def _opportune(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "opportune", "run", *args],
        check=False, cwd=cwd, capture_output=True, text=True, timeout=60,
    )


def test_trace_is_chrome_trace_format_with_tracks_and_flows(tmp_path: Path) -> None:
    (tmp_path / "prog.py").write_text(TRACE_PROGRAM)
    proc = _opportune("--trace", "trace.json", "prog.py", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "2 4 10\n"
    trace = json.loads((tmp_path / "trace.json").read_text())
    events = trace["traceEvents"]
    assert isinstance(events, list)
    for e in events:
        assert {"ph", "pid", "tid", "name"} <= set(e), e
        if e["ph"] != "M":
            assert isinstance(e["ts"], (int, float))
    calls = [e for e in events if e["ph"] == "X" and e.get("cat") == "call"]
    assert len(calls) == 3
    assert len({e["tid"] for e in calls}) == 3, "each call needs its own track"
    assert all(e["dur"] > 0 for e in calls)
    names = {e["tid"]: e["args"]["name"] for e in events
             if e["ph"] == "M" and e["name"] == "thread_name"}
    assert all(e["tid"] in names for e in calls), "every call track is named"
    starts = {e["id"]: e for e in events if e["ph"] == "s"}
    finishes = {e["id"]: e for e in events if e["ph"] == "f"}
    assert len(starts) == 1 and starts.keys() == finishes.keys(), "one flow: b depends on a"
    (flow,) = starts
    assert starts[flow]["ts"] <= finishes[flow]["ts"]
    by_ts = sorted(calls, key=lambda e: e["ts"])
    track_of_b = finishes[flow]["tid"]
    assert track_of_b != starts[flow]["tid"]
    assert track_of_b in {e["tid"] for e in by_ts}


def test_explain_names_the_places_the_program_waited(tmp_path: Path) -> None:
    (tmp_path / "prog.py").write_text(TRACE_PROGRAM)
    proc = _opportune("--explain", "prog.py", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "2 4 10\n"
    assert f"prog.py:{IF_LINE}" in proc.stderr, proc.stderr
    assert "waited" in proc.stderr


def test_summary_is_one_line_with_the_call_count(tmp_path: Path) -> None:
    (tmp_path / "prog.py").write_text(TRACE_PROGRAM)
    proc = _opportune("--summary", "prog.py", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "3 calls" in lines[0], proc.stderr


# -- values flow through local computation without forcing a wait -----------------------------


WORDS = ["a", "bb", "ccc", "dddd"]


def sum_of_generator() -> int:
    return sum(ext_score(w) for w in ["a", "bb", "ccc", "dddd"])


def max_of_list() -> int:
    return max([ext_score(w) for w in ["a", "bb", "ccc", "dddd"]])


def min_of_generator() -> int:
    return min(ext_score(w) for w in ["a", "bb", "ccc", "dddd"])


def sorted_generator() -> list[int]:
    return sorted(ext_score(w) for w in ["a", "bb", "ccc", "dddd"])


def list_of_generator() -> list[int]:
    return list(ext_score(w) for w in ["a", "bb", "ccc", "dddd"])  # noqa: C400 - the point


def set_of_generator() -> set[int]:
    return set(ext_score(w) for w in ["a", "bb", "ccc", "dddd"])  # noqa: C401 - the point


def dict_of_pairs() -> dict[str, int]:
    return dict((w, ext_score(w)) for w in ["a", "bb", "ccc", "dddd"])  # noqa: C402 - the point


CONSUMER_CASES = [
    pytest.param(fn, id=fn.__name__)
    for fn in (sum_of_generator, max_of_list, min_of_generator, sorted_generator,
               list_of_generator, set_of_generator, dict_of_pairs)
]


@pytest.mark.parametrize("program", CONSUMER_CASES)
def test_builtins_consuming_call_results_do_not_serialize_them(
    program: Callable[[], Any],
) -> None:
    _, schedule = run_both(program, overlap=[calls_to("ext_score", *WORDS)])
    calls = calls_of(schedule, "ext_score")
    assert len(calls) == 4
    assert_all_overlap(calls)


class _Message:
    def __init__(self, content: str) -> None:
        self.content = content


class _Choice:
    def __init__(self, message: _Message) -> None:
        self.message = message


class _Completion:
    """Shaped like an OpenAI chat completion."""

    def __init__(self, text: str) -> None:
        self.choices = [_Choice(_Message(text))]


@opportune.external
def ext_complete(prompt: str) -> _Completion:
    meet("ext_complete", prompt)
    time.sleep(DELAY)
    return _Completion(prompt[::-1])


def attribute_chain_then_calls() -> list[int]:
    texts = [ext_complete(p).choices[0].message.content for p in ["ab", "cde", "f"]]
    return [ext_score(t + "!") for t in texts]


def test_attribute_chains_flow_without_waiting() -> None:
    _, schedule = run_both(attribute_chain_then_calls,
                           overlap=[calls_to("ext_complete", "ab", "cde", "f")])
    completions = calls_of(schedule, "ext_complete")
    scores = calls_of(schedule, "ext_score")
    assert_all_overlap(completions)
    for completion, score in zip(completions, scores):
        assert score.deps == (completion.call_id,)
        assert_after(score, completion)


@dataclass
class _Note:
    text: str
    weight: int = 1


def dataclass_flow() -> list[int]:
    notes = [_Note(ext_llm(f"n{i}")) for i in range(4)]
    return [ext_score(n.text) * n.weight for n in notes]


def test_values_flow_through_dataclass_constructors() -> None:
    _, schedule = run_both(dataclass_flow, overlap=[calls_to("ext_llm", "n0", "n1", "n2", "n3")])
    llms = calls_of(schedule, "ext_llm")
    scores = calls_of(schedule, "ext_score")
    assert_all_overlap(llms)
    assert [s.deps for s in scores] == [(c.call_id,) for c in llms]


# -- branches on pending values: speculate only where an untaken arm leaves no trace -------


@dataclass
class _Rated:
    word: str
    score: int


class _WithProperty:
    reads = 0

    @property
    def note(self) -> str:
        _WithProperty.reads += 1
        return "read"


def keep_best_numbers() -> str | None:
    best, arg = -1, None
    for w in ["aa", "bbb", "c", "dddd"]:
        s = ext_score(w)
        if s > best:
            best, arg = s, w
    return arg


def keep_best_records() -> str:
    best = _Rated("", -1)
    for w in ["aa", "bbb", "c", "dddd"]:
        r = _Rated(w, ext_score(w))
        if r.score > best.score:
            best = r
    return best.word


def keep_best_reading_a_property() -> str:
    holder, note = _WithProperty(), ""
    best = -1
    for w in ["aa", "bbb", "c", "dddd"]:
        s = ext_score(w)
        if s > best:
            best, note = s, holder.note
    return note


@pytest.mark.parametrize("program", [keep_best_numbers, keep_best_records],
                         ids=["numbers", "dataclass-records"])
def test_keep_best_loop_over_plain_data_does_not_wait_for_each_answer(
        program: Callable[[], Any]) -> None:
    _, schedule = run_both(program, overlap=[calls_to("ext_score", "aa", "bbb", "c", "dddd")])
    calls = calls_of(schedule, "ext_score")
    assert len(calls) == 4
    assert_all_overlap(calls)


def test_branch_arm_reading_a_property_waits_for_its_condition() -> None:
    _WithProperty.reads = 0
    result, schedule = run_both(keep_best_reading_a_property)
    assert result == "read"
    calls = sorted(calls_of(schedule, "ext_score"), key=lambda c: c.issued)
    for earlier, later in zip(calls, calls[1:]):
        assert earlier.finished is not None and later.issued >= earlier.finished, \
            "the arm ran before its condition was known, so its property could run untaken"
    # run_both ran the program twice (plain, then opportune); 2 of the 4 scores (3, 10, 7, 6)
    # improve the best, so the property ran exactly twice per run
    assert _WithProperty.reads == 4


# -- if statements whose arms make calls: the chosen arm runs once its condition is known -----


def fallback_then_independent() -> tuple[str, str]:
    best = None
    for w in ["aa", "bbb"]:
        if ext_score(w) > 100:  # never: ext_score is below 11
            best = w
    if best is None:
        best = ext_llm("fallback")
    other = ext_llm("independent")
    return best, other


def test_code_after_an_if_with_calls_does_not_wait_for_its_condition() -> None:
    _, schedule = run_both(fallback_then_independent, overlap=[
        calls_to("ext_score", w) | calls_to("ext_llm", "independent") for w in ["aa", "bbb"]])
    scores = calls_of(schedule, "ext_score")
    fallback, independent = calls_of(schedule, "ext_llm")  # the arm sorts first in program order
    for s in scores:
        assert independent.overlaps(s), "the call after the if waited for its condition"
        assert_after(fallback, s)  # the arm's call was made only once the condition was known
    assert {s.call_id for s in scores} <= set(fallback.deps)
    assert independent.deps == ()


def arm_writes_then_reads() -> tuple[str, str, str]:
    if ext_score("w") >= 0:
        ext_write_db("in the arm")
    db = ext_read_db("k")
    cache = ext_read_cache("k")
    return db, cache, ext_llm("pure")


def test_deferred_arm_orders_only_the_resources_it_writes() -> None:
    _, schedule = run_both(arm_writes_then_reads, overlap=[
        calls_to("ext_score", "w") | calls_to("ext_read_cache", "k")])
    (write,) = calls_of(schedule, "ext_write_db")
    (read_db,) = calls_of(schedule, "ext_read_db")
    (read_cache,) = calls_of(schedule, "ext_read_cache")
    (score,) = calls_of(schedule, "ext_score")
    assert_after(read_db, write)  # a reader of the resource the arm writes waits for it
    assert read_cache.overlaps(score), "a reader of another resource waited for the arm"


def arm_skips_write_then_reads() -> tuple[str, str]:
    if ext_score("w") > 100:  # never: ext_score is below 11
        ext_write_db("in the arm")
    db = ext_read_db("k")
    return db, ext_llm(db)


def test_read_runs_before_a_deferred_arm_decides_and_is_kept_when_it_does_not_write() -> None:
    _, schedule = run_both(arm_skips_write_then_reads, overlap=[
        calls_to("ext_score", "w") | calls_to("ext_read_db", "k")])
    (score,) = calls_of(schedule, "ext_score")
    (read,) = calls_of(schedule, "ext_read_db")
    (llm,) = calls_of(schedule, "ext_llm")
    assert read.overlaps(score), "the read waited for the arm's condition"
    assert read.ran_past and not read.redone_after and read.first_attempt is None
    # Nothing built from the read starts before the arm has decided: the answer is given
    # out only once it is known that the arm did not write.
    assert_after(llm, score)
    assert "none wrote what it reads, so its result was kept" in schedule.explain()


def test_read_is_made_again_after_a_deferred_arm_that_writes_what_it_reads() -> None:
    _, schedule = run_both(arm_writes_then_reads, overlap=[
        calls_to("ext_score", "w") | calls_to("ext_read_db", "k")])
    (score,) = calls_of(schedule, "ext_score")
    (write,) = calls_of(schedule, "ext_write_db")
    (read,) = calls_of(schedule, "ext_read_db")
    assert read.redone_after == read.ran_past
    assert read.first_attempt is not None
    assert read.first_attempt[0] < score.finished  # the discarded attempt ran early
    assert_after(read, write)  # the kept one was made after the write
    assert "made again after them" in schedule.explain()


def arm_fails_then_reads() -> str:
    names: list[str] = []
    try:
        if ext_score("w") >= 0:
            ext_write_db(names[1])  # IndexError before any write
        return ext_read_db("k")
    except IndexError:
        return "caught"


def test_read_after_an_arm_that_fails_before_writing_is_not_made_again() -> None:
    result, schedule = run_both(arm_fails_then_reads, overlap=[
        calls_to("ext_score", "w") | calls_to("ext_read_db", "k")])
    assert result == "caught"
    assert not schedule.by_name("ext_write_db")
    (read,) = calls_of(schedule, "ext_read_db")
    assert read.ran_past and not read.redone_after


def arm_writes_elsewhere_then_reads() -> str:
    if ext_score("w") >= 0:
        ext_write_db("in the arm")
    return ext_read_cache("k")


def test_read_of_another_resource_does_not_speculate() -> None:
    _, schedule = run_both(arm_writes_elsewhere_then_reads)
    (read,) = calls_of(schedule, "ext_read_cache")
    assert not read.ran_past  # it never waited for the arm in the first place


class _Row:
    def __init__(self, key: int, value: str) -> None:
        self.key = key
        self.value = value

    def __repr__(self) -> str:
        return f"_Row({self.key}, {self.value!r})"


_ROWS = [_Row(1, "a"), _Row(2, "b")]


def _store_row(key: int, value: str) -> None:
    for row in _ROWS:
        if row.key == key:
            row.value = value


@opportune.external(reads=("rows",))
def ext_rows() -> list[_Row]:
    time.sleep(DELAY)
    return list(_ROWS)


@opportune.external(writes=("rows",), changes_read_results=True)
def ext_update_row(key: int, value: str) -> str:
    time.sleep(DELAY)
    _store_row(key, value)
    return f"updated {key}"


def update_in_arm_then_other_work() -> tuple[Any, str, str]:
    rows = ext_rows()
    ext_llm(str(rows))
    done = ext_update_row(1, "z") if ext_score("u") >= 0 else None
    other = ext_llm("independent")
    return done, other, ext_llm(str(rows))


def test_update_of_read_results_in_an_arm_lets_the_program_go_on() -> None:
    _ROWS[0].value = "a"
    expected = update_in_arm_then_other_work()
    _ROWS[0].value = "a"
    with overlapping(calls_to("ext_llm", "independent") | calls_to("ext_score", "u")):
        got = opportune.run(update_in_arm_then_other_work)
    assert got == expected
    schedule = opportune.last_schedule()
    _, other, after = calls_of(schedule, "ext_llm")
    (score,) = calls_of(schedule, "ext_score")
    (update,) = calls_of(schedule, "ext_update_row")
    assert other.overlaps(score), "the work after the arm waited for its condition"
    assert_after(update, score)
    assert_after(after, update)  # the later look at the rows came after the change
    assert "'z'" in got[2]


def arm_appends_to_a_list() -> list[str]:
    items: list[str] = []
    for w in ["aa", "bbb"]:
        if ext_score(w) >= 0:
            items.append(ext_llm(w))
    return items


def test_arm_that_changes_a_list_waits_for_its_condition() -> None:
    result, _ = run_both(arm_appends_to_a_list)
    assert result == ["<aa>", "<bbb>"]


def loop_over_pending_then_independent() -> tuple[int, str]:
    total = 0
    for w in ext_llm("a b c").split():  # a list still being computed
        total = total + ext_score(w)
    return total, ext_llm("independent")


def test_code_after_a_loop_over_a_pending_list_does_not_wait_for_it() -> None:
    _, schedule = run_both(loop_over_pending_then_independent, overlap=[
        calls_to("ext_llm", "a b c", "independent"), calls_to("ext_score", "<a", "b", "c>")])
    first, independent = calls_of(schedule, "ext_llm")
    scores = calls_of(schedule, "ext_score")
    assert len(scores) == 3
    assert independent.overlaps(first), "the call after the loop waited for its list"
    for s in scores:
        assert_after(s, first)  # the loop ran once its list was known
    assert_all_overlap(scores)


NESTED_COMPREHENSION = """\
import time
import opportune


@opportune.external
def answer(word):
    meet("answer", word)
    time.sleep(0.03)
    return word + "-x-y"


def expand(word):
    return [line for line in answer(word).split("-") if line]


parts = [part for w in ["ab", "cd", "ef"] for part in expand(w)]
"""


def test_nested_comprehension_makes_every_inner_call_before_taking_items() -> None:
    plain: dict[str, Any] = {"meet": meet}
    exec(compile(NESTED_COMPREHENSION, "<plain>", "exec"), plain)  # noqa: S102
    with overlapping(calls_to("answer", "ab", "cd", "ef")):
        namespace = opportune.run_source(NESTED_COMPREHENSION, {"meet": meet},
                                         filename="<nested>")
    assert namespace["parts"] == plain["parts"]
    calls = calls_of(opportune.last_schedule(), "answer")
    assert len(calls) == 3
    assert_all_overlap(calls)  # not one answer at a time


TRY_WITH_PROGRAM = '''\
import sys
import threading
import time
import traceback

import opportune


@opportune.external
def slow(x):
    # returns once the program waits (its main thread blocks), however late the OS runs it
    for _ in range(10000):
        frame = sys._current_frames().get(threading.main_thread().ident)
        if any(f.f_code.co_name == "wait" and f.f_code.co_filename == threading.__file__
               for f, _ in traceback.walk_stack(frame)):
            break
        time.sleep(0.001)
    return x


a = slow(1)
try:
    b = slow(2)
finally:
    pass
with open(__file__) as f:
    c = slow(3)
print(a, b, c)
'''


def test_explain_names_the_last_line_of_a_settled_try_or_with_body(tmp_path: Path) -> None:
    (tmp_path / "prog.py").write_text(TRY_WITH_PROGRAM)
    proc = _opportune("--explain", "prog.py", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "1 2 3\n"
    lines = TRY_WITH_PROGRAM.splitlines()
    for last in ("    b = slow(2)", "    c = slow(3)"):
        assert f"prog.py:{lines.index(last) + 1}: waited" in proc.stderr, proc.stderr
    assert "prog.py:1:" not in proc.stderr


class _Tally:
    def __init__(self) -> None:
        self.total = 0

    @opportune.external
    def add(self, x: int) -> int:
        time.sleep(0.005)
        self.total += x
        return self.total

    @opportune.external
    def look(self, x: int) -> int:
        time.sleep(0.005)
        return self.total + x

    @opportune.external(mutates=False)
    def add_on_a_copy(self, x: int) -> int:
        self.total += x
        return x


def test_external_method_that_changes_its_object_gets_the_real_object() -> None:
    from opportune.runtime.externals import spec_of

    assert spec_of(_Tally.add).mutates is True  # type: ignore[union-attr]
    assert spec_of(_Tally.look).mutates is False  # type: ignore[union-attr]
    assert spec_of(_Tally.add_on_a_copy).mutates is False  # type: ignore[union-attr]

    def program() -> tuple[int, int, int]:
        t = _Tally()
        a, b = t.add(2), t.add(3)
        return a, b, t.total

    assert opportune.run(program) == program() == (2, 5, 5)


@opportune.external
def _ext_remember(query: str, into: list[str] | None = None) -> str:
    meet("_ext_remember", query)
    time.sleep(0.02)
    if into is not None:
        into.append(query)
    return query.upper()


def remembering() -> tuple[list[str], list[str]]:
    found: list[str] = []
    first = [_ext_remember(q, found) for q in ("a", "b")]
    rest = [_ext_remember(q) for q in ("c", "d", "e")]
    return first + rest, found


def test_external_that_changes_its_argument_waits_only_when_given_one() -> None:
    from opportune.runtime.externals import spec_of

    assert spec_of(_ext_remember).changed_params == ((1, "into"),)  # type: ignore[union-attr]
    result, schedule = run_both(remembering, overlap=[calls_to("_ext_remember", "c", "d", "e")])
    assert result == (["A", "B", "C", "D", "E"], ["a", "b"])
    calls = calls_of(schedule, "_ext_remember")
    given, not_given = calls[:2], calls[2:]
    assert_after(given[1], given[0])  # the program waited for the call that changes `found`
    assert_after(not_given[0], given[1])
    assert_all_overlap(not_given)  # without a list to change, the calls overlap


@dataclass
class _Analysis:
    service: str | None
    score: int


@opportune.external
def ext_analyse(text: str) -> _Analysis:
    meet("ext_analyse", text)
    time.sleep(0.02)
    return _Analysis(service=text.upper(), score=len(text))


def lower_services() -> list[str]:
    return [ext_analyse(t).service.lower() for t in ["ab", "cd", "ef"]]


def test_methods_on_optional_str_fields_of_pending_results_stay_lazy() -> None:
    _, schedule = run_both(lower_services, overlap=[calls_to("ext_analyse", "ab", "cd", "ef")])
    calls = calls_of(schedule, "ext_analyse")
    assert len(calls) == 3
    assert_all_overlap(calls)


# ``count = len(log)`` keeps the statement a ``try`` as written: a body of a call and what
# cannot raise would become a branch on the call's outcome (compiler/tries.py)
_TRY_CHANGE = '''
log = []
try:
    answer = ext_llm("q")
    log.append("seen")
    count = len(log)
except ValueError:
    pass
'''


def test_change_in_a_try_body_waits_for_its_calls_and_says_why() -> None:
    """``log.append`` in a try body after a call waits for it (if it failed, plain Python never
    appended), and --explain names the reason."""
    with held_until_waited(calls_to("ext_llm", "q")):
        namespace = opportune.run_source(_TRY_CHANGE, {"ext_llm": ext_llm}, explain=True)
    assert namespace["log"] == ["seen"]
    waits = opportune.last_schedule().waits
    reasons = [w.reason for w in waits]
    assert any(r.startswith("inside a try or with block: a change to an object waits") for r in
               reasons), reasons
    (call,) = calls_of(opportune.last_schedule(), "ext_llm")
    change = next(w for w in waits if w.reason.startswith("inside a try or with block"))
    assert call.call_id in change.waited_for


_NO_WAIT_OUTSIDE_TRY = '''
log = []
answers = [ext_llm(f"q{i}") for i in range(3)]
log.append("seen")
'''


def test_change_outside_a_try_body_does_not_wait() -> None:
    opportune.run_source(_NO_WAIT_OUTSIDE_TRY, {"ext_llm": ext_llm}, explain=True)
    reasons = [w.reason for w in opportune.last_schedule().waits]
    assert not any(r.startswith("inside a try") for r in reasons), reasons


def _answers_in_a_file(path: str) -> list[str]:
    answers = []
    with open(path, "w") as f:
        for i in range(4):
            a = ext_llm(f"q{i}")
            answers.append(a)
    return answers


def test_calls_in_a_with_open_body_overlap_with_the_changes_after_them(tmp_path: Path) -> None:
    """A file's ``__exit__`` neither swallows a failure nor reads program objects, so
    ``answers.append`` need not wait for the call before it (runtime/managers.py)."""
    _, schedule = run_both(_answers_in_a_file, str(tmp_path / "out.txt"),
                           overlap=[calls_to("ext_llm", "q0", "q1", "q2", "q3")])
    calls = calls_of(schedule, "ext_llm")
    assert len(calls) == 4
    assert_all_overlap(calls)
    assert not any(w.reason.startswith("inside a try or with block") for w in schedule.waits)


class _Swallow:
    def __enter__(self) -> "_Swallow":
        return self

    def __exit__(self, *exc: object) -> bool:
        return True


def _answers_in_a_swallowing_with() -> list[str]:
    answers = []
    with _Swallow():
        for i in range(3):
            answers.append(ext_llm(f"q{i}"))
    return answers


def test_a_manager_of_the_program_still_holds_back_changes_in_its_body() -> None:
    """An ``__exit__`` of the program's own may swallow the failure and look at the list, so
    each ``append`` waits for the call before it, as the explain output says."""
    _, schedule = run_both(_answers_in_a_swallowing_with)
    calls = calls_of(schedule, "ext_llm")
    assert len(calls) == 3
    for earlier, later in zip(calls, calls[1:]):
        assert_after(later, earlier)


def _names_bound_in_a_suppressing_with() -> tuple[str, int]:
    last = ""
    count = 0
    with contextlib.suppress(ValueError):
        for i in range(4):
            last = ext_llm(f"q{i}")
            count += 1
    return last, count


def _names_bound_in_a_try_finally() -> tuple[str, int]:
    last = ""
    count = 0
    try:
        for i in range(4):
            last = ext_llm(f"q{i}")
            count += 1
    finally:
        count += 10
    return last, count


@pytest.mark.parametrize("fn", [_names_bound_in_a_suppressing_with, _names_bound_in_a_try_finally])
def test_names_journaled_in_a_suppressing_with_or_try_finally_keep_the_calls_overlapping(
        fn: Callable[[], tuple[str, int]]) -> None:
    """The body's bindings are journaled so that a suppressed failure or a ``finally`` can put
    them back (compiler/rollback.py); with no failure that costs no wait: the calls of a loop
    that rebinds names in such a body still overlap."""
    _, schedule = run_both(fn, overlap=[calls_to("ext_llm", "q0", "q1", "q2", "q3")])
    calls = calls_of(schedule, "ext_llm")
    assert len(calls) == 4
    assert_all_overlap(calls)


def _yielded_in_a_with_open_body(path: str):
    with open(path) as f:
        for i in range(4):
            yield ext_llm(f"{f.name}{i}")


def _collect_yielded(path: str) -> list[str]:
    return list(_yielded_in_a_with_open_body(path))


def test_a_generator_yielding_calls_in_a_with_open_body_keeps_them_overlapping() -> None:
    """A ``yield`` in a ``try`` or ``with`` body settles the body's calls only where a change
    would (the store guard's wait): an inert manager with no ``try`` around lets the calls of
    the loop that yields them overlap."""
    _, schedule = run_both(_collect_yielded, __file__,
                           overlap=[calls_to("ext_llm", *(f"{__file__}{i}" for i in range(4)))])
    calls = calls_of(schedule, "ext_llm")
    assert len(calls) == 4
    assert_all_overlap(calls)


@opportune.external
def ext_chatty(city: str) -> str:
    meet("ext_chatty", city)
    print(f"asking about {city}")
    time.sleep(DELAY)
    return city.upper()


def chatty_then_quiet() -> list[str]:
    loud = [ext_chatty(c) for c in ["oslo", "rome"]]
    quiet = [ext_llm(c) for c in ["oslo", "rome", "lima"]]
    return loud + quiet


def test_an_external_that_prints_overlaps_and_its_output_keeps_program_order(capsys) -> None:
    """Its output is captured per call and written at the call's place (runtime/capture.py,
    p351), so its calls overlap like any other; the program no longer waits for them."""
    _, schedule = run_both(chatty_then_quiet, overlap=[
        calls_to("ext_chatty", "oslo", "rome"), calls_to("ext_llm", "oslo", "rome", "lima")])
    assert_all_overlap(calls_of(schedule, "ext_chatty"))
    assert_all_overlap(calls_of(schedule, "ext_llm"))
    assert capsys.readouterr().out == "asking about oslo\nasking about rome\n" * 2
    opportune.run_source("a = ext_llm('x')\nb = ext_chatty('y')\n",
                         {"ext_llm": ext_llm, "ext_chatty": ext_chatty}, explain=True)
    reasons = [w.reason for w in opportune.last_schedule().waits]
    assert not any("ext_chatty" in r for r in reasons), reasons
    assert capsys.readouterr().out == "asking about y\n"


SETTINGS = {"model": "small"}


@opportune.external
def ext_configured(prompt: str) -> str:
    meet("ext_configured", prompt)
    time.sleep(DELAY)
    return f"{prompt}@{SETTINGS['model']}"


def settings_changed_after_calls() -> list[str]:
    answers = [ext_configured(q) for q in ["a", "b", "c"]]
    SETTINGS["model"] = "big"
    answers.append(ext_configured("d"))
    SETTINGS["model"] = "small"
    return answers


def test_a_change_to_a_global_an_external_reads_waits_for_it() -> None:
    """Calls reading a module-level dict overlap; changing the dict waits for them, so each
    sees the settings of its call (p352)."""
    answers, schedule = run_both(settings_changed_after_calls,
                                 overlap=[calls_to("ext_configured", "a", "b", "c")])
    assert answers == ["a@small", "b@small", "c@small", "d@big"]
    *first, last = calls_of(schedule, "ext_configured")
    assert_all_overlap(first)
    for call in first:
        assert_after(last, call)


_CACHED_CALLS = '''
import functools


@functools.lru_cache(maxsize=None)
def cached(q):
    return ext_llm(q)


class Agent:
    @functools.cache
    def ask(self, q):
        return ext_llm("agent " + q)


agent = Agent()
answers = [cached(q) for q in ["a", "b", "c", "a"]]
asked = [agent.ask(q) for q in ["x", "y"]]
same = answers[3] is answers[0]
info = tuple(cached.cache_info())
'''


def test_calls_through_lru_cache_overlap_and_a_repeated_key_makes_no_call() -> None:
    """A function of the program wrapped by ``functools.lru_cache`` (or ``functools.cache``, a
    method too) is no longer library code that waits for every call before it: the three
    distinct keys' calls and the method's overlap, the repeated key returns the same object
    without a fourth call, and ``cache_info()`` reads as in plain Python
    (runtime/caches.py)."""
    plain: dict[str, Any] = {"ext_llm": ext_llm}
    exec(compile(_CACHED_CALLS, "<plain>", "exec"), plain)  # noqa: S102
    with overlapping(calls_to("ext_llm", "a", "b", "c", "agent x", "agent y")):
        namespace = opportune.run_source(_CACHED_CALLS, {"ext_llm": ext_llm},
                                         filename="<cached>", explain=True)
    assert namespace["answers"] == plain["answers"]
    assert namespace["same"] is True
    assert namespace["info"] == plain["info"] == (1, 3, None, 3)
    calls = calls_of(opportune.last_schedule(), "ext_llm")
    assert len(calls) == 5  # "a" a second time is a hit: no call
    assert_all_overlap(calls)
    reasons = [w.reason for w in opportune.last_schedule().waits]
    assert not any("may have effects" in r for r in reasons), reasons


_CACHED_RETRY = '''
import functools


@functools.lru_cache(maxsize=None)
def cached(q):
    return flaky(q)


seen = []
for attempt in range(3):
    try:
        answer = cached("q")
        break
    except ConnectionError as e:
        seen.append((str(e), tuple(cached.cache_info())))
info = tuple(cached.cache_info())
'''


def test_a_failed_call_through_lru_cache_is_not_cached_and_the_retry_calls_again() -> None:
    """Inside a ``try`` body the wrapper runs in program order, so a call that fails raises
    inside it and is not stored: the retry makes a new call, as in plain Python."""
    failed: set[str] = set()

    @opportune.external
    def flaky(q: str, _failed: set[str] = failed) -> str:
        # the set is the default's: the call changes nothing the program reads, so the
        # program does not wait for it at the call
        if q not in _failed:
            _failed.add(q)
            raise ConnectionError(f"first try of {q} failed")
        return q.upper()

    plain: dict[str, Any] = {"flaky": flaky}
    exec(compile(_CACHED_RETRY, "<plain>", "exec"), plain)  # noqa: S102
    failed.clear()
    namespace = opportune.run_source(_CACHED_RETRY, {"flaky": flaky}, filename="<retry>")
    for name in ("answer", "seen", "info"):
        assert namespace[name] == plain[name], name
    assert namespace["info"] == (0, 2, None, 1)
