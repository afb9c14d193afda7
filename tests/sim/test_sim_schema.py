"""Schema instances: valid against the schema, the same for one seed, varied across seeds."""

from __future__ import annotations

from enum import Enum
from typing import Any, Literal

import jsonschema
import pytest
from pydantic import BaseModel, Field

from opportune.sim._schema import SchemaAnswerError, schema_instance


class Colour(str, Enum):
    red = "red"
    blue = "blue"


class Address(BaseModel):
    street: str
    zip_code: str = Field(min_length=5, max_length=5)


class Person(BaseModel):
    name: str
    age: int = Field(ge=18, le=99)
    score: float = Field(gt=0, lt=1)
    colour: Colour
    kind: Literal["a", "b"]
    nickname: str | None = None
    tags: list[str] = Field(min_length=3)
    home: Address
    others: list[Address]


class Tree(BaseModel):
    label: str
    children: list[Tree] = []


SCHEMAS: list[tuple[str, dict[str, Any]]] = [
    ("pydantic nested", Person.model_json_schema()),
    ("recursive", Tree.model_json_schema()),
    (
        "formats",
        {
            "type": "object",
            "properties": {
                "when": {"type": "string", "format": "date-time"},
                "day": {"type": "string", "format": "date"},
                "mail": {"type": "string", "format": "email"},
                "link": {"type": "string", "format": "uri"},
                "id": {"type": "string", "format": "uuid"},
            },
            "required": ["when", "day", "mail", "link", "id"],
        },
    ),
    (
        "numbers",
        {
            "type": "object",
            "properties": {
                "even": {"type": "integer", "multipleOf": 2, "minimum": 3, "maximum": 9},
                "neg": {"type": "integer", "maximum": -5},
                "ratio": {"type": "number", "exclusiveMinimum": 0, "maximum": 0.5},
                "flag": {"type": "boolean"},
                "nothing": {"type": "null"},
            },
            "required": ["even", "neg", "ratio", "flag", "nothing"],
        },
    ),
    (
        "arrays",
        {
            "type": "array",
            "items": {"type": ["integer", "null"]},
            "minItems": 4,
            "maxItems": 6,
        },
    ),
    ("tuple", {"type": "array", "prefixItems": [{"type": "string"}, {"type": "integer"}]}),
    (
        "allOf",
        {
            "allOf": [
                {"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"]},
                {"properties": {"b": {"const": 3}}, "required": ["b"]},
            ]
        },
    ),
    ("short string", {"type": "string", "maxLength": 3}),
    ("long string", {"type": "string", "minLength": 80}),
    ("pattern that happens to match", {"type": "string", "pattern": "^[a-z]"}),
]


@pytest.mark.parametrize(("label", "schema"), SCHEMAS, ids=[s[0] for s in SCHEMAS])
def test_instance_validates(label: str, schema: dict[str, Any]) -> None:
    for seed in ("one", "two", "three"):
        value = schema_instance(schema, seed=seed)
        jsonschema.validate(value, schema)
        assert schema_instance(schema, seed=seed) == value


def test_seeds_give_variety() -> None:
    schema = Person.model_json_schema()
    values = {str(schema_instance(schema, seed=str(i))) for i in range(10)}
    assert len(values) > 5


def test_pydantic_parses_the_instance() -> None:
    person = Person.model_validate(schema_instance(Person.model_json_schema(), seed="x"))
    assert 18 <= person.age <= 99
    assert len(person.tags) >= 3


@pytest.mark.parametrize(
    ("schema", "hint"),
    [
        ({"type": "string", "pattern": "^[0-9]{3}-[0-9]{4}$"}, "add a rule"),
        ({"$ref": "https://example.com/s.json"}, "only local references"),
        ({"$ref": "#/$defs/Missing"}, "points nowhere"),
        ({"type": "integer", "minimum": 5, "maximum": 1}, "leave no value"),
        ({"type": "object", "properties": {"x": False}}, "no value satisfies"),
    ],
)
def test_impossible_schemas_are_explained(schema: dict[str, Any], hint: str) -> None:
    with pytest.raises(SchemaAnswerError, match=hint):
        schema_instance(schema, seed="s")
