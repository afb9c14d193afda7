"""A deferred loop body and a deferred ``if`` arm call a function that reads a class attribute;
the program changes it after the statement: each iteration sees it as plain Python's did."""
from _tools import score, search


class Settings:
    prefix = "p"
    seen = []


def tag(word: str) -> str:
    return Settings.prefix + word + str(len(Settings.seen))


hits = search("q", 3)
out = []
for h in hits:
    if score(h) >= 0:
        out = out + [tag(h)]
Settings.prefix = "changed"
Settings.seen.append(1)
print(out)

k = score("k")
label = "none"
if k > 10:
    label = tag("arm") + str(score("arm"))
Settings.prefix = "again"
Settings.seen.append(2)
print(label)
