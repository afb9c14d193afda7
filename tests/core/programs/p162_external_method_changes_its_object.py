"""An external method that changes its own object: the change reaches the program's object."""
import time

import opportune


class Counter:
    def __init__(self):
        self.calls = 0
        self.seen = []

    @opportune.external
    def ask(self, question):
        time.sleep(0.01)
        self.calls += 1
        self.seen.append(question)
        return f"answer to {question}"

    @opportune.external
    def peek(self, question):
        time.sleep(0.01)
        return f"{question}: {len(self.seen)} seen"


c = Counter()
print(c.ask("a"), c.ask("b"))
print(c.calls, c.seen)
print(c.peek("x"), c.peek("y"))
