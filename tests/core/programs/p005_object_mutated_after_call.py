from _tools import describe


class Box:
    def __init__(self, v):
        self.v = v

    def __repr__(self):
        return f"Box({self.v!r})"


box = Box([1, 2])
seen = describe(box)  # a running call holds box: the program must not change it under the call
box.v.append(3)
box.v = "replaced"
print(seen)
print(box)
