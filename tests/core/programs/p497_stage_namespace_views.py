"""Compiled in stages: globals(), dir(), vars() and del across stages see the program's names
only, and a name deleted in a later stage is gone."""
from _tools import llm, square

first = llm("a")
temp = square(2)
keep = [temp]
print("first", first.startswith("ans"), temp)
names_one = sorted(k for k in dir() if not k.startswith("__"))
print("dir", names_one)
for i in range(2):
    keep.append(i)
print("keep", keep)
del temp
print("temp gone", "temp" not in globals())
view = sorted(k for k in vars() if not k.startswith("__"))
print("vars", view)
g = globals()
g["injected"] = 5
print("injected", injected)  # noqa: F821
second = llm("b")
print("second", second.startswith("ans"))
flag = square(3) > 5
if flag:
    result = "yes"
else:
    result = "no"
print("result", result)
print("helpers", [k for k in globals() if k.startswith(("__opp_", "__opportune_try", "__opportune_manager"))])
print("final", sorted(k for k in globals() if not k.startswith("__")))
try:
    print(temp)
except NameError as e:
    print("name error", e)
print("done")
