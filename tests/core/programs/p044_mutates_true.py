from _tools import append_to, set_field, describe

items = ["a"]
n = append_to(items, "b")
print(n, items)
n2 = append_to(items, describe(items))
print(n2, items)


class Rec:
    pass


r = Rec()
set_field(r, "status", "done")
print(r.status)
items.append("c")
print(items)
