"""Handlers naming a tuple of classes, and a class whose metaclass claims every instance: an
``except`` clause tests the class's own bases, never ``__instancecheck__``."""
import time

import opportune


class Liar(type):
    def __instancecheck__(cls, instance: object) -> bool:
        return True

    def __subclasscheck__(cls, sub: type) -> bool:
        return True


class Anything(Exception, metaclass=Liar):
    pass


@opportune.external
def ask(q: str) -> str:
    time.sleep(0.02)
    if q == "key":
        raise KeyError(q)
    if q == "value":
        raise ValueError(q)
    if q == "type":
        raise TypeError(q)
    return q


def tuple_of_classes(qs: list[str]) -> list[str]:
    out = []
    for q in qs:
        try:
            out.append(ask(q))
        except (KeyError, ValueError) as e:
            out.append(f"{type(e).__name__}")
    return out


def nested_tuple(qs: list[str]) -> list[str]:
    out = []
    for q in qs:
        try:
            out.append(ask(q))
        except (KeyError, (ValueError,)):
            out.append("never: a nested tuple is refused once the body raised")
    return out


def lying(qs: list[str]) -> list[str]:
    out = []
    for q in qs:
        try:
            out.append(ask(q))
        except Anything:
            out.append("caught by the liar")
    return out


print(tuple_of_classes(["a", "key", "value", "b"]))
try:
    tuple_of_classes(["c", "type", "d"])
except TypeError as e:
    print("not caught:", e)
print(nested_tuple(["g", "h"]))
try:
    nested_tuple(["i", "value"])
except TypeError as e:
    print("refused:", e)
try:
    print(lying(["e", "value", "f"]))
except ValueError as e:
    print("the liar caught nothing:", e)
