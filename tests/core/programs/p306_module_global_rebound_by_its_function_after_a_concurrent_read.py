"""A function running concurrently reads ``settings.MODE``; the program then calls a function
of that module which rebinds the global (``global MODE; MODE = v``): the rebinding waits for
the concurrent function, which sees the value plain Python's call saw."""
import _settings as settings
from _tools import score


def judge(word: str) -> str:
    if score(word) >= 0:
        return f"{word} {settings.MODE} {settings.RUNS}"
    return ""


first = judge("abc")
settings.configure("fast")
second = judge("de")
settings.configure("faster")
print(first)
print(second)
print(settings.MODE, settings.RUNS)
