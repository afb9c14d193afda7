"""An external that changes the objects it is given, without mutates=True: the changes reach
the program's objects as in plain Python (found in the external's source), directly, through a
loop name, with += and through *args."""
import time

import opportune
from _tools import llm


@opportune.external
def tag_all(rows, label):
    time.sleep(0.02)
    for row in rows:
        row["label"] = label
    return len(rows)


@opportune.external
def remember(query, into=None):
    time.sleep(0.02)
    if into is not None:
        into.append(query)
    return query.upper()


@opportune.external
def grow(items, *more):
    time.sleep(0.01)
    items += list(more)
    return len(items)


@opportune.external
def stamp(*records):
    for r in records:
        r.seen = True


class Record:
    seen = False


rows = [{"id": 1}, {"id": 2}]
n = tag_all(rows, llm("label"))
print(n, rows)

found = []
answers = [remember(q, found) for q in ("a", "b")]
answers += [remember("c"), remember(llm("d"))]
print(answers, found)

xs = [1]
print(grow(xs, 2, 3), xs)
recs = [Record(), Record()]
stamp(*recs)
print([r.seen for r in recs])
rows.append({"id": 3})
print(tag_all(rows, "again"), [r["label"] for r in rows])
