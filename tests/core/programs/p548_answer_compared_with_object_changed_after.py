"""A pending answer compared with one of the program's objects that the program changes right
after (an expected record it then updates for the next turn): the comparison sees the object
as it was when the program compared, as in plain Python."""
import time
from dataclasses import dataclass

import opportune


@dataclass
class Slot:
    name: str
    value: str


@opportune.external
def extract(text: str) -> Slot:
    time.sleep(0.02)
    name, _, value = text.partition("=")
    return Slot(name, value)


expected = Slot("city", "Paris")
checks = []
for text, nxt in [("city=Paris", "Rome"), ("city=Rome", "Oslo"), ("city=Lima", "Lima")]:
    got = extract(text)
    checks.append(got == expected)
    expected.value = nxt
print(checks)
found = extract("city=Lima")
same = found != expected
expected.name = "town"
print(same, found == expected)
