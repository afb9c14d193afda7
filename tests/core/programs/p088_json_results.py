import json

from _tools import record, llm

data = [record(i) for i in range(3)]
text = json.dumps(data, sort_keys=True)
print(text)
back = json.loads(text)
print(back == data, back[1]["tags"])
print(json.dumps({"answer": llm("j"), "n": len(data)}, indent=2))
