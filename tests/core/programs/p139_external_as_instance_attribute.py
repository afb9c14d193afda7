from _tools import llm, search


class Pipeline:
    def __init__(self, backend):
        self.backend = backend
        self.steps = {"find": search, "ask": backend}

    def go(self, q):
        found = self.steps["find"](q, k=1)[0]
        return self.backend(found + "?")


p = Pipeline(llm)
q = Pipeline(lambda x: "local " + x)
print(p.go("rivers"), q.go("lakes"))
p.backend = str.upper
print(p.go("seas"))
