"""A loop in a `try` of a function assigns names and then makes a call that fails; the loop
goes on past it (the failure is met later). The handler sees the names as they were when the
call was made, as in plain Python: the last iteration's assignments are not kept."""
from _tools import fail, llm


def loop(words):
    seen, last = [], None
    try:
        for w in words:
            last = llm(w)
            seen = seen + [w]
            if w == "boom":
                fail(w)
    except ValueError as error:
        return "failed", type(error).__name__, seen, last
    return "done", seen, last


print(loop(["a", "boom", "c"]))
print(loop(["a", "b"]))
print("end")
