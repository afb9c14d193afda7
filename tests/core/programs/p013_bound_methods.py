from _tools import Tool, Calculator

t = Tool("alpha")
c = Calculator("beta")
methods = [t.run, c.run, t.local, c.local]
out = [m("x") for m in methods]
print(out)
run = c.run
print(run("again"), run.__self__.name)
unbound = Tool.run
print(unbound(c, "unbound"))
