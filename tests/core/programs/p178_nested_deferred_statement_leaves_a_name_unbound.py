"""A loop inside a branch arm runs no iteration, so a name only the loop assigns stays unbound
through both; the program never reads it, and nothing fails."""
from _tools import search

pages = ["todo"]
for attempt in range(2):
    if pages is None:
        note = "no page"
    else:
        done = 0
        for i in range(attempt):  # no iteration the first time
            item = search(str(i), k=1)
            unused = item[0].strip()
            done = done + 1
        note = f"{done} done"
    print(note)
