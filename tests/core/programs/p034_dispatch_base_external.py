from _tools import Tool, Calculator, Searcher


class Custom(Calculator):
    prefix = "custom"


tools = [Tool("t"), Calculator("c"), Searcher("s"), Custom("u")]
results = [t.run("q") for t in tools]
for t, r in zip(tools, results):
    print(type(t).__name__, r)
