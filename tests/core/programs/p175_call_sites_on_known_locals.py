"""Locals the compiler knows to hold a list, dict or set, and chains of str methods, met by
values that turn out otherwise: an exception bound by ``except ... as``, a pending answer,
a loop variable, a name never bound."""
from _tools import search


def fetch(i):
    return search(f"v{i}", 1)


class Appender:
    def append(self, x):
        print("Appender.append", x)

def a():
    text = []
    try:
        raise ValueError("x")
    except ValueError as text:  # noqa: F841 - unbinds text at the end of the handler
        pass
    try:
        text.append(1)
    except NameError as e:
        print("name", e)

def b():
    text = []
    text.append("q")
    text = fetch(1)
    text.append("r")
    print(text)

def c(flag):
    if flag:
        text = []
    text.append(f"{flag}".upper())
    return text

def d():
    box = []
    for box in [Appender()]:
        box.append(f"{1}".lower())

def e():
    acc = {}
    acc.setdefault("a", []).append("x".upper())
    acc.update(b=2)
    s = set()
    s.add("k")
    print(acc, "|".join(["a", "b"]), "-".join(sorted(s)), ", ".join(x.upper() for x in "ab"))

def f():
    out = []
    import json as out2
    def g():
        return 1
    out.append(g())
    out.append(f"{out2.dumps(1)}".strip())
    return out

def h():
    x = "hello"
    y = x.strip().upper().replace("L", "_")
    z = f"{x}-{y}".title().startswith("Hello")
    q = fetch(2)
    w = f"{q}".upper().split("'")
    return y, z, w, "  a ".strip().upper()

a(); b(); print(c(True))
try:
    c(False)
except UnboundLocalError as ex:
    print("unbound", ex)
d(); e(); print(f(), h())
