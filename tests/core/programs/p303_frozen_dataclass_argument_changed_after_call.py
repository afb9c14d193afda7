"""A frozen dataclass handed to a function that runs concurrently is not copied; a list it
holds, changed by the program right after the call (also in place through another container,
``holder["tags"] += [...]``, and in a dataclass with slots), is still seen as it was at the
call."""
from dataclasses import dataclass

from _tools import score


@dataclass(frozen=True)
class Query:
    text: str
    tags: list


def describe(q: Query) -> str:
    if score(q.text) >= 0:
        return f"{q.text}: {', '.join(q.tags)}"
    return ""


q = Query("find", ["a", "b"])
d = describe(q)
q.tags.append("c")
q.tags[0] = "z"
print(d)
print(q)

r = Query("again", ["x"])
d2 = describe(r)
holder = {"tags": r.tags}
holder["tags"] += ["y"]
print(d2, r)


@dataclass(frozen=True, slots=True)
class Slotted:
    text: str
    tags: list


def describe_slotted(q: Slotted) -> str:
    if score(q.text) >= 0:
        return f"{q.text}: {', '.join(q.tags)}"
    return ""


s = Slotted("slots", ["p"])
d3 = describe_slotted(s)
s.tags.append("q")
print(d3, s)
