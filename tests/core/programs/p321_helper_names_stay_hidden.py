"""The names the compiler binds for its own use (try marks, journal temporaries, if-converted
and deferred statements, call site temporaries) are not visible to the program: globals(),
dir(), vars() of a module or class, a class's __dict__, and locals() or dir() in a function
show what plain Python shows (registries and plugin discovery iterate them)."""
import contextlib

from _tools import llm, score


def shown(names):
    return sorted(n for n in names if not (n.startswith("__") and n.endswith("__")))


class Registry:
    kind = "plugins"
    try:
        default = llm("default")
    except ValueError:
        default = None
    with contextlib.suppress(KeyError):
        extra = {}["missing"]
    items = [k * 2 for k in range(3)]
    if kind:
        label = "on"
    else:
        label = "off"


def work(words, flag):
    total = 0
    try:
        first = llm(words[0])
        total += 1
    except ValueError:
        first = None
    with contextlib.suppress(KeyError):
        second = {}["x"]
    if score(words[0]) > 500:
        tag = llm("big")
    else:
        tag = "small"
    if flag:
        mode = "on"
    else:
        mode = "off"
    sizes = [len(w.upper()) for w in words]
    upper = [w.strip().upper() for w in words if w]
    text = words[0].upper().replace("A", "b")
    for w in words:
        total += len(llm(w))
    print("dir", dir())
    return shown(locals())


print("locals", work(["alpha", "beta"], True))
print("class", shown(vars(Registry)))
print("dict", shown(Registry.__dict__))
try:
    r = llm("module")
    n = 1
except ValueError:
    n = 0
with contextlib.suppress(KeyError):
    s = {}["m"]
if score("m") > 10:
    x = llm("big")
else:
    x = "small"
ys = [y for y in range(3)]
for w in ["a", "b"]:
    q = llm(w)
print("globals", shown(globals()))
print("dir", shown(dir()))
print("vars", shown(vars()))
