"""try/except* around calls: a call in the body that fails after the body was left is still
caught by its except* handler (as a group), names rebound in the body are restored, and a
failure from before the try* passes its handlers."""
from _tools import fail, llm, slow_fail

n = 0
try:
    b = slow_fail("late")
    n += 1
    print("after the late call")
except* RuntimeError as eg:
    print("caught", type(eg).__name__, [str(e) for e in eg.exceptions], n)
else:
    print("no error")
finally:
    print("finally", n)

try:
    early = slow_fail("early")
    try:
        c = llm("c")
    except* RuntimeError:
        print("inner handler must not see the early failure")
    print("not reached")
except RuntimeError as e:
    print("outer", e)

try:
    raise ExceptionGroup("mixed", [ValueError("v"), TypeError("t")])
except* ValueError:
    print("v handled")
except* TypeError:
    print("t handled", llm("t"))
try:
    fail("plain")
except* ValueError as eg:
    print(repr(eg.exceptions[0]))
