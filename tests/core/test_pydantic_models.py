"""Pydantic models built from pending answers: the schedule shows the calls overlapping.

A structured-output loop (``Verdict.model_validate_json(judge(t)) for t in texts``) or a record
built from answers (``Record(question=q, answer=ask(q))``) used to wait for each answer before
the next call was issued. Models that only validate plain data are built lazily
(runtime/models.py); the others still run at once. Assertions read the recorded schedule.
"""

from __future__ import annotations

import json
import time
from typing import Any, Literal

import pytest
from pydantic import BaseModel, Field, ValidationError, field_validator

import opportune
from core.overlap import calls_to, meet
from core.test_schedule import assert_all_overlap, calls_of, run_both
from opportune.runtime.models import validates_only

pytestmark = pytest.mark.timeout(60)


@opportune.external
def judge(text: str) -> str:
    meet("judge", text)
    time.sleep(0.01)
    if "bad" in text:
        return '{"label": "pos", "score": "high"}'
    return json.dumps({"label": "pos" if len(text) % 2 else "neg", "score": len(text) / 10})


@opportune.external
def answer(q: str) -> str:
    meet("answer", q)
    time.sleep(0.01)
    return f"A:{q}"


class Verdict(BaseModel):
    label: Literal["pos", "neg"]
    score: float = Field(ge=0)
    tags: list[str] = Field(default_factory=list)


class Record(BaseModel):
    question: str
    answer: str
    verdict: Verdict | None = None


class Shouting(BaseModel):
    text: str

    @field_validator("text")
    @classmethod
    def upper(cls, v: str) -> str:
        return v.upper()


class Holding(BaseModel):
    payload: Any


TEXTS = ["hello", "tea time", "ok", "long text"]


def parse_answers() -> list[tuple[str, float]]:
    verdicts = [Verdict.model_validate_json(judge(t)) for t in TEXTS]
    return [(v.label, v.score) for v in verdicts]


def build_records() -> list[str]:
    records = []
    for q in TEXTS:
        records.append(Record(question=q, answer=answer(q)))
    return [r.model_dump_json() for r in records]


def validate_dicts() -> list[str]:
    records = [Record.model_validate({"question": q, "answer": answer(q)}) for q in TEXTS]
    return [r.answer for r in records]


@pytest.mark.parametrize(("program", "external"), [
    (parse_answers, "judge"), (build_records, "answer"), (validate_dicts, "answer")])
def test_models_built_from_answers_do_not_wait_for_each(program: Any, external: str) -> None:
    _, schedule = run_both(program, overlap=[calls_to(external, *TEXTS)])
    calls = calls_of(schedule, external)
    assert len(calls) == len(TEXTS)
    assert_all_overlap(calls)


def model_with_a_validator() -> list[str]:
    return [Shouting(text=answer(q)).text for q in TEXTS[:2]]


def test_a_model_with_a_validator_is_built_at_once() -> None:
    _, schedule = run_both(model_with_a_validator)
    first, second = calls_of(schedule, "answer")
    assert first.finished is not None and second.issued >= first.finished, \
        "the validator would have run later, out of program order"


def parse_one_bad() -> str:
    try:
        Verdict.model_validate_json(judge("bad"))
        return "not reached"
    except ValidationError as e:
        return f"{e.error_count()} {e.errors()[0]['loc']}"


def test_a_validation_error_is_met_in_the_try_that_plain_python_meets_it_in() -> None:
    result, _ = run_both(parse_one_bad)
    assert result == "1 ('score',)"


def test_which_models_validate_only() -> None:
    assert validates_only(Verdict) and validates_only(Record)
    assert not validates_only(Shouting)  # runs the program's validator
    assert not validates_only(Holding)  # an Any field keeps the very object it is given
    assert not validates_only(BaseModel) and not validates_only(dict)
