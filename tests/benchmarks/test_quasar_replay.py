"""The replay harness on real AgentDojo environments, at 1% of the recorded latencies.

Needs the shared data folder and agentdojo 0.1.34 (``pip install -e '.[bench]'``); skipped with
the reason otherwise.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

pytest.importorskip(
    "agentdojo", reason="agentdojo is not installed; install it with pip install -e '.[bench]'"
)

from benchmarks.quasar import (
    TOOL_EFFECTS,
    DataNotFound,
    bind_tool,
    load_tasks,
    run_task,
)
from benchmarks.quasar._runner import opportune_available

SCALE = 0.01

try:
    TASKS = {t.name: t for t in load_tasks()}
except DataNotFound as missing:
    pytest.skip(f"shared Quasar data missing: {missing}", allow_module_level=True)

# Small but varied: parallel LLM calls, duplicate keys (travel 15), writes to the environment
# (banking 11, slack 16, workspace 1), a prompt that shows an object a later write changes
# (banking 9, which Quasar could not replay), conditional loops Quasar failed on (workspace 22),
# no LLM call at all (workspace 27), and no final expression (slack 18).
SAMPLE = [
    "banking_user_task_9",
    "banking_user_task_11",
    "slack_user_task_16",
    "slack_user_task_18",
    "travel_user_task_13",
    "travel_user_task_15",
    "workspace_user_task_1",
    "workspace_user_task_22",
    "workspace_user_task_27",
]


@pytest.fixture(scope="module")
def sequential() -> dict[str, Any]:
    return {name: run_task(TASKS[name], "sequential", latency_scale=SCALE) for name in SAMPLE}


@pytest.mark.parametrize("name", SAMPLE)
def test_sequential_replay_reproduces_the_recorded_run(name: str, sequential: dict[str, Any]) -> None:
    task, outcome = TASKS[name], sequential[name]
    assert outcome.error is None
    assert outcome.llm_calls == task.entry["n_llm_calls"]
    assert outcome.unused_recordings == 0
    assert outcome.utility == task.entry["py_replay_utility"]
    if name == "slack_user_task_18":  # no final expression: a sentinel, address aside
        assert outcome.result.startswith("<object object at 0x")
        assert task.recorded_result.startswith("<object object at 0x")
    elif task.recorded_result is not None:
        assert outcome.result == task.recorded_result


@pytest.mark.parametrize("suite_name", ["banking", "slack", "travel", "workspace"])
def test_every_suite_tool_has_a_reviewed_effect(suite_name: str) -> None:
    from agentdojo.task_suite.load_suites import get_suite

    names = {f.name for f in get_suite("v1.2.1", suite_name).tools}
    assert names <= set(TOOL_EFFECTS)


def test_bound_tools_fill_dependencies_and_bind_positionals_in_order() -> None:
    from agentdojo.default_suites.v1.tools.banking_client import BankAccount, send_money

    class Env:
        bank_account = BankAccount(balance=10.0, iban="ME", transactions=[], scheduled_transactions=[])

    tool = bind_tool(send_money, Env())
    assert tool("GB1", 5.0, "rent", date="2022-01-01") == {"message": "Transaction to GB1 for 5.0 sent."}
    assert [(t.recipient, t.subject, t.date) for t in Env.bank_account.transactions] == [
        ("GB1", "rent", "2022-01-01")
    ]
    with pytest.raises(TypeError, match="4 positional arguments besides the environment"):
        tool("GB1", 5.0, "rent", "2022-01-01", "extra")


def _suite_env(name: str) -> Any:
    from agentdojo.task_suite.load_suites import get_suite

    return get_suite("v1.2.1", name).load_and_inject_default_environment({})


# (suite, read tool and args, write tool and args): the write changes what the read returned.
HELD_OBJECT_CASES = [
    ("banking", ("get_scheduled_transactions", ()), ("update_scheduled_transaction", (7, None, 1.5))),
    ("slack", ("read_channel_messages", ("general",)), ("send_channel_message", ("general", "hi"))),
    ("slack", ("read_inbox", ("Alice",)), ("send_direct_message", ("Alice", "hi"))),
    ("workspace", ("search_files_by_filename", ("vacation",)), ("append_to_file", ("7", "more"))),
    ("workspace", ("search_calendar_events", ("Introductory",)), ("cancel_calendar_event", ("24",))),
]


@pytest.mark.parametrize(("suite_name", "read", "write"), HELD_OBJECT_CASES)
def test_writes_marked_as_changing_held_objects_do_change_them(
    suite_name: str, read: tuple[str, tuple[Any, ...]], write: tuple[str, tuple[Any, ...]]
) -> None:
    from agentdojo.task_suite.load_suites import get_suite

    from benchmarks.quasar._tools import suite_tools

    env = _suite_env(suite_name)
    tools = suite_tools(get_suite("v1.2.1", suite_name), env)
    held = tools[read[0]](*read[1])
    before = str(held)
    tools[write[0]](*write[1])
    assert str(held) != before
    assert TOOL_EFFECTS[write[0]].changes_held_objects


# Every banking tool, with arguments that make each write change something.
BANKING_CALLS = [
    ("get_iban", ()),
    ("get_balance", ()),
    ("get_most_recent_transactions", (5,)),
    ("get_scheduled_transactions", ()),
    ("send_money", ("GB29NWBK60161331926819", 12.5, "test", "2022-04-01")),
    ("schedule_transaction", ("GB29NWBK60161331926819", 12.5, "test", "2022-04-01", True)),
    ("update_scheduled_transaction", (7, "CA133012400231215421872", 1.5, "new", "2022-05-01", True)),
]


@pytest.mark.parametrize(("name", "args"), BANKING_CALLS)
def test_banking_tools_touch_only_the_fields_they_declare(name: str, args: tuple[Any, ...]) -> None:
    """The banking table names fields of the bank account instead of the whole environment:
    a write changes exactly its fields, a read none, and nothing else in the environment."""
    from agentdojo.task_suite.load_suites import get_suite

    from benchmarks.quasar._tools import suite_tools

    env = _suite_env("banking")
    before = env.model_copy(deep=True)
    suite_tools(get_suite("v1.2.1", "banking"), env)[name](*args)
    effect = TOOL_EFFECTS[name]
    changed = {f"bank_account.{field}" for field in type(env.bank_account).model_fields
               if getattr(env.bank_account, field) != getattr(before.bank_account, field)}
    assert changed == (set(effect.resources) if effect.effect == "write" else set())
    for field in type(env).model_fields:
        if field != "bank_account":
            assert getattr(env, field) == getattr(before, field), field
    if effect.changes_read_results:
        assert effect.effect == "write" and all(type(a) in (int, float, str, bool) for a in args)


UNAVAILABLE = opportune_available()


@pytest.mark.skipif(UNAVAILABLE is not None, reason=f"opportune mode unavailable: {UNAVAILABLE}")
@pytest.mark.parametrize("name", SAMPLE)
def test_opportune_result_equals_sequential(name: str, sequential: dict[str, Any]) -> None:
    outcome = run_task(TASKS[name], "opportune", latency_scale=SCALE)
    assert outcome.error == sequential[name].error
    assert outcome.result == sequential[name].result
    assert outcome.utility == sequential[name].utility
    assert outcome.llm_calls == sequential[name].llm_calls


def test_command_writes_results_and_prints_the_tables(tmp_path: Path) -> None:
    import json
    import subprocess

    done = subprocess.run(
        [
            sys.executable, "-m", "benchmarks.quasar",
            "--task", "workspace_user_task_27", "--task", "banking_user_task_1",
            "--latency-scale", "0.01", "--results-dir", str(tmp_path),
        ],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
    )
    assert done.returncode == 0, done.stderr
    [written] = tmp_path.glob("quasar-*-scale0.01-partial.json")
    payload = json.loads(written.read_text())
    assert [t["task"] for t in payload["tasks"]] == ["banking_user_task_1", "workspace_user_task_27"]
    assert payload["settings"]["latency_scale"] == 0.01
    assert [g["group"] for g in payload["summary"]] == ["banking", "workspace", "overall"]
    assert "| banking_user_task_1 | 1 |" in done.stdout
    assert str(written) in done.stdout
    assert "| banking_user_task_1 | 1 |" in written.with_suffix(".md").read_text()


def _synthetic_task(folder: Path, source: str, calls: list[list[Any]]) -> Any:
    """A one-off banking task with its own program and recording, in the data folder's layout."""
    import json

    from benchmarks.quasar import Task

    (folder / "programs" / "banking").mkdir(parents=True)
    (folder / "recordings" / "banking").mkdir(parents=True)
    name = "banking_user_task_1"
    (folder / "programs" / "banking" / f"{name}.py").write_text(source)
    (folder / "recordings" / "banking" / f"{name}.json").write_text(
        json.dumps({"query_ai_assistant": calls})
    )
    entry = {"suite": "banking", "task": name, "py_replay_time_ns": 1, "n_llm_calls": len(calls)}
    return Task(folder, entry)


