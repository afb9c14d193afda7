"""``for`` loops whose target is not a plain name (``for Config.TABLE["k"] in ...``,
``for Config.ROWS[0], Config.ROWS[1] in ...``, ``for i, Config.ROWS[i] in ...``,
``for Config.holder.x in ...``) store into objects that a function running concurrently, a
deferred ``if`` arm and an external's body still read: each store waits for them, as plain
Python ran them before the loop."""
import time

import opportune
from _tools import llm, score


class Holder:
    def __init__(self) -> None:
        self.x = None


class Config:
    TABLE = {"k": 1}
    ROWS = [0, 0]
    holder = Holder()


@opportune.external
def snapshot(tag: str) -> str:
    time.sleep(0.03)
    return f"{tag}:{Config.TABLE['k']}/{Config.ROWS}/{Config.holder.x}"


def report(word: str) -> str:
    if score(word) >= 0:
        return f"{word} {sorted(Config.TABLE.items())} {Config.ROWS} {Config.holder.x}"
    return ""


r1 = report("one")
for Config.TABLE["k"] in [5, 6]:
    pass
r2 = report("two")
for Config.ROWS[0], Config.ROWS[1] in [(1, 2), (3, 4)]:
    pass
r3 = report("three")
for i, Config.ROWS[i] in enumerate([7, 8]):
    pass
r4 = report("four")
s1 = snapshot("s1")
for Config.holder.x in ["a", "b"]:
    pass
s2 = snapshot("s2")
for Config.TABLE["k"] in range(10, 13):
    pass

verdict = score("verdict")
label = "none"
if verdict > 10:
    label = llm(f"high {Config.TABLE} {Config.holder.x}")
else:
    label = llm(f"low {Config.TABLE} {Config.holder.x}")
for Config.holder.x in ["c"]:
    Config.TABLE["k"] = 99
for r in (r1, r2, r3, r4, s1, s2, label):
    print(r)
print(Config.TABLE, Config.ROWS, Config.holder.x)
