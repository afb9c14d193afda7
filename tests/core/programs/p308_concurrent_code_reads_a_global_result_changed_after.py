"""A function running concurrently, and one a deferred loop calls, read a global that holds a
call's result (``HITS = search(q)``); the program changes that result in place right after:
the change waits for them, which see it as plain Python's calls did."""
from _tools import score, search

HITS = search("q", 3)


def judge(word: str) -> str:
    if score(word) >= 0:
        return f"{word} {HITS}"
    return ""


def tag(word: str) -> str:
    return word + str(len(HITS))


n = len(HITS)
j = judge("abc")
HITS.append("late")
print(j)

out = []
for h in search("w", 2):
    if score(h) >= 0:
        out = out + [tag(h)]
HITS.append("later")
print(out, n, HITS)
