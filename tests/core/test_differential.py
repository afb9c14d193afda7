"""Differential tests: every program in ``programs/`` behaves the same under opportune.

Each program runs twice as a real subprocess from the programs folder: once as
``python FILE ARGS`` (the reference) and once as ``python -m opportune run FILE ARGS``. The two
runs must agree on stdout (exactly), the exit status, and stderr: exactly when the reference
printed no traceback, otherwise the text before the traceback, the fact that it is a traceback,
and its final line (exception type and message).

The table below is the only place a program needs an entry, and only when it is special: it
takes arguments, its stdout and stderr are compared as one merged stream, its whole traceback
is compared (frames and chain, not only the last line), or it is a known
difference (a strict xfail whose reason says what differs). See docs/testing.md.
"""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

PROGRAMS = Path(__file__).parent / "programs"
TIMEOUT_S = 30
TRACEBACK = "Traceback (most recent call last):"


@dataclass(frozen=True)
class Case:
    """How one program is run; the defaults fit most programs."""

    args: tuple[str, ...] = ()
    merged: bool = False  # compare stdout+stderr as one stream (interleaving matters)
    xfail: str | None = None  # a known difference: what differs, in one line
    # compiled in stages, as run_source compiles: with the compile cache off (compiler/stages.py)
    staged: bool = False
    # compare stderr exactly, a traceback's frames and chain included, not only its last line
    whole_traceback: bool = False


SPECIAL: dict[str, Case] = {
    "p061_argv.py": Case(args=("alpha", "two words", "--flag=3")),
    "p063_stderr_interleaved.py": Case(merged=True),
    "p064_stderr_interleaved_calls.py": Case(merged=True),
    "p481_tool_logs_through_logging.py": Case(merged=True),
    "p484_stdout_and_stderr_interleaved_in_tools.py": Case(merged=True),
    "p487_tool_writes_to_file_descriptor.py": Case(merged=True),
    "p544_tools_warn_once.py": Case(merged=True),
    "p546_generator_external_runs_where_iterated.py": Case(merged=True),
    "p574_logging_from_program_and_tools_interleaved.py": Case(merged=True),
    "p697_manager_entered_after_a_failed_call_sees_it_escape.py": Case(xfail=(
        "the __exit__ of a manager entered after a failed call is called with the failure "
        "escaping its body; plain Python never entered the with (docs/design.md, Known "
        "limits)")),
    "p871_exception_init_prints_in_a_concurrent_function.py": Case(xfail=(
        "a function run concurrently (spawn) that raises loses the output it queued before "
        "raising (here from the exception's __init__): the failure's origin is the call's own "
        "number, so meeting it drops everything the function printed")),
    **{name: Case(whole_traceback=True) for name in (
        "p536_exit_after_a_failed_pending_call.py",
        "p538_own_error_after_a_failed_pending_call.py",
        "p693_thread_of_the_program_ends_by_a_failing_call.py",
        "p813_uncaught_failure_of_a_derived_value_with_its_frames.py",
        "p816_writelines_runs_the_programs_generator_first.py",
    )},
    **{name: Case(staged=True) for name in (
        "p490_stage_exception_crosses_stages.py",
        "p491_stage_inside_if_else_arms.py",
        "p492_stage_around_try_at_module_level.py",
        "p493_stage_after_with_and_for.py",
        "p494_stage_functions_defined_later.py",
        "p495_stage_traceback_lines.py",
        "p496_stage_deferred_arm_binds_names.py",
        "p497_stage_namespace_views.py",
        "p498_stage_nested_ifs_and_uncaught.py",
        "p499_stage_loop_of_stages_and_print_order.py",
        "p500_stage_rebinds_a_name_an_earlier_stage_reads.py",
        "p529_stage_formatted_traceback.py",
        "p648_stage_module_level_collect_across_stages.py",
        "p832_stage_module_level_try_branches.py",
    )},
}


def _names() -> list[str]:
    return sorted(p.name for p in PROGRAMS.glob("p[0-9][0-9][0-9]_*.py"))


NAMES = _names()


@dataclass(frozen=True)
class Outcome:
    status: int
    stdout: str
    stderr: str


