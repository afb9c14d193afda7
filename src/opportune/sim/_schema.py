"""A deterministic instance of a JSON Schema, for answers to structured-output requests.

Programs that ask for ``response_format={"type": "json_schema", ...}`` parse the answer into a
model; a simulator that answered with prose would make them fail for reasons no real endpoint
would. So the simulator builds a value that validates against the schema: every property
present, arrays at their minimum useful length, numbers inside their bounds, strings within
their length limits and in their ``format``. The values are chosen from a seed (the prompt's
hash), so one prompt always gets the same instance and different prompts get different ones.

Covered: ``type`` (incl. lists of types), ``properties``/``required``, ``items``/``prefixItems``,
``minItems``/``maxItems``, ``enum``/``const``, ``anyOf``/``oneOf`` (first branch), ``allOf``,
local ``$ref`` (``#/$defs/...``, recursion bounded), string ``minLength``/``maxLength``/
``format``, number bounds and ``multipleOf``. A ``pattern`` is checked, not solved: when the
generated string does not match it, the request is answered with a clear error, and a rule
whose answer is JSON can supply the value instead.
"""

from __future__ import annotations

import math
import re
from typing import Any

from opportune.sim._tokens import stable_hash

_WORDS = (
    "amber",
    "basalt",
    "cedar",
    "delta",
    "ember",
    "fjord",
    "granite",
    "harbor",
    "iris",
    "juniper",
    "kelp",
    "lumen",
    "meadow",
    "nimbus",
    "onyx",
    "prairie",
    "quartz",
    "river",
    "sierra",
    "tundra",
    "umber",
    "violet",
    "willow",
    "xenon",
    "yarrow",
    "zephyr",
)
_MAX_DEPTH = 6


class SchemaAnswerError(ValueError):
    """The simulator cannot build an instance of the requested schema."""


def schema_instance(schema: Any, *, seed: str) -> Any:
    """A value that validates against ``schema``, determined by ``seed``."""
    return _Generator(schema, seed).value(schema, "$", 0)