def _key(query: str, *fields: Any) -> str:
    from benchmarks.quasar import CreateSchema, recording_key

    return recording_key(query, CreateSchema(*fields))


SYNTHETIC = [
    pytest.param("get_balance()", [], None, "1810.0", id="tool-result"),
    pytest.param(
        "S = CreateSchema('n', int)\nq = query_ai_assistant('how many?', S)\nq.n + get_balance()",
        [[_key("how many?", "n", int), '{"n":2}', 1_000_000]],
        None,
        "1812.0",
        id="assistant-then-tool",
    ),
    pytest.param(
        "send_money('GB1', 1.0, 's', '2022-01-01')\nraise ValueError('boom')",
        [],
        "ValueError: boom",
        None,
        id="program-raises-after-a-write",
    ),
    pytest.param(
        "S = CreateSchema('n', int)\nquery_ai_assistant('never asked', S)",
        [],
        "benchmarks.quasar._recording.MissingRecording: this query_ai_assistant call was never",
        None,
        id="missing-recording",
    ),
]


@pytest.mark.parametrize(("source", "calls", "error", "result"), SYNTHETIC)
def test_results_and_errors_are_the_same_in_both_modes(
    tmp_path: Path, source: str, calls: list[list[Any]], error: str | None, result: str | None
) -> None:
    task = _synthetic_task(tmp_path, source, calls)
    modes = ["sequential"] if UNAVAILABLE else ["sequential", "opportune"]
    outcomes = [run_task(task, mode, latency_scale=SCALE) for mode in modes]  # type: ignore[arg-type]
    for outcome in outcomes:
        if error is None:
            assert (outcome.error, outcome.result) == (None, result), outcome.mode
        else:
            assert outcome.error is not None and outcome.error.startswith(error), outcome.mode
    assert len({(o.error, o.result, o.llm_calls) for o in outcomes}) == 1


