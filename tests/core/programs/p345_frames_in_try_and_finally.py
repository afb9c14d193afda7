"""The program reads its own frame (sys._getframe, inspect.currentframe) to tag output with the
function and line, in a try body, its handler and its finally."""
import inspect
import sys

from _tools import fail, llm


def where():
    caller = sys._getframe(1)
    assert inspect.currentframe().f_code.co_name == "where"
    return f"{caller.f_code.co_name}:{caller.f_lineno}"


def main():
    try:
        a = llm("x")
        print("body", where(), a)
        fail("y")
    except ValueError:
        print("handler", where(), sys._getframe().f_lineno)
    finally:
        print("finally", sys._getframe(0).f_code.co_name, sys._getframe().f_lineno)
    print("caller of main is", sys._getframe(1).f_code.co_name)


main()
print("module", where())
