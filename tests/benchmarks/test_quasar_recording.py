"""The recording replay: FIFO multimap lookups and byte-exact keys (no agentdojo needed)."""

from __future__ import annotations

import json
import sys
import threading
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.quasar import (
    CreateSchema,
    DataNotFound,
    MissingRecording,
    Recording,
    load_tasks,
    recording_key,
)


def _recording(calls: list[tuple[str, str, int]]) -> tuple[Recording, list[float]]:
    slept: list[float] = []
    return Recording(calls, latency_scale=1.0, sleep=slept.append), slept


def test_duplicate_keys_are_taken_in_recorded_order_with_their_own_latency() -> None:
    recording, _ = _recording([("k", "a", 1), ("other", "x", 2), ("k", "b", 3), ("k", "c", 4)])
    assert [recording.take("k") for _ in range(3)] == [("a", 1), ("b", 3), ("c", 4)]
    assert recording.remaining() == 1
    with pytest.raises(MissingRecording, match="every recorded answer is used"):
        recording.take("k")


def test_a_key_never_recorded_is_a_missing_recording() -> None:
    recording, _ = _recording([("k", "a", 1)])
    with pytest.raises(MissingRecording, match="was never recorded"):
        recording.take("nope")
    assert recording.remaining() == 1


def test_concurrent_lookups_each_get_a_distinct_entry() -> None:
    calls = [("k", "same", n) for n in range(200)]
    recording, _ = _recording(calls)
    taken: list[int] = []
    lock = threading.Lock()

    def worker() -> None:
        for _ in range(50):
            _, latency = recording.take("k")
            with lock:
                taken.append(latency)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(taken) == list(range(200))
    assert recording.remaining() == 0


@pytest.mark.parametrize(("scale", "expected"), [(1.0, 1.5), (0.01, 0.015), (0.0, 0.0)])
def test_query_sleeps_the_scaled_latency_and_validates_the_answer(scale: float, expected: float) -> None:
    schema = CreateSchema("is_grocery_list", bool, "items", list[str])
    key = recording_key("Is this a list?", schema)
    slept: list[float] = []
    recording = Recording(
        [(key, '{"is_grocery_list":true,"items":["milk"]}', 1_500_000_000)],
        latency_scale=scale,
        sleep=slept.append,
    )
    answer = recording.query_ai_assistant("Is this a list?", schema)
    assert slept == [pytest.approx(expected)]
    assert (answer.is_grocery_list, answer.items) == (True, ["milk"])
    assert [c.latency_s for c in recording.log] == [pytest.approx(expected)]


def test_schema_is_frozen_named_schema_and_keeps_declared_order() -> None:
    schema = CreateSchema("zeta", str, "alpha", float)
    rendered = schema.model_json_schema()
    assert rendered["title"] == "schema"
    assert rendered["required"] == ["zeta", "alpha"]
    instance = schema(zeta="z", alpha=1.0)
    with pytest.raises(Exception, match="frozen"):
        instance.zeta = "y"  # type: ignore[misc]
    assert hash(instance) == hash(schema(zeta="z", alpha=1.0))


def test_create_schema_rejects_an_odd_argument_list() -> None:
    with pytest.raises(TypeError, match="alternating field names and types"):
        CreateSchema("answer", str, "score")


# Byte-exact keys against every recording in the shared data.

try:
    TASKS = load_tasks()
except DataNotFound as missing:
    TASKS = []
    NO_DATA = str(missing)
else:
    NO_DATA = ""


def _python_type(name: str, prop: dict[str, Any]) -> Any:
    kind, fmt = prop.get("type"), prop.get("format")
    if kind == "array":
        item = prop["items"]
        if item == {"type": "string"}:
            return list[str]
        if item == {"type": "string", "format": "date-time"}:
            return list[datetime]
    elif fmt == "email":
        pytest.importorskip("email_validator", reason="EmailStr fields need email-validator")
        from pydantic import EmailStr

        return EmailStr
    elif fmt is None:
        simple = {"string": str, "number": float, "integer": int, "boolean": bool}
        if kind in simple:
            return simple[kind]
    raise AssertionError(f"field {name!r} has a schema this test cannot rebuild: {prop}")


@pytest.mark.skipif(not TASKS, reason=f"shared Quasar data missing: {NO_DATA}")
@pytest.mark.parametrize("task", TASKS, ids=lambda t: t.name)
def test_rebuilt_keys_equal_every_recorded_key(task: Any) -> None:
    for key, result, _ in task.recorded_calls:
        recorded = json.loads(key)
        schema_json = recorded["schema"]
        assert set(schema_json) == {"properties", "required", "title", "type"}
        fields: list[Any] = []
        for name in schema_json["required"]:
            fields += [name, _python_type(name, schema_json["properties"][name])]
        model = CreateSchema(*fields)
        assert recording_key(recorded["query"], model) == key
        model.model_validate_json(result)


@pytest.mark.skipif(not TASKS, reason=f"shared Quasar data missing: {NO_DATA}")
def test_recording_files_are_default_json_dumps() -> None:
    for task in TASKS:
        assert json.dumps(json.loads(task.recording_text)) == task.recording_text
    assert sum(len(t.recorded_calls) for t in TASKS) == 296
