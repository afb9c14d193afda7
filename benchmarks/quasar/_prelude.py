"""``CreateSchema``: the one helper the programs call that is written in Python, not a tool.

This file is also the *source* of the helper as the programs see it. The harness runs this text
in each mode the way it runs the program itself (plain ``exec`` sequentially, ``run_source``
under opportune), so the helper is program code in both modes rather than opaque library code
that a scheduler must keep in program order. It only builds a pydantic model class.
"""

from pydantic import ConfigDict, create_model

SCHEMA_MODEL_NAME = "schema"


def CreateSchema(*names_and_types):
    """A frozen pydantic model named ``"schema"`` with the given required fields, in order.

    The programs call ``CreateSchema("name1", type1, "name2", type2, ...)``. Field order matters:
    it fixes the order of the schema's ``required`` list, which is part of the recording key.
    """
    if len(names_and_types) % 2:
        raise TypeError(
            "CreateSchema takes alternating field names and types, e.g. "
            f"CreateSchema('answer', str, 'score', float); got {len(names_and_types)} arguments"
        )
    fields = {}
    for name, annotation in zip(names_and_types[::2], names_and_types[1::2], strict=True):
        if not isinstance(name, str):
            raise TypeError(f"CreateSchema field names must be strings, got {name!r}")
        fields[name] = (annotation, ...)
    return create_model(SCHEMA_MODEL_NAME, __config__=ConfigDict(frozen=True), **fields)
