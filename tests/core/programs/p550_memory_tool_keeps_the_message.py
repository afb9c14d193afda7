"""A memory tool stores the message it is given in a module-level store; the program edits
the message afterwards and reads it back from the store: the store holds the program's
message, as in plain Python."""
import time

import opportune

MEMORY = {}


@opportune.external
def remember(key: str, message: dict) -> int:
    time.sleep(0.01)
    MEMORY[key] = message
    return len(MEMORY)


msg = {"role": "user", "content": "hello"}
n = remember("first", msg)
msg["content"] += " there"
print(n, MEMORY["first"], MEMORY["first"] is msg)
notes = ["a"]
remember("notes", notes)
notes.append("b")
print(MEMORY["notes"])
