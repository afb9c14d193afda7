from _tools import shape, llm, square


class Holder:
    def __init__(self, inner):
        self.inner = inner


class Inner:
    def __init__(self, v):
        self.v = v
        self.more = [v, {"k": v}]


print(shape({square(2), square(3)}))
print(shape(frozenset([llm("f")])))
print(shape(Holder(Inner(llm("deep")))))
print(shape([Holder([square(1), (llm("t"), {llm("k"): square(2)})])]))
