"""What the simulator answers and how fast: one validated, immutable configuration.

A configuration comes from Python (``SimConfig(ttft=0.01, slots=4)``), from a TOML or JSON file
(:func:`load_config`), or from both with command-line flags on top. It is validated once, up front,
so that a typo in a rule's pattern or template is reported when the server starts, naming the
rule and the fix, rather than as a failed request in the middle of a benchmark.
"""

from __future__ import annotations

import json
import re
import string
import tomllib
from pathlib import Path
from typing import Any, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

DEFAULT_ANSWER = "This is a simulated answer from opportune's latency simulator."

_FLAG_LETTERS = {"i": re.IGNORECASE, "m": re.MULTILINE, "s": re.DOTALL, "x": re.VERBOSE}


def known_flag_letters(value: str) -> str:
    """``value`` if every letter names a regex flag (rules and test gates share the letters)."""
    unknown = sorted(set(value) - set(_FLAG_LETTERS))
    if unknown:
        raise ValueError(
            f"unknown regex flag letter(s) {''.join(unknown)!r}; use any of 'i' (ignore case), "
            "'m' (multiline), 's' (dot matches newline), 'x' (verbose)"
        )
    return value


def compile_pattern(pattern: str, flags: str, what: str = "pattern") -> re.Pattern[str]:
    """``pattern`` compiled with the flag ``letters`` (checked by :func:`known_flag_letters`);
    an invalid expression is a ValueError that names it (``what``: how the error calls it)
    and the usual fix."""
    bits = 0
    for letter in flags:
        bits |= _FLAG_LETTERS[letter]
    try:
        return re.compile(pattern, bits)
    except re.error as exc:
        raise ValueError(
            f"{what} {pattern!r} is not a valid Python regular expression ({exc}); "
            "escape special characters such as ( [ ? with a backslash"
        ) from None


TEMPLATE_FIELDS = ("hash", "prompt")


class SimConfigError(ValueError):
    """A simulator configuration (file, flags or arguments) that cannot be used as given."""


class Rule(BaseModel):
    """``pattern`` searched in the prompt; on a match, the answer is ``answer`` filled in.

    Templates use ``str.format`` fields: ``{0}`` is the whole match, ``{1}``, ``{2}``... the
    pattern's groups, ``{name}`` a named group, ``{hash}`` eight hex digits of a stable hash of
    the prompt and ``{prompt}`` the prompt itself. Literal braces are written ``{{`` and ``}}``.
    With ``answers`` (a list) instead of ``answer``, the stable hash of the prompt picks one, so
    different prompts get different but reproducible answers.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    pattern: str
    answer: str | None = None
    answers: tuple[str, ...] = ()
    flags: str = Field(default="", description="regex flags as letters: i, m, s, x")

    @field_validator("flags")
    @classmethod
    def _known_flags(cls, value: str) -> str:
        return known_flag_letters(value)

    @model_validator(mode="after")
    def _check(self) -> Self:
        compiled = self.compiled()
        if (self.answer is None) == (not self.answers):
            raise ValueError(
                "give a rule exactly one of `answer` (a template) or `answers` (a list)"
            )
        dummy_groups = ["x"] * (compiled.groups + 1)
        dummy_named = {name: "x" for name in compiled.groupindex}
        dummy_named.update({f: "x" for f in TEMPLATE_FIELDS})
        for template in self.templates():
            try:
                string.Formatter().vformat(template, dummy_groups, dummy_named)
            except (KeyError, IndexError) as exc:
                raise ValueError(
                    f"answer template {template!r} refers to {{{exc.args[0]}}}, which is neither "
                    f"a group of pattern {self.pattern!r} (it has {compiled.groups}) nor one of "
                    f"{', '.join('{' + f + '}' for f in TEMPLATE_FIELDS)}; write {{{{ and }}}} "
                    "for literal braces"
                ) from None
            except ValueError as exc:
                raise ValueError(
                    f"answer template {template!r} is not a valid format string ({exc}); "
                    "write {{ and }} for literal braces"
                ) from None
        return self

    def compiled(self) -> re.Pattern[str]:
        return compile_pattern(self.pattern, self.flags)

    def templates(self) -> tuple[str, ...]:
        return (self.answer,) if self.answer is not None else self.answers


class ReplayEntry(BaseModel):
    """One recorded call: its prompt, its answer and, optionally, how long it took.

    ``prompt`` matches a completion prompt or a chat conversation's text (the contents of its
    messages joined by blank lines); ``messages`` may be given instead and is turned into that
    text. ``latency`` is the recorded time from the start of decoding to the last token and
    ``ttft`` the recorded time to the first; when they are absent the capacity model's times
    apply.
    """

    model_config = ConfigDict(extra="ignore", frozen=True)

    prompt: str | None = None
    messages: tuple[dict[str, Any], ...] | None = None
    answer: str
    latency: float | None = Field(default=None, ge=0)
    ttft: float | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _check(self) -> Self:
        if (self.prompt is None) == (self.messages is None):
            raise ValueError("give a replay entry exactly one of `prompt` or `messages`")
        if self.latency is not None and self.ttft is not None and self.ttft > self.latency:
            raise ValueError(
                f"ttft {self.ttft} is longer than latency {self.latency}; latency is the time to "
                "the last token, so it is at least the time to the first"
            )
        return self


class SimConfig(BaseModel):
    """Everything about one simulated endpoint. All times are in seconds.

    Timing: a call waits (first come, first served) for one of ``slots`` decoding slots, then
    its first token comes ``ttft`` later and each further token ``tpot`` after the previous one.
    ``rpm`` caps accepted requests per ``rpm_window`` seconds (HTTP 429 with ``Retry-After``
    beyond it). Faults: a share ``fail_rate`` of requests is answered with one of
    ``fail_statuses`` and a share ``drop_rate`` has its connection dropped mid-answer, chosen by
    a coin seeded with ``seed``, the request body and how many times that body was seen, so a
    run is reproducible whatever the interleaving; ``fault_limit`` caps the faults one distinct
    request can get, so retries always end.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    host: str = "127.0.0.1"
    port: int = Field(default=0, ge=0, le=65535)
    model: str = "opportune-sim"
    ttft: float = Field(default=0.4, ge=0)
    tpot: float = Field(default=0.015, ge=0)
    slots: int = Field(default=64, ge=1)
    rpm: int | None = Field(default=None, ge=1)
    rpm_window: float = Field(default=60.0, gt=0)
    seed: int = 0
    fail_rate: float = Field(default=0.0, ge=0, le=1)
    fail_statuses: tuple[int, ...] = (500, 503)
    drop_rate: float = Field(default=0.0, ge=0, le=1)
    fault_limit: int | None = Field(default=None, ge=0)
    rules: tuple[Rule, ...] = ()
    replay: tuple[ReplayEntry, ...] = ()
    default_answer: str = DEFAULT_ANSWER
    log_limit: int = Field(default=100_000, ge=1)

    @field_validator("fail_statuses")
    @classmethod
    def _error_statuses(cls, value: tuple[int, ...]) -> tuple[int, ...]:
        if not value:
            raise ValueError("list at least one status, for example [500, 503]")
        bad = [s for s in value if not 400 <= s <= 599]
        if bad:
            raise ValueError(f"fault statuses must be HTTP errors (400-599), got {bad}")
        return value

    @model_validator(mode="after")
    def _shares(self) -> Self:
        if self.fail_rate + self.drop_rate > 1:
            raise ValueError(
                f"fail_rate ({self.fail_rate}) + drop_rate ({self.drop_rate}) is more than 1; "
                "they are shares of the same requests"
            )
        return self

    @classmethod
    def from_file(cls, path: str | Path, **overrides: Any) -> SimConfig:
        """Load a TOML or JSON configuration file; keyword arguments override its values."""
        return load_config(path, **overrides)

    def with_overrides(self, **overrides: Any) -> SimConfig:
        """A copy with some fields replaced (``None`` values are ignored), validated again."""
        data = self.model_dump(exclude_unset=True)
        data.update({k: v for k, v in overrides.items() if v is not None})
        return _validate(data, where="the overrides")


