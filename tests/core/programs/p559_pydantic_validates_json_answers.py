"""pydantic model_validate_json of an answer, with ValidationError fallback."""
import time

from pydantic import BaseModel, ValidationError, field_validator

import opportune


class Verdict(BaseModel):
    label: str
    confidence: float
    reasons: list[str] = []

    @field_validator("label")
    @classmethod
    def lower(cls, v: str) -> str:
        return v.lower()


@opportune.external
def judge(text: str) -> str:
    time.sleep(0.02)
    if "bad" in text:
        return '{"label": "SPAM", "confidence": "high"}'
    return '{"label": "HAM", "confidence": 0.%d, "reasons": ["short"]}' % len(text)


verdicts = []
for text in ["hello", "bad offer", "meeting at 3"]:
    raw = judge(text)
    try:
        v = Verdict.model_validate_json(raw)
    except ValidationError as e:
        print("invalid:", e.error_count(), e.errors()[0]["loc"], e.errors()[0]["type"])
        continue
    verdicts.append(v)
    print(v.label, v.confidence, v.reasons)
print([v.model_dump() for v in verdicts])
v = Verdict.model_validate_json(judge("x"))
v.reasons.append("extra")
print(v.model_dump_json())
try:
    Verdict.model_validate_json(judge("bad"))
except ValidationError as e:
    print(str(e).splitlines()[0])
