"""getattr dispatch, __getattr__ delegation, __call__ tools, partials, subclass overrides."""
import functools
import time

import opportune


class Agent:
    def __init__(self, name):
        self.name = name
        self.calls = 0

    @opportune.external
    def tool_search(self, q):
        time.sleep(0.01)
        return f"{self.name} searched {q}"

    @opportune.external
    def tool_lookup(self, q):
        time.sleep(0.01)
        return f"{self.name} looked up {q}"

    def act(self, action, arg):
        fn = getattr(self, f"tool_{action}", None)
        if fn is None:
            return f"no tool {action}"
        self.calls += 1
        return fn(arg)


class LoudAgent(Agent):
    @opportune.external
    def tool_search(self, q):
        time.sleep(0.01)
        return super().tool_search(q).upper()


class Callable:
    def __init__(self, prefix):
        self.prefix = prefix

    @opportune.external
    def __call__(self, x):
        time.sleep(0.01)
        return self.prefix + str(x)


class Proxy:
    def __init__(self, tools):
        self._tools = tools

    def __getattr__(self, name):
        try:
            return self._tools[name]
        except KeyError:
            raise AttributeError(name) from None


agents = [Agent("a"), LoudAgent("b")]
out = [ag.act(act, "x") for ag in agents for act in ("search", "lookup", "fly")]
print(out, [ag.calls for ag in agents])
c = Callable(">")
tools = {"echo": c, "p": functools.partial(c, 7), "m": agents[0].tool_lookup}
print([tools[k]() if k == "p" else tools[k]("z") for k in tools])
px = Proxy(tools)
print(px.echo(1), px.m("w"))
try:
    px.missing
except AttributeError as e:
    print("AttributeError", e)
print(functools.reduce(lambda acc, t: acc + c(t), "abc", ""))
