"""Each turn the reply (a dict an external returned) goes into the history, the history is
passed to the next call, and only then is the reply edited: the next call sees the reply as
it was returned, as in plain Python, where that call was made before the edit."""
import time

import opportune


@opportune.external
def chat(messages: list) -> dict:
    time.sleep(0.02)
    text = " / ".join(m["content"] for m in messages)
    return {"role": "assistant", "content": f"reply to {len(messages)}: {text}"}


history = [{"role": "user", "content": "hi"}]
r = chat(history)
history.append(r)
r2 = chat(history)
r["content"] = "edited"
history.append(r2)
r3 = chat(history)
r2["content"] = r2["content"].upper()
print(r2["content"])
print(r3["content"])
