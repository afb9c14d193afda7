"""`in` on plain values of every kind stays Python's: subclasses with their own __contains__,
str/bytes/range, a tuple key, errors."""
import time

import opportune


@opportune.external
def ask(q):
    time.sleep(0.02)
    return f"w{q}"


class Loud(dict):
    def __contains__(self, key):
        print("Loud contains", key)
        return super().__contains__(key)


class Text(str):
    def __contains__(self, part):
        print("Text contains", part)
        return str.__contains__(self, part.lower())


def main():
    memo = {(1, 2): "x"}
    i, j = 1, 2
    print((i, j) in memo, (j, i) in memo, 3 in range(5), 7 in range(5), b"a" in b"abc")
    loud = Loud(a=1)
    print("a" in loud, "b" not in loud)
    t = Text("hello")
    print("HEL" in t, "X" not in t)
    hits = 0
    d = {k: k for k in range(100)}
    s = set(range(0, 100, 3))
    for k in range(300):
        if k in d and k not in s and chr(97 + k % 26) in "aeiou":
            hits += 1
    print("hits", hits)
    for bad in ([], {}):
        try:
            print(bad in s)
        except TypeError as exc:
            print("TypeError", exc)
    try:
        print(1 in "abc")
    except TypeError as exc:
        print("TypeError", exc)
    answer = ask(1)
    print(answer in loud, answer in Text("W1"), "w" in answer)


main()