def _environment() -> dict[str, str]:
    """The programs' environment, taken once, at collection, in the main thread.

    The programs run on pool threads while pytest goes on with other tests in the main thread,
    and pytest sets and deletes ``PYTEST_CURRENT_TEST`` around every test (``monkeypatch.setenv``
    changes others): ``dict(os.environ)`` on a pool thread could list a key the main thread then
    deleted (``KeyError: 'PYTEST_CURRENT_TEST'``), or hand a program another test's setting.
    """
    env = dict(os.environ)
    env.pop("PYTEST_CURRENT_TEST", None)
    env.pop("OPPORTUNE_THREADS", None)
    env["PYTHONHASHSEED"] = "0"  # set iteration order of str must match between the two runs
    env["PYTHONUNBUFFERED"] = "1"  # so a merged stream shows the program's own interleaving
    return env


ENVIRONMENT = _environment()


def _run(command: list[str], merged: bool, staged: bool = False) -> Outcome:
    env = dict(ENVIRONMENT)
    if staged:
        env["OPPORTUNE_COMPILE_CACHE"] = "0"
        env["OPPORTUNE_STAGE_LINES"] = "30"  # the corpus's programs are short
    proc = subprocess.run(
        command,
        check=False,
        cwd=PROGRAMS,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT if merged else subprocess.PIPE,
        text=True,
        timeout=TIMEOUT_S,
    )
    return Outcome(proc.returncode, proc.stdout, proc.stderr or "")


def _both(name: str) -> tuple[Outcome, Outcome]:
    case = SPECIAL.get(name, Case())
    plain = _run([sys.executable, name, *case.args], case.merged)
    ours = _run([sys.executable, "-m", "opportune", "run", name, *case.args], case.merged,
                case.staged)
    return plain, ours


# The programs are mostly waiting (short sleeps in the tools), so a few run side by side.
_pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="differential")
_futures: dict[str, Future[tuple[Outcome, Outcome]]] = {}


@pytest.fixture(scope="session")
def corpus_runs(request: pytest.FixtureRequest) -> dict[str, Future[tuple[Outcome, Outcome]]]:
    """Start every selected program at once; each test then waits for its own result."""
    for item in request.session.items:
        callspec = getattr(item, "callspec", None)
        name = callspec.params.get("name") if callspec is not None else None
        if name in NAMES and name not in _futures:
            _futures[name] = _pool.submit(_both, name)
    return _futures


def _split_traceback(stderr: str) -> tuple[str, str | None]:
    """(text before the traceback, final line of the traceback) or (stderr, None)."""
    at = stderr.find(TRACEBACK)
    if at < 0:
        return stderr, None
    lines = stderr[at:].rstrip("\n").splitlines()
    return stderr[:at], lines[-1]


def _params() -> list[object]:
    params = []
    for name in NAMES:
        case = SPECIAL.get(name, Case())
        marks = [pytest.mark.xfail(strict=True, reason=case.xfail)] if case.xfail else []
        params.append(pytest.param(name, id=name.removesuffix(".py"), marks=marks))
    return params


def test_corpus_is_large_enough() -> None:
    assert len(NAMES) >= 90, f"the corpus has only {len(NAMES)} programs"
    stale = sorted(set(SPECIAL) - set(NAMES))
    assert not stale, f"SPECIAL names programs that do not exist: {stale}"


@pytest.mark.parametrize("name", _params())
def test_program_matches_plain_python(
    name: str, corpus_runs: dict[str, Future[tuple[Outcome, Outcome]]]
) -> None:
    future = corpus_runs.get(name) or _pool.submit(_both, name)
    plain, ours = future.result(timeout=3 * TIMEOUT_S)
    assert ours.stdout == plain.stdout, "stdout differs"
    assert ours.status == plain.status, (
        f"exit status {ours.status}, plain Python {plain.status}\nstderr:\n{ours.stderr}"
    )
    before, last = _split_traceback(plain.stderr)
    if last is None or SPECIAL.get(name, Case()).whole_traceback:
        assert ours.stderr == plain.stderr, "stderr differs"
        return
    ours_before, ours_last = _split_traceback(ours.stderr)
    assert ours_last is not None, f"plain Python printed a traceback, opportune:\n{ours.stderr}"
    assert ours_before == before, "stderr before the traceback differs"
    assert ours_last == last, "the exception (type and message) differs"


def test_missing_file_exits_like_python() -> None:
    plain = _run([sys.executable, "p999_does_not_exist.py"], merged=False)
    ours = _run([sys.executable, "-m", "opportune", "run", "p999_does_not_exist.py"], merged=False)
    assert plain.status == 2
    assert ours.status == plain.status, ours.stderr
    assert "p999_does_not_exist.py" in ours.stderr
    assert ours.stdout == plain.stdout == ""
