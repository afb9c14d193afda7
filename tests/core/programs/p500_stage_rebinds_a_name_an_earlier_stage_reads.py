"""Compiled in stages (the differential test runs it so): a function defined in the first
stage reaches ``LIMIT`` through an attribute (a static method) while it runs concurrently, and
a later stage, which defines no function of its own, rebinds ``LIMIT`` right after the call.
Plain Python ran the function before that statement, so it sees the old value: the later
stage must tell the readers about the rebinding, though none of its own code reads the name."""
from _tools import score

LIMIT = 1


class Config:
    @staticmethod
    def limit() -> int:
        return LIMIT


def count(words: list[str]) -> str:
    n = 0
    for w in words:
        if score(w) >= 0:
            n += 1
    return f"{n} words, limit {Config.limit()}"


first = count(["x", "y", "z"])
# local work after the call, enough of it that the rest is compiled as a stage of its own
words = ["alpha", "beta", "gamma"]
sizes = {word: len(word) for word in words}
longest = max(sizes, key=lambda w: sizes[w])
shortest = min(sizes, key=lambda w: sizes[w])
total = sum(sizes.values())
mean = total / len(sizes)
spread = sizes[longest] - sizes[shortest]
summary = f"{longest}/{shortest}: {total} letters, mean {mean:.2f}, spread {spread}"
labels = [w.upper() for w in sorted(sizes)]
joined = ", ".join(labels)
note = "the rebinding below comes after the call"
LIMIT = 2
print(first)
print(summary)
print(joined, Config.limit())
