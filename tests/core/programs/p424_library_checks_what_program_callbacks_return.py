"""The program hands library code a callback whose answer comes from a tool: ``re.sub`` fills
a template's slots through a model, ``json.dumps(default=...)`` serialises objects through a
tool. The library checks what the callback returns (a str, a serialisable value), so it must
get the answer itself, not a stand-in for it."""
import functools
import json
import re

from _tools import llm, describe

TEMPLATE = "Dear {name}, your order {order} ships {when}."
SLOT = re.compile(r"\{(\w+)\}")

print(SLOT.sub(lambda m: llm(m.group(1)), TEMPLATE))
print(re.sub(r"\{(\w+)\}", lambda m: llm(m.group(1)).upper(), TEMPLATE, count=2))
text, n = re.subn(r"(\d+)", lambda m: str(len(llm(m.group(1)))), "a1 b22 c333")
print(text, n)


class Order:
    def __init__(self, ident):
        self.ident = ident
        self.status = llm(f"status {ident}")


def encode(obj):
    if isinstance(obj, Order):
        return {"id": obj.ident, "status": obj.status, "seen": describe(obj.ident)}
    if isinstance(obj, set):
        return sorted(obj)
    raise TypeError(f"cannot encode {type(obj).__name__}")


orders = [Order(i) for i in range(3)]
print(json.dumps({"orders": orders, "tags": {"b", "a"}}, default=encode))
try:
    json.dumps(object(), default=encode)
except TypeError as e:
    print("refused:", e)


class Filler:
    def __init__(self, style):
        self.style = style

    def fill(self, m):
        return f"{self.style}:{llm(m.group(1))}"


def fill_with(style, m):
    return f"{style}/{llm(m.group(1))}"


print(SLOT.sub(Filler("bound").fill, TEMPLATE))
print(SLOT.sub(functools.partial(fill_with, "partial"), TEMPLATE))
print(SLOT.sub(repl=lambda m: m.group(1).upper(), string=TEMPLATE))
print("end")
