"""try with handlers, else and finally together: a handler that does not match leaves the
finally to see the names put back; one that matches puts them back itself and the finally sees
what the handler bound; else and finally after a body that did not fail keep every name; a
call that fails in else or in a handler is met before the finally, which sees the names as
plain Python left them."""
from _tools import fail, llm


def unmatched():
    v = "v0"
    try:
        try:
            v = fail("unmatched")
        except KeyError:
            v = "key handler"
        else:
            v = "else"
        finally:
            print("unmatched finally", v)
    except ValueError:
        return "outer", v


def matched():
    v = "v0"
    try:
        v = llm("m")
        w = fail("matched")
    except ValueError:
        v = v + "+handler"
    finally:
        print("matched finally", v.startswith("ans"), v.endswith("+handler"), "w" in locals())
    return v.endswith("+handler")


def no_failure():
    v = "v0"
    try:
        v = llm("ok")
    except ValueError:
        v = "handler"
    else:
        v = v + "+else"
    finally:
        v = v + "+finally"
    return v.startswith("ans"), v.endswith("+else+finally")


def else_finally():
    z = "z0"
    try:
        z = llm("e")
    except ValueError:
        z = "no"
    else:
        z = fail(z)
        z = "after"
    finally:
        print("ef finally", z.startswith("ans"))


def handler_finally():
    z = "z0"
    try:
        z = fail("h")
    except ValueError:
        z = llm("in handler")
        z = fail(z)
    finally:
        print("hf finally", z)


for f in (else_finally, handler_finally):
    try:
        f()
    except ValueError as e:
        print("caught", e)
print(unmatched())
print(matched())
print(no_failure())
print("end")
