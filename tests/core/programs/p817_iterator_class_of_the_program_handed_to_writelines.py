"""An iterator class of the program's (``__next__`` returns an answer) handed to library code.

``writelines`` takes each item from the program's compiled ``__next__``: the answers reach it
as real strings, and the iterator object itself is the program's (its state after the call
is plain Python's).
"""
import io
import time

import opportune


@opportune.external
def ask(q: str) -> str:
    time.sleep(0.02)
    return f"A:{q}"


class Answers:
    def __init__(self, questions):
        self.questions = list(questions)
        self.taken = 0

    def __iter__(self):
        return self

    def __next__(self):
        if not self.questions:
            raise StopIteration
        self.taken += 1
        return ask(self.questions.pop(0)) + "\n"


print(ask("first"))
answers = Answers("abc")
buf = io.StringIO()
buf.writelines(answers)
print(buf.getvalue().split(), answers.taken, answers.questions)
