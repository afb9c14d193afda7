import contextlib

from _tools import llm


class Session:
    def __init__(self, name):
        self.name = name
        self.log = []

    def __enter__(self):
        print("enter", self.name)
        return self

    def __exit__(self, exc_type, exc, tb):
        print("exit", self.name, exc_type.__name__ if exc_type else None, len(self.log))
        return exc_type is KeyError


with Session("s1") as s:
    s.log.append(llm("inside"))
    print(s.log[0])

with Session("s2") as s:
    s.log.append(llm("boom"))
    raise KeyError("swallowed")
print("after s2")


@contextlib.contextmanager
def tag(name):
    print(f"<{name}>")
    try:
        yield name.upper()
    finally:
        print(f"</{name}>")


with tag("a") as t, tag("b") as u:
    print(llm(t + u))
