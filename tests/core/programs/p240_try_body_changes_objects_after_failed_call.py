"""A try body changes objects after a call that fails: plain Python never ran those changes,
so the handler and the code after the try must not see them (lists, dicts, attributes, slices,
del, += on a list, a with block whose __exit__ suppresses, a try in a loop, a function called
from the try body, nested try statements)."""
import contextlib

from _tools import fail, fail_if, llm


class Box:
    def __init__(self) -> None:
        self.v = 0


log = ["start"]
d = {"keep": 1, "gone": 2}
box = Box()
nums = [1, 2, 3, 4]
try:
    r = fail("first")
    log.append("after")
    d["k"] = "v"
    del d["gone"]
    box.v = 5
    nums[1:3] = []
    log += ["more"]
    log.extend(["x", "y"])
except ValueError as e:
    print("caught", e, log, d, box.v, nums)
print("after try", log, d, box.v, nums)

seen = set()
with contextlib.suppress(ValueError):
    r = fail("second")
    seen.add("in with")
    log.clear()
print("after with", seen, log)

out = []
for i in range(4):
    try:
        v = fail_if(i, 2)
        out.append(i)
        out.append(v)
    except KeyError as e:
        out.append(f"bad {e}")
print("loop", out)


def step(items: list, note: dict) -> str:
    r = fail("step")
    items.append("step ran")
    note["step"] = True
    return r


trail: list = []
notes: dict = {}
try:
    step(trail, notes)
except ValueError as e:
    print("step failed", e, trail, notes)

outer_log: list = []
try:
    a = fail("outer")
    try:
        outer_log.append("inner")
    except KeyError:
        print("never")
except ValueError as e:
    print("outer caught", e, outer_log)

ok_log: list = []
try:
    answer = llm("fine")
    ok_log.append("kept")
    ok_log.append(answer)
except ValueError:
    print("never")
print("ok", ok_log)

fin: list = []
try:
    try:
        r = fail("fin")
        fin.append("body")
    finally:
        print("finally sees", fin)
except ValueError as e:
    print("then", e, fin)
