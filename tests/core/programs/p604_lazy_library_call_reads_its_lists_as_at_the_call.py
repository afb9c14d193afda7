"""A library call made lazy by a pending argument (json.dumps, str, max) reads the program's
other lists as they were at the call: a change the program makes before the answer comes is
not seen, and what max returns is the item itself."""
import json

from _tools import llm, score


def main():
    answer = llm("x")
    items = [1]
    dumped = json.dumps({"a": answer, "b": items})
    shown = str([answer, items])
    items.append(2)
    print(dumped)
    print(shown)
    n = score("q")
    seq = [[3], [1]]
    biggest = max(seq, default=n)
    ordered = sorted([n, 5, 2])
    seq.append([99])
    print(biggest, ordered, biggest is seq[0], seq[0] is biggest)


main()
