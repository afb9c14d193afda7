class Vec:
    __slots__ = ("x", "y")

    def __init__(self, x, y):
        self.x, self.y = x, y

    def __add__(self, o):
        return Vec(self.x + o.x, self.y + o.y)

    def __mul__(self, k):
        return Vec(self.x * k, self.y * k)

    def __eq__(self, o):
        return (self.x, self.y) == (o.x, o.y)

    def __hash__(self):
        return hash((self.x, self.y))

    def __repr__(self):
        return f"Vec({self.x}, {self.y})"

    @property
    def norm2(self):
        return self.x ** 2 + self.y ** 2

    @classmethod
    def zero(cls):
        return cls(0, 0)

    @staticmethod
    def parse(s):
        return Vec(*map(int, s.split(",")))


v = Vec(1, 2) + Vec.parse("3,4") * 2
print(v, v.norm2, v == Vec(7, 10), Vec.zero(), len({v, Vec(7, 10)}))


class Stack(list):
    def peek(self):
        return self[-1]


s = Stack([1, 2])
s.append(3)
print(s.peek(), s, isinstance(s, list))