def _validate(data: dict[str, Any], *, where: str) -> SimConfig:
    try:
        return SimConfig.model_validate(data)
    except ValidationError as exc:
        problems = "\n".join(
            f"  - {'.'.join(str(p) for p in err['loc']) or '(top level)'}: {err['msg']}"
            for err in exc.errors()
        )
        raise SimConfigError(
            f"invalid simulator configuration in {where}:\n{problems}\n"
            "See docs/simulator.md for the fields and their meaning."
        ) from None


def _read_structured(path: Path) -> Any:
    text = path.read_text(encoding="utf-8")
    suffix = path.suffix.lower()
    try:
        if suffix == ".toml":
            return tomllib.loads(text)
        if suffix == ".json":
            return json.loads(text)
        if suffix == ".jsonl":
            return [json.loads(line) for line in text.splitlines() if line.strip()]
    except (tomllib.TOMLDecodeError, json.JSONDecodeError) as exc:
        raise SimConfigError(f"{path} is not valid {suffix[1:].upper()}: {exc}") from None
    raise SimConfigError(
        f"{path} has suffix {suffix or '(none)'!r}; the simulator reads .toml or .json "
        "configuration files (and .json or .jsonl replay logs)"
    )


def load_config(path: str | Path, **overrides: Any) -> SimConfig:
    """Read a configuration file (TOML or JSON), resolve its replay log, apply overrides.

    ``replay`` in the file may be a list of entries or the path of a ``.jsonl``/``.json`` call
    log, relative to the configuration file. Overrides whose value is ``None`` are ignored, so
    unset command-line flags leave the file's values alone.
    """
    path = Path(path)
    if not path.is_file():
        raise SimConfigError(
            f"no simulator configuration file at {path}; pass --config with an existing "
            ".toml or .json file (see docs/simulator.md for an example)"
        )
    data = _read_structured(path)
    if not isinstance(data, dict):
        raise SimConfigError(f"{path} must hold a table/object of settings at the top level")
    replay = data.get("replay")
    if isinstance(replay, str):
        log_path = (path.parent / replay).resolve()
        if not log_path.is_file():
            raise SimConfigError(
                f"{path} names replay log {replay!r}, but there is no file at {log_path}; "
                "give a path relative to the configuration file"
            )
        entries = _read_structured(log_path)
        if not isinstance(entries, list):
            raise SimConfigError(f"replay log {log_path} must be a list of calls (or JSON lines)")
        data["replay"] = entries
    data.update({k: v for k, v in overrides.items() if v is not None})
    return _validate(data, where=str(path))
