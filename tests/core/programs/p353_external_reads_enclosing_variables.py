"""An external defined inside a function reads that function's memory list and preferences
dict; the program changes both right after each call: every call sees them as they were at
its call, as in plain Python."""
import time

import opportune


def make_agent():
    memory = []
    prefs = {"tone": "dry"}

    @opportune.external
    def respond(q: str) -> str:
        time.sleep(0.03)
        return f"{q} ({prefs['tone']}, {len(memory)} remembered)"

    def turn(q):
        answer = respond(q)
        memory.append(q)
        prefs["tone"] = "warm" if len(memory) > 1 else "dry"
        return answer

    return turn


turn = make_agent()
print([turn(q) for q in ["hi", "how", "why", "bye"]])
