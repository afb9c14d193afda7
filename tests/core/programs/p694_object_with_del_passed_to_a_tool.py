"""An object whose class defines ``__del__`` handed to an external: plain Python runs its
``__del__`` once, when the program lets go of it; a copy made for the call would run it again."""
from _tools import describe, shape


class Session:
    def __init__(self, name):
        self.name = name

    def __del__(self):
        print("closed", self.name)

    def __repr__(self):
        return f"Session({self.name})"


s = Session("a")
print(describe(s))
del s
print("after a")
t = Session("b")
print(shape({"session": t, "tags": [t]}))
t = None
print("after b")
