"""The program changes, in place, lists that code running concurrently still reads through a
pending value (a deferred loop and a function of the program's own run on their own threads):
`+=` on a list held by a name, `del`, slice assignment, and container methods called directly.
Each change waits for that code, so it reads what plain Python's code read."""
from _tools import record, score


def rows_of(n: int) -> list:
    return [record(i)["tags"] for i in range(n)]


def summary(rows: list) -> str:
    first = score("wait")  # the function reads rows only after this call has answered
    if first >= 0:
        return "|".join(",".join(r) for r in rows)
    return ""


rec = record(1)
total = 0
for tag in rec["tags"]:
    if score(tag) >= 0:  # the loop reads the list only after each answer
        total = total + len(",".join(rec["tags"]))
for key, t in rec.items():  # t: the real list the loop reads through rec
    if key == "tags":
        t += ["added"]
print(total)

rec2 = record(2)
n = 0
for tag in rec2["tags"]:
    if score(tag) >= 0:
        n = n + len(str(rec2["tags"]))
for key, t in rec2.items():
    if key == "tags":
        del t[0]
print(n)

rec3 = record(3)
m = 0
for tag in rec3["tags"]:
    if score(tag) >= 0:
        m = m + len(str(rec3["tags"]))
for key, t in rec3.items():
    if key == "tags":
        t[0:1] = []
print(m)

rec4 = record(4)
s = summary([rec4["tags"], rec4["tags"]])
for key, t in rec4.items():
    if key == "tags":
        t.append("z")
print(s)

rec5 = record(5)
meta = rec5["meta"]
s5 = summary([[str(k) for k in rec5["meta"]]])
for key, d in rec5.items():
    if key == "meta":
        d["late"] = 1
print(s5, meta)
