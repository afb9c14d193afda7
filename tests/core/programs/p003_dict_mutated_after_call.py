from _tools import describe

config = {"model": "small", "temperature": 0.5}
a = describe(config)
config["model"] = "large"
del config["temperature"]
config["stop"] = ["\n"]
b = describe(config)
config["stop"].append("END")
print(a)
print(b)
print(config)
