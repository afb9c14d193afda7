"""Functions running concurrently reach static methods that read module-level names; the top
level then rebinds or deletes them through the namespace as a dict: ``globals()[k] = v``
(a constant key and a computed one), ``globals().update(...)``, ``vars()[k] = v``,
``globals().pop(k)`` and ``del globals()[k]``. Plain Python ran each call first, so it sees
the old values."""
from _tools import score

A = "a0"
B = "b0"
C = "c0"
D = "d0"
E = "e0"
F = "f0"


class Config:
    @staticmethod
    def a() -> str:
        return A

    @staticmethod
    def b() -> str:
        return B

    @staticmethod
    def c() -> str:
        return f"{C}{D}"

    @staticmethod
    def e() -> str:
        return E

    @staticmethod
    def f() -> str:
        return F


def count_a(words: list[str]) -> str:
    n = 0
    for w in words:
        if score(w) >= 0:
            n += 1
    return f"{n} {Config.a()}"


def count_b(words: list[str]) -> str:
    n = 0
    for w in words:
        if score(w) >= 0:
            n += 1
    return f"{n} {Config.b()}"


def count_c(words: list[str]) -> str:
    n = 0
    for w in words:
        if score(w) >= 0:
            n += 1
    return f"{n} {Config.c()}"


def count_e(words: list[str]) -> str:
    n = 0
    for w in words:
        if score(w) >= 0:
            n += 1
    return f"{n} {Config.e()}"


def count_f(words: list[str]) -> str:
    n = 0
    for w in words:
        if score(w) >= 0:
            n += 1
    return f"{n} {Config.f()}"


before_a = count_a(["x", "y"])
globals()["A"] = "a1"
before_b = count_b(["x"])
name = "B"
globals()[name] = "b1"
before_c = count_c(["x", "y"])
globals().update(C="c1", D="d1")
before_vars = count_a(["z"])
vars()["A"] = "a2"
before_e = count_e(["x", "y"])
globals().pop("E")
before_f = count_f(["x", "y"])
del globals()["F"]
print(before_a, before_b, before_c, before_vars, before_e, before_f, sep="\n")
print(A, B, C, D, "E" in globals(), "F" in globals())
