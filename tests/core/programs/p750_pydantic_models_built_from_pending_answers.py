"""Structured outputs: answers parsed into pydantic models, records built from answers.

Models that only validate plain data are built once the answers exist (lazily); models with
a validator that prints, or an Any field that keeps the object it is given, are built at once.
A ValidationError is met where plain Python meets it: caught by the same handler, with the
output after the failing line discarded, and the uncaught one ends the program.
"""
import json
import time
from typing import Any, Literal, Optional

from pydantic import BaseModel, Field, ValidationError, field_validator

import opportune


@opportune.external
def judge(text: str) -> str:
    time.sleep(0.02)
    if "bad" in text:
        return '{"label": "pos", "score": "high"}'
    return json.dumps({"label": "pos" if len(text) % 2 else "neg", "score": len(text) / 10,
                       "tags": [text[:3]]})


@opportune.external
def answer(q: str) -> str:
    time.sleep(0.02)
    return f"A:{q}"


class Verdict(BaseModel):
    label: Literal["pos", "neg"]
    score: float = Field(ge=0)
    tags: list[str] = Field(default_factory=list)


class Record(BaseModel):
    question: str
    answer: str
    verdict: Optional[Verdict] = None
    notes: dict[str, int] = {}


class Loud(BaseModel):
    text: str

    @field_validator("text")
    @classmethod
    def shout(cls, v: str) -> str:
        print("validating", v)
        return v.upper()


class Holder(BaseModel):
    payload: Any
    name: str


texts = ["hello", "tea time", "ok", "long enough text"]
verdicts = [Verdict.model_validate_json(judge(t)) for t in texts]
print("parsed", len(verdicts))
for t, v in sorted(zip(texts, verdicts), key=lambda tv: tv[1].score, reverse=True):
    print(f"{v.score:.1f} {v.label} {t} {v.tags}")

tags = ["x"]
counts = {"a": 1}
records = []
for q in ["why", "how"]:
    r = Record(question=q, answer=answer(q), notes=counts)
    records.append(r)
    counts["a"] += 1  # after the call: the record holds the dict as it was
print([r.notes for r in records], records[0].notes is counts)
print(records[1].model_dump_json())

nested = Record.model_validate({"question": "n", "answer": answer("n"),
                                "verdict": {"label": "neg", "score": 0.5, "tags": tags}})
tags.append("y")
print(nested.verdict.tags, nested.verdict.tags is tags)

print(Loud(text=answer("loud")).text)
print("after loud")

keep = [1, 2]
h = Holder(payload=keep, name=answer("h"))
keep.append(3)
print(h.payload, h.payload is keep, h.name)

try:
    bad = Verdict.model_validate_json(judge("bad input"))
    print("not printed", bad)
except ValidationError as e:
    print("invalid:", e.error_count(), e.errors()[0]["loc"])

strings = Verdict.model_validate_strings({"label": "neg", "score": answer("s")[-1:] and "0.3"})
print(strings)
print("before the uncaught one")
last = Verdict.model_validate_json(judge("bad again"))
print("never", last)
