from _tools import Tool, Calculator

for obj in [Tool("x"), Calculator("y")]:
    for name in ["run", "local"]:
        method = getattr(obj, name)
        print(name, method("arg"))
print(getattr(Calculator("z"), "run")("direct"))
