"""The program prints, makes a call that fails while the program goes on, more calls and
prints, and then raises an error of its own: plain Python stopped at the failing call, so
its report names that call's line, and the output after it never appeared."""
from _tools import fail, llm


def gather(topic: str) -> str:
    return fail(f"no source for {topic}")


a = llm("first")
print("a:", a)
b = gather("b")
c = llm("third")
print(c)
raise KeyError("own")
