"""A streamed JSON array: each element is used as soon as it is complete."""
import json

from _tools import llm, stream_json

for step in json.loads(stream_json("plan")):
    print(step["step"], step["tool"], llm(step["tool"] + str(step["arg"])))
for key in json.loads(stream_json("object")):
    print("key", key)
steps = json.loads(stream_json("again"))
print(len(steps), steps[-1])
