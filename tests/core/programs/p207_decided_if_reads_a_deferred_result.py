"""An ``if`` whose condition is known at once reads what a deferred loop still computes: the
arm runs later, yet its names and the output around it are plain Python's, and when the arm
fails (the third round) the error ends the program there: the print after it never shows."""
from __future__ import annotations

import time

import opportune


@opportune.external
def numbers(k: int) -> list[int]:
    time.sleep(0.03)
    return list(range(1, k + 1))


@opportune.external
def word(n: int) -> str:
    time.sleep(0.02)
    return f" w{n} "


for mode in ["summary", "plain", "broken"]:
    text = ""
    for n in numbers(3):
        text = text + word(n)
    section = "none"
    if mode == "summary":
        section = text.strip().upper()
    elif mode == "broken":
        section = text.strip().index("missing")
    else:
        other = text.count("w")
    print("issued after the if", mode)
    try:
        print(mode, section, word(9))
    except ValueError as e:
        print("caught", e)
print(other)
