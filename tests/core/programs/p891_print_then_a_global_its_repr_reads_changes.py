"""A print shows an answer (an object of the program's class, whose __repr__ reads a module
global and a settings dict) and a slower call; right after it, the program rebinds the
global (at the top level and through a function's global statement) or changes the dict:
the print shows the object as its __repr__ rendered it at the print."""
import time

import opportune

UNITS = "cm"
SETTINGS = {"verbose": False}


class Size:
    def __init__(self, value):
        self.value = value

    def __repr__(self):
        extra = " (verbose)" if SETTINGS["verbose"] else ""
        return f"{self.value}{UNITS}{extra}"


@opportune.external
def measure(x: int) -> Size:
    time.sleep(0.01)
    return Size(x)


@opportune.external
def slow(x: int) -> int:
    time.sleep(0.08)
    return x * 10


def set_units(units):
    global UNITS
    UNITS = units


s = measure(3)
print(s, slow(1))
UNITS = "mm"
t = measure(4)
print([t], slow(2))
SETTINGS["verbose"] = True
r = measure(5)
print("r =", r, slow(3))
set_units("in")
print(s, t, r)
