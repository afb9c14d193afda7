"""A print shows an answer (an object) and a slower call; right after it, the program changes
that object through its attribute dict (vars(doc).update, doc.__dict__[k] = v): the print
shows the object as it was."""
import time
from dataclasses import dataclass

import opportune


@dataclass
class Doc:
    title: str
    words: int


@opportune.external
def fetch_doc(name: str) -> Doc:
    time.sleep(0.01)
    return Doc(title=f"about {name}", words=len(name) * 7)


@opportune.external
def slow(x: int) -> int:
    time.sleep(0.08)
    return x * 10


a = fetch_doc("a")
print(a, slow(1))
vars(a).update(title="renamed", words=0)
b = fetch_doc("bb")
print("b:", b, slow(2))
b.__dict__["title"] = "set through __dict__"
c = fetch_doc("ccc")
print([c, slow(3)])
c.__dict__.setdefault("note", "added")
print(a, b, c, vars(c))
