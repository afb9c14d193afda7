from _tools import describe


class Box:
    def __init__(self, v):
        self.v = v

    def __repr__(self):
        return f"Box({self.v!r})"


box = Box(1)
seen = describe(box)
box.v = 2
print(seen)
