"""`not x in a`, chained comparisons with `in`, and `in` over an iterator that it consumes."""
import time

import opportune


@opportune.external
def ask(q):
    time.sleep(0.02)
    return ("abc", "xyz")[q % 2]


def numbers():
    for n in range(10):
        print("yield", n)
        yield n


def main():
    print([not "b" in ask(q) for q in range(3)])
    a = ask(0)
    print("a" < "b" in a, "b" in a in "xabcx")
    gen = numbers()
    print(3 in gen, next(gen))
    it = iter(["abc", "xyz", "abc"])
    print(ask(1) in it, list(it))
    words = (w for w in ["q", ask(0), "z"])
    print(ask(2) in words, list(words))


main()
