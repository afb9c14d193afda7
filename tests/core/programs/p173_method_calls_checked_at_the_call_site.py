"""Method calls and f-strings on values that may or may not be pending, user objects or
subclasses: the call site decides on the receiver it actually meets, in Python's order."""
from _tools import fail, llm

log = []


class Box:
    """Not a list, though it has ``append``: every lookup is logged."""

    def __init__(self):
        self.items = []

    def __getattr__(self, name):
        log.append(("getattr", name))
        return getattr(self.items, name)


class Shout(str):
    def upper(self):
        return "SHOUT"


class Res:
    def __init__(self, n):
        self.n = n

    def __del__(self):
        print("released", self.n)


def arg(x):
    log.append(("arg", x))
    return x


def swapping():
    text = []

    def swap():
        nonlocal text
        text = ["new"]
        return 1

    text.append(swap())  # the old list gets the 1
    return text


def main():
    b = Box()
    b.append(arg(1))  # the lookup comes before the argument
    items = []
    items.append(arg(2))
    s = Shout("x")
    print(s.upper(), "abc".upper(), f"{s}".upper())
    answer = llm("q")
    items.append(answer)
    items.append(answer.upper())
    print(answer.upper(), f"<{answer}>".lower(), f"{answer:>40}|", items)
    counts = {}
    counts.setdefault("k", []).append(3)
    print(counts, counts.get("k"), counts.get("zz", 5))
    print(answer.split("#"), "a,b".split(","), answer.replace("ans", "A"))
    items.append(Res(1))
    items.pop()
    print("after pop")
    print([w.upper() for w in ["a", "b"] if w.lower()], {k: k.upper() for k in "ab"})
    print(list(g.upper() for g in "xy"), (lambda v: v.strip().title())("  hi there "))
    t = (1, 2, 1)
    print(t.count(1), "aXa".count("a"), (3.5).is_integer(), (10).bit_length())
    w = 7
    print(f"{3.14159:.2f}|{'s'!r}|{42:>5}|{None}|{b'x'}|{1 + 2j}|{w}{w!r:>3}|{'{'}")
    print(swapping(), log)
    try:
        "abc".nosuch(arg(9))
    except AttributeError as e:
        print("attr", e, log[-1])
    try:
        bad = fail("boom")
        print(bad.upper(), f"{bad}!")
    except ValueError as e:
        print("caught", e)


class K:
    names = ["a", "b"]
    up = [n.upper() for n in names]
    joined = "-".join(names)


main()
print(K.up, K.joined)
top = []
top.append(1)
top.extend("ab")
print(top, "X".lower(), f"{top}")
