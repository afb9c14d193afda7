from _tools import describe


class Basket:
    def __init__(self):
        self.items = []

    def add(self, x):
        self.items.append(x)

    def __repr__(self):
        return f"Basket({self.items})"


b = Basket()
b.add("apple")
r = describe(b)
b.add("pear")
b.items[0] = "plum"
print(r)
print(b)
