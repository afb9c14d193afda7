import contextlib

from _tools import fail, llm

with contextlib.suppress(ValueError):
    r = fail("suppressed")
    print("not printed", r)
print("after suppress")


class Catch:
    def __enter__(self):
        return self

    def __exit__(self, et, e, tb):
        self.caught = repr(e)
        return True


with Catch() as c:
    a = llm("ok")
    fail("inside catch")
print(c.caught, a)
