"""`obj in answers` where obj is of the program's class (a str subclass with its own __eq__,
an object whose __eq__ prints) and answers a pending list, or a list holding a pending
answer: obj's __eq__ runs at the `in`, in program order, as in plain Python."""
import time

import opportune


class Noisy:
    def __init__(self, v):
        self.v = v

    def __eq__(self, other):
        print("eq", self.v, other)
        return self.v == other

    __hash__ = None


class Tag(str):
    def __eq__(self, other):
        print("tag eq", other)
        return str.__eq__(self, other)

    __hash__ = str.__hash__


@opportune.external
def words(n) -> list:
    time.sleep(0.03)
    return [f"w{i}" for i in range(n)]


@opportune.external
def word(n) -> str:
    time.sleep(0.03)
    return f"w{n}"


def main():
    found = Noisy("w1") in words(3)
    print("next")
    print(found)
    tagged = Tag("w2") not in words(3)
    print("next")
    print(tagged)
    among = Noisy("w4") in [word(3), word(4)]
    print("next")
    print(among)


main()
