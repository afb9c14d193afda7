"""``is`` between a value still being computed and one of the program's lists: a branch on an
answer that picks one of two lists, and a tool method that returns its own history list. The
identity test sees the very lists, as in plain Python (a copy of the list, made so that later
changes could not reach the comparison, has another identity)."""
import time

import opportune


@opportune.external
def decide(q: str) -> str:
    time.sleep(0.02)
    return "y" if len(q) % 2 else "n"


class Memory:
    def __init__(self):
        self.history = []

    @opportune.external
    def recall(self):
        time.sleep(0.01)
        return self.history


short_list, long_list = ["s"], ["l"]
for q in ["a", "bb"]:
    chosen = short_list if decide(q) == "y" else long_list
    print(chosen is short_list, chosen is not long_list)
    same = chosen is short_list
    short_list = list(short_list)
    print(same)

memory = Memory()
memory.history.append("x")
h = memory.recall()
print(h is memory.history)
memory.history.append("y")
print(h, h is memory.history)
