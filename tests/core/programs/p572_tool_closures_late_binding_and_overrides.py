"""Tools made as closures: lambdas in a dict comprehension (late binding: all call the last
name, as in plain Python), default-argument and partial bindings, a nonlocal counter, a
global read by a lambda and rebound after a call, and methods a subclass overrides (and a
class attribute and __class__ changed between calls)."""
import functools
import time
import opportune

@opportune.external
def call(tool: str, x: str) -> str:
    time.sleep(0.01)
    return f"{tool}({x})"

names = ["search", "calc", "wiki"]
late = {n: lambda x: call(n, x) for n in names}
bound = {n: (lambda x, n=n: call(n, x)) for n in names}
parts = {n: functools.partial(call, n) for n in names}
print([late[n]("q") for n in names])
print([bound[n]("q") for n in names])
print([parts[n]("q") for n in names])

def make_agent(prefix):
    count = 0
    def step(q):
        nonlocal count
        count += 1
        return call(prefix, f"{q}#{count}")
    def get():
        return count
    return step, get

step, get = make_agent("agent")
outs = [step(q) for q in "abc"]
print(outs, get())
prefix = "p1"
f = lambda q: call(prefix, q)
r = f("x")
prefix = "p2"
print(r, f("y"))
class Base:
    kind = "base"
    def run(self, x):
        return call(self.kind, self.prep(x))
    def prep(self, x):
        return x
class Upper(Base):
    kind = "upper"
    def prep(self, x):
        return x.upper()
objs = [Base(), Upper(), Base()]
print([o.run("v") for o in objs])
Base.kind = "changed"
print([o.run("w") for o in objs])
objs[0].__class__ = Upper
print(objs[0].run("z"))
