"""A generator pipeline (yield from) feeding calls."""
import time

import opportune


@opportune.external
def summarize(chunk: str) -> str:
    time.sleep(0.01)
    return f"<{chunk[:6]}>"


def chunks(text, n):
    for i in range(0, len(text), n):
        yield text[i:i + n]


def docs():
    yield from chunks("the quick brown fox jumps", 8)
    yield from ["extra one", "extra two"]
    return "done"


def summaries(source):
    for c in source:
        s = summarize(c)
        print("made", c)
        yield s


def delegate():
    r = yield from docs()
    print("docs returned", r)


out = list(summaries(delegate()))
print(out)
g = summaries(chunks("abcdefghij", 3))
print(next(g))
print(g.send(None))
print([s.upper() for s in g])
total = sum(len(summarize(c)) for c in chunks("x" * 20, 5))
print(total)