class _Generator:
    def __init__(self, root: Any, seed: str) -> None:
        self.root = root
        self.seed = seed

    def _n(self, path: str) -> int:
        return int(stable_hash(f"{self.seed}\x00{path}")[:12], 16)

    def _resolve(self, ref: str, path: str) -> Any:
        if not ref.startswith("#"):
            raise SchemaAnswerError(
                f"schema at {path} refers to {ref!r}; the simulator resolves only local "
                "references such as '#/$defs/Name'; inline the referenced schema"
            )
        node = self.root
        for part in filter(None, ref[1:].split("/")):
            part = part.replace("~1", "/").replace("~0", "~")
            if isinstance(node, dict) and part in node:
                node = node[part]
            else:
                raise SchemaAnswerError(f"schema reference {ref!r} at {path} points nowhere")
        return node

    def value(self, schema: Any, path: str, depth: int) -> Any:
        if schema is True or schema == {}:
            return self._string({}, path)
        if schema is False:
            raise SchemaAnswerError(f"the schema at {path} is `false`, which no value satisfies")
        if not isinstance(schema, dict):
            raise SchemaAnswerError(f"the schema at {path} is {schema!r}, not an object")
        if "$ref" in schema:
            if depth > _MAX_DEPTH * 4:
                raise SchemaAnswerError(f"schema reference at {path} recurses without end")
            target = self._resolve(schema["$ref"], path)
            merged = {**target, **{k: v for k, v in schema.items() if k != "$ref"}}
            return self.value(merged, path, depth + 1)
        if "const" in schema:
            return schema["const"]
        if "enum" in schema:
            options = schema["enum"]
            if not options:
                raise SchemaAnswerError(f"the schema at {path} has an empty enum")
            return options[self._n(path) % len(options)]
        if "allOf" in schema:
            merged = {k: v for k, v in schema.items() if k != "allOf"}
            for part in schema["allOf"]:
                if isinstance(part, dict) and "$ref" in part:
                    part = self._resolve(part["$ref"], path)
                merged = _merge(merged, part)
            return self.value(merged, path, depth)
        for key in ("anyOf", "oneOf"):
            if key in schema:
                branches = schema[key]
                rest = {k: v for k, v in schema.items() if k != key}
                # A null branch is the last resort (Optional[X] gets X); deep in a recursive
                # schema it is the way out.
                non_null = [b for b in branches if b != {"type": "null"}]
                deep_exit = depth >= _MAX_DEPTH and len(non_null) < len(branches)
                pick = non_null[0] if non_null and not deep_exit else {"type": "null"}
                return self.value(_merge(rest, pick), path, depth + 1)
        kind = schema.get("type")
        if isinstance(kind, list):
            non_null = [k for k in kind if k != "null"]
            kind = non_null[0] if non_null else "null"
        if kind is None:
            if "properties" in schema or "required" in schema:
                kind = "object"
            elif "items" in schema or "prefixItems" in schema:
                kind = "array"
            else:
                kind = "string"
        if kind == "object":
            return self._object(schema, path, depth)
        if kind == "array":
            return self._array(schema, path, depth)
        if kind == "string":
            return self._string(schema, path)
        if kind == "integer":
            return self._integer(schema, path)
        if kind == "number":
            return self._number(schema, path)
        if kind == "boolean":
            return self._n(path) % 2 == 0
        if kind == "null":
            return None
        raise SchemaAnswerError(f"the schema at {path} has unknown type {kind!r}")

    def _object(self, schema: dict[str, Any], path: str, depth: int) -> dict[str, Any]:
        properties: dict[str, Any] = schema.get("properties", {})
        required = list(schema.get("required", []))
        names = list(properties) if depth < _MAX_DEPTH else [n for n in properties if n in required]
        names += [n for n in required if n not in names]
        return {n: self.value(properties.get(n, {}), f"{path}.{n}", depth + 1) for n in names}

    def _array(self, schema: dict[str, Any], path: str, depth: int) -> list[Any]:
        prefix = schema.get("prefixItems", [])
        low = max(int(schema.get("minItems", 0)), len(prefix))
        high = schema.get("maxItems")
        count = max(low, 0 if depth >= _MAX_DEPTH else 2)
        if high is not None:
            count = min(count, int(high))
        items = schema.get("items", {})
        out = []
        for i in range(count):
            sub = prefix[i] if i < len(prefix) else items
            out.append(self.value(sub, f"{path}[{i}]", depth + 1))
        return out

    def _string(self, schema: dict[str, Any], path: str) -> str:
        n = self._n(path)
        fmt = schema.get("format")
        name = re.sub(r"[^a-z0-9]+", "-", path.rsplit(".", 1)[-1].lower()).strip("-$[]") or "value"
        word = _WORDS[n % len(_WORDS)]
        h = f"{n:x}"[:6]
        if fmt == "date-time":
            text = f"2024-{n % 12 + 1:02d}-{n % 28 + 1:02d}T{n % 24:02d}:{n % 60:02d}:00Z"
        elif fmt == "date":
            text = f"2024-{n % 12 + 1:02d}-{n % 28 + 1:02d}"
        elif fmt == "time":
            text = f"{n % 24:02d}:{n % 60:02d}:00"
        elif fmt == "email":
            text = f"{word}.{h}@example.com"
        elif fmt in ("uri", "url", "iri"):
            text = f"https://example.com/{word}/{h}"
        elif fmt == "uuid":
            d = stable_hash(f"{self.seed}\x00uuid\x00{path}")
            text = f"{d[:8]}-{d[8:12]}-4{d[13:16]}-8{d[17:20]}-{d[20:32]}"
        elif fmt in ("ipv4",):
            text = f"10.{n % 256}.{(n >> 8) % 256}.{(n >> 16) % 256}"
        else:
            text = f"{name} {word} {h}"
        low = int(schema.get("minLength", 0))
        high = schema.get("maxLength")
        while len(text) < low:
            text += f" {word}"
        if len(text) < low:
            text = text.ljust(low, "x")
        if high is not None:
            text = text[: int(high)]
        pattern = schema.get("pattern")
        if pattern is not None and re.search(pattern, text) is None:
            raise SchemaAnswerError(
                f"the simulator cannot make up a string matching pattern {pattern!r} at {path}; "
                "add a rule to the simulator configuration whose answer is the JSON you want "
                "for this prompt"
            )
        return text

    def _bounds(self, schema: dict[str, Any], step: float) -> tuple[float, float]:
        low = schema.get("minimum", -math.inf)
        if "exclusiveMinimum" in schema:
            low = max(low, schema["exclusiveMinimum"] + step)
        high = schema.get("maximum", math.inf)
        if "exclusiveMaximum" in schema:
            high = min(high, schema["exclusiveMaximum"] - step)
        if low > high:
            raise SchemaAnswerError(f"numeric bounds {schema} leave no value")
        return low, high

    def _integer(self, schema: dict[str, Any], path: str) -> int:
        low, high = self._bounds(schema, 1)
        start = math.ceil(low) if low > -math.inf else (0 if high >= 0 else math.floor(high) - 99)
        end = math.floor(high) if high < math.inf else start + 99
        step = schema.get("multipleOf", 1)
        first = math.ceil(start / step) * step
        choices = max(0, int((end - first) // step)) + 1
        if first > end:
            raise SchemaAnswerError(f"no multiple of {step} lies within the bounds at {path}")
        return int(first + (self._n(path) % choices) * step)

    def _number(self, schema: dict[str, Any], path: str) -> float | int:
        if "multipleOf" in schema:
            return self._integer({**schema, "type": "integer"}, path)
        low, high = self._bounds(schema, 1e-6)
        start = low if low > -math.inf else (0.0 if high >= 0 else high - 100.0)
        end = high if high < math.inf else start + 100.0
        frac = (self._n(path) % 1000) / 1000
        value = round(start + (end - start) * frac, 3) if start < end else start
        return min(max(value, start), end)


def _merge(base: dict[str, Any], extra: Any) -> dict[str, Any]:
    if not isinstance(extra, dict):
        return base
    merged = {**base, **extra}
    if "properties" in base and "properties" in extra:
        merged["properties"] = {**base["properties"], **extra["properties"]}
    if "required" in base and "required" in extra:
        merged["required"] = list(dict.fromkeys([*base["required"], *extra["required"]]))
    return merged
