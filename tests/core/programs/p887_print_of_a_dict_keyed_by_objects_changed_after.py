"""A print of a dict whose values are pending and whose keys are the program's objects,
changed right after the print: the keys show as they were at the print."""
import time

import opportune


@opportune.external
def score(title: str) -> int:
    time.sleep(0.05)
    return len(title) * 3


class Doc:
    def __init__(self, title):
        self.title = title

    def __repr__(self):
        return f"Doc({self.title!r})"


docs = [Doc("intro"), Doc("methods")]
print({doc: score(doc.title) for doc in docs})
for doc in docs:
    doc.title = doc.title.upper()
print({(doc, "v1"): score(doc.title) for doc in docs}, "and", {"Doc('X')": 1, Doc("X"): 2})
docs[0].title = "changed"
print(docs)
