"""A conversation history list of dicts mutated across turns and passed to the llm each turn."""
import time

import opportune

SEEN = []


@opportune.external
def chat(messages: list) -> str:
    time.sleep(0.02)
    SEEN.append([m["content"] for m in messages])
    return f"reply#{len(messages)} to {messages[-1]['content']}"


history = [{"role": "system", "content": "be brief"}]
replies = []
for q in ["hi", "what is 2+2", "thanks"]:
    history.append({"role": "user", "content": q})
    r = chat(history)
    replies.append(r)
    history.append({"role": "assistant", "content": r})
history[0]["content"] = "be verbose"
r2 = chat(history[:2])
history.pop()
history[-1]["content"] += "!"
r3 = chat(history)
print(replies)
print(r2, r3)
for s in SEEN:
    print(s)
print(len(history), history[-1])
