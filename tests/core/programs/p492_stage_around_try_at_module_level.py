"""Compiled in stages: a module-level try whose body makes calls after the first one is never
cut inside (its handler puts back the names bound after a failing call); the stages before and
after it run as in plain Python."""
from _tools import fail, llm, square

start = llm("begin")
values = []
for i in range(4):
    values.append(i + 1)
print("values", values)
state = "s0"
try:
    state = llm("in try")
    half = square(3)
    state = fail("inside")
    state = "never"
    half = 0
except ValueError as e:
    print("handler", e, state.startswith("ans"), half)
finally:
    print("finally", state.startswith("ans"))
after = [square(v) for v in values]
print("after", after)
total = 0
for a in after:
    total += a
print("total", total)
letters = "".join(chr(97 + v) for v in values)
print("letters", letters)
flag = total > 10
print("flag", flag)
mapping = dict(zip(letters, after))
print("mapping", sorted(mapping.items()))
last = llm("end")
print("last", last.startswith("ans"))
print("start", start.startswith("ans"))
try:
    square("x")
except TypeError as e:
    print("type error caught", type(e).__name__)
print(sorted(k for k in globals() if k.startswith(("__opp_", "__opportune_try"))))
