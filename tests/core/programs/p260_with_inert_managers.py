"""A with body whose manager neither swallows a failure nor reads program objects (a file, a
lock) lets its changes run ahead of its calls; a failing call in it still reaches an enclosing
try before that try's handler looks at the objects, and a manager of the program's own that
swallows the failure and prints what it sees still sees only what plain Python made."""
import os
import tempfile
import threading

from _tools import fail, fail_if, llm

lock = threading.Lock()
folder = tempfile.mkdtemp()
path = os.path.join(folder, "out.txt")

answers = []
with open(path, "w") as f:
    for i in range(3):
        a = llm(f"q{i}")
        answers.append(a)
        f.write(a + "\n")
with open(path) as f:
    print("file", f.read().splitlines() == answers, len(answers))

held = []
with lock:
    for i in range(3):
        held.append(llm(f"lock{i}"))
print("lock", held)

kept = []
try:
    with open(path, "a") as f, lock:
        for i in range(4):
            v = fail_if(i, 2)
            kept.append(v)
except KeyError as e:
    print("outer try saw", e, kept)
print("lock free again", lock.acquire(blocking=False))
lock.release()


class Peek:
    """Swallows a ValueError and shows the list as it stands when the body is left."""

    def __init__(self, items: list) -> None:
        self.items = items

    def __enter__(self) -> "Peek":
        return self

    def __exit__(self, kind, error, tb) -> bool:
        print("peek", kind.__name__ if kind else None, self.items)
        return kind is ValueError


seen: list = []
with Peek(seen):
    r = fail("peek")
    seen.append("after the failure")
print("after peek", seen)

total = []
with open(path, "w") as f:
    total.append(llm("last"))
    total += [llm("plus")]
print("total", total)
os.remove(path)
os.rmdir(folder)
