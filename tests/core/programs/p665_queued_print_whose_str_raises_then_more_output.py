"""print(doc, slow(1)) where doc's __str__ raises, then the program computes and prints without
waiting for anything: plain Python raised at the print, so nothing after it is printed and
the exit status is 1. A try around a function that does the same catches it there, after the
print wrote what came before the failing argument ("doc: ")."""
import time

import opportune


class Doc:
    def __init__(self, name):
        self.name = name

    def __str__(self):
        if self.name == "bad":
            raise ValueError(f"cannot show {self.name}")
        return f"Doc({self.name})"


@opportune.external
def fetch(name):
    time.sleep(0.02)
    return Doc(name)


@opportune.external
def slow(x):
    time.sleep(0.15)
    return x


def show(name):
    d = fetch(name)
    print("doc:", d, slow(1))
    return name


try:
    show("bad")
    print("not reached")
except ValueError as e:
    print("caught:", e)
print(show("good"))
doc = fetch("bad")
print(doc, slow(2))
n = 0
for i in range(200_000):
    n += i
print("after", n)
