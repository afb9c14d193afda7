"""A printed record holds an answer still being computed and one of the program's objects,
which the program changes right after the print: the line shows the object as it was at the
print, as in plain Python."""
import time
from dataclasses import dataclass, field

import opportune


@dataclass
class Doc:
    text: str
    tags: list = field(default_factory=list)


@opportune.external
def score(text: str) -> float:
    time.sleep(0.02)
    return len(text) / 10


doc = Doc("tea leaves")
row = {"doc": doc, "score": score(doc.text)}
print(row)
doc.text = "changed"
doc.tags.append("seen")
pairs = [(d, score(d.text)) for d in [Doc("a"), Doc("bb")]]
print(pairs)
for d, _ in pairs:
    d.text += "!"
print(pairs)
print([row["doc"], score("xyz")], {doc.text})
doc.tags.clear()
