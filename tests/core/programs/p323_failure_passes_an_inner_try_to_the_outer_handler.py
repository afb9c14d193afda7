"""A call fails inside an inner try whose handlers do not match; the outer try's handler
catches it and sees the names as plain Python left them (bound before the failing call, not
after it, nor from it). Also an if whose condition is the failing call: the names its arm
changed are put back too, and the handler's result is printed."""
from _tools import fail, llm


def nested():
    b = "start"
    try:
        try:
            b = fail("inner")
        except KeyError:
            b = "wrong handler"
    except ValueError as e:
        return "caught", str(e), b
    return "no failure"


def nested_after_call():
    a = b = "start"
    try:
        a = llm("x")
        try:
            b = (c := fail("inner"))
        except KeyError:
            b = "wrong handler"
        a = "after inner"
    except ValueError:
        return a == "start", a.startswith("ans"), b, "c" in locals()
    return "no failure"


def three_levels():
    n = 0
    try:
        n += 1
        try:
            try:
                n += 10
                fail("deep")
                n += 100
            except KeyError:
                n = -1
        except TypeError:
            n = -2
    except ValueError:
        return "outer", n
    return "none", n


def failing_condition(words):
    count = 0
    try:
        r = llm(words[0])
        if fail(r):
            count += 1
        while count < 3:
            count += 1
    except ValueError:
        return "caught", count
    return "done", count


print("nested", nested())
print("nested after a call", nested_after_call())
print("three levels", three_levels())
print("failing condition", failing_condition(["a"]))
print("end")
