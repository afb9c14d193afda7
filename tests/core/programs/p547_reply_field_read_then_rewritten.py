"""An agent reads a field of the reply object an external returned, then rewrites that field
in place (normalising the text, replacing the tool list): the value it read first is the one
from before the change, in a loop too (where a value read back from the changed field once
made the run wait on itself)."""
import time
from dataclasses import dataclass, field

import opportune


@dataclass
class Reply:
    content: str
    tool_calls: list = field(default_factory=list)


@opportune.external
def chat(prompt: str) -> Reply:
    time.sleep(0.02)
    return Reply(f"  answer to {prompt}  ", [f"search[{prompt}]"])


history = []
for turn in ["hi", "weather?", "bye"]:
    reply = chat(turn)
    raw = reply.content
    first_tool = reply.tool_calls[0]
    reply.content = raw.strip()
    reply.tool_calls = []
    history.append(reply)
    print(repr(raw), repr(reply.content), first_tool, reply.tool_calls)

last = chat("summary")
text = last.content
tools = last.tool_calls
last.tool_calls.append("calc[1+1]")
last.content = "replaced"
print(repr(text), tools, last)
print([h.content for h in history])