@pytest.mark.skipif(UNAVAILABLE is not None, reason=f"opportune mode unavailable: {UNAVAILABLE}")
def test_speculative_llm_mode_gives_the_sequential_result_and_says_so() -> None:
    import opportune

    name = "banking_user_task_2"  # its third question is built from a read after an arm
    plain = run_task(TASKS[name], "sequential", latency_scale=SCALE)
    outcome = run_task(TASKS[name], "opportune", latency_scale=SCALE, speculative_llm=True)
    assert outcome.speculative_llm and not plain.speculative_llm
    assert (outcome.error, outcome.result, outcome.utility, outcome.llm_calls) == (
        plain.error, plain.result, plain.utility, plain.llm_calls)
    assert outcome.unused_recordings == 0
    asked = [c for c in opportune.last_schedule().calls if c.name == "query_ai_assistant"]
    early = [c for c in asked if c.tentative_on]
    # the arm it runs past does not write: an answer asked early is always kept
    assert all(c.tentative_kept for c in early)
    default = run_task(TASKS[name], "opportune", latency_scale=SCALE)
    assert not default.speculative_llm
    assert not any(c.tentative_on for c in opportune.last_schedule().calls)


def test_speculative_runs_are_named_apart_from_the_headline(tmp_path: Path) -> None:
    from benchmarks.quasar._report import write_results

    path = write_results([], settings={"latency_scale": 1.0, "speculative_llm": True},
                         directory=tmp_path)
    assert path.name.endswith("-speculative.json")
    import json

    assert json.loads(path.read_text())["settings"]["speculative_llm"] is True
