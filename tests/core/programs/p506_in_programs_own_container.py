"""The program's own __contains__ (printing, recording) with pending items and a pending
container of the program's class."""
import time

import opportune


class Vocabulary:
    def __init__(self, words):
        self.words = list(words)
        self.asked = []

    def __contains__(self, word):
        self.asked.append(word)
        print("  looking up", word)
        return word in self.words


@opportune.external
def ask(q):
    time.sleep(0.02)
    return ("no", "yes", "perhaps")[q % 3]


@opportune.external
def make_vocabulary(words):
    time.sleep(0.02)
    return Vocabulary(words)


def main():
    vocab = Vocabulary(["yes", "no"])
    for q in range(4):
        a = ask(q)
        print("asked", q)
        print("known" if a in vocab else "unknown")
    print(vocab.asked)
    remote = make_vocabulary(["perhaps"])
    hit = "perhaps" in remote
    print("after the test")
    print(hit, remote.asked)


main()
