from _tools import llm, send

send("first")
items = {"a": 1}
try:
    llm(items["missing"])
except KeyError as e:
    print("KeyError", e)
print(llm(str(items["a"])))
send(str(1 / 0))
print("not reached")
