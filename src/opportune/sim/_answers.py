"""The response model: which text the simulator answers to a prompt.

The answer must be a pure function of the request (and the configuration), so that a benchmark
or a test sees the same answers in every run and in every interleaving. In order, the first
that applies wins:

1. replay: the prompt is in the recorded call log, so the recorded answer (and latency) is used;
2. a schema request (``response_format`` ``json_schema`` or ``json_object``): the first rule
   whose pattern matches and whose answer is JSON of the right kind, else a generated instance
   of the schema (``json_object`` without a JSON rule gets ``{"answer": <text>}``);
3. the first rule whose pattern is found in the prompt, its template filled in;
4. the default answer.
"""

from __future__ import annotations

import json
import string
from dataclasses import dataclass
from typing import Any

from opportune.sim._config import ReplayEntry, Rule, SimConfig
from opportune.sim._schema import schema_instance
from opportune.sim._tokens import stable_hash


@dataclass(frozen=True)
class Answer:
    """The text to send, where it came from, and a recorded timing when it was replayed."""

    text: str
    source: str
    ttft: float | None = None
    latency: float | None = None


def content_text(content: Any) -> str:
    """The text of a message's ``content``: a string, or the text parts of a list of parts."""
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(part.get("text", "") for part in content if isinstance(part, dict))
    return str(content)


def chat_prompt(messages: Any) -> str:
    """The prompt of a conversation: its messages' contents, in order, joined by blank lines."""
    return "\n\n".join(content_text(m.get("content")) for m in messages if isinstance(m, dict))


def _replay_prompt(entry: ReplayEntry) -> str:
    if entry.prompt is not None:
        return entry.prompt
    return chat_prompt(entry.messages or ())


class ResponseModel:
    """Answers prompts from a :class:`SimConfig`'s replay log, rules and default answer."""

    def __init__(self, config: SimConfig) -> None:
        self._rules = [(rule, rule.compiled()) for rule in config.rules]
        self._default = config.default_answer
        self._replay: dict[str, ReplayEntry] = {}
        for entry in config.replay:
            # The first recording of a prompt wins, like the first matching rule.
            self._replay.setdefault(_replay_prompt(entry), entry)

    def answer(self, prompt: str, response_format: dict[str, Any] | None = None) -> Answer:
        recorded = self._replay.get(prompt)
        if recorded is not None:
            return Answer(recorded.answer, "replay", recorded.ttft, recorded.latency)
        kind = (response_format or {}).get("type")
        if kind == "json_schema":
            return self._json_schema(prompt, response_format or {})
        if kind == "json_object":
            return self._json_object(prompt)
        for index, (rule, pattern) in enumerate(self._rules):
            text = _fill(rule, pattern, prompt)
            if text is not None:
                return Answer(text, f"rule {index}")
        return Answer(self._default, "default")

    def _json_rules(self, prompt: str) -> list[tuple[int, Any, str]]:
        found = []
        for index, (rule, pattern) in enumerate(self._rules):
            text = _fill(rule, pattern, prompt)
            if text is None:
                continue
            try:
                found.append((index, json.loads(text), text))
            except json.JSONDecodeError:
                continue
        return found

    def _json_schema(self, prompt: str, response_format: dict[str, Any]) -> Answer:
        spec = response_format.get("json_schema") or {}
        schema = spec.get("schema", {})
        for index, value, text in self._json_rules(prompt):
            if _rough_type_match(schema, value):
                return Answer(text, f"rule {index}")
        value = schema_instance(schema, seed=stable_hash(prompt))
        return Answer(json.dumps(value, ensure_ascii=False), "schema")

    def _json_object(self, prompt: str) -> Answer:
        for index, value, text in self._json_rules(prompt):
            if isinstance(value, dict):
                return Answer(text, f"rule {index}")
        for index, (rule, pattern) in enumerate(self._rules):
            filled = _fill(rule, pattern, prompt)
            if filled is not None:
                return Answer(json.dumps({"answer": filled}, ensure_ascii=False), f"rule {index}")
        return Answer(json.dumps({"answer": self._default}, ensure_ascii=False), "json_object")


def _rough_type_match(schema: Any, value: Any) -> bool:
    """Whether a rule's JSON is the kind of value the schema asks for (top-level type only)."""
    kind = schema.get("type") if isinstance(schema, dict) else None
    if kind == "object" or (kind is None and isinstance(schema, dict) and "properties" in schema):
        return isinstance(value, dict)
    if kind == "array":
        return isinstance(value, list)
    return True


def _fill(rule: Rule, pattern: Any, prompt: str) -> str | None:
    match = pattern.search(prompt)
    if match is None:
        return None
    digest = stable_hash(prompt)
    templates = rule.templates()
    template = templates[int(digest[:12], 16) % len(templates)]
    groups = [match.group(0), *(g if g is not None else "" for g in match.groups())]
    named = {k: (v if v is not None else "") for k, v in match.groupdict().items()}
    named.update(hash=digest[:8], prompt=prompt)
    return string.Formatter().vformat(template, groups, named)
