from _tools import describe

items = [1, 2, 3]
first = describe(items)  # the call must see [1, 2, 3]
items.append(4)
items[0] = 100
second = describe(items)
items.clear()
print(first)
print(second)
print(items)
