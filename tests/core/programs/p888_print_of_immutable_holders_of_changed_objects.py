"""A print holding a pending value and objects that cannot change themselves but hold what
can (a frozen dataclass with a list field, a SimpleNamespace, a mappingproxy of a dict): the
program changes what they hold right after the print, which shows them as they were."""
import time
import types
from dataclasses import dataclass

import opportune


@opportune.external
def rank(text: str) -> int:
    time.sleep(0.05)
    return len(text)


@dataclass(frozen=True)
class Query:
    text: str
    tags: list


q = Query("weather", ["today"])
print([q, rank(q.text)])
q.tags.append("tomorrow")
settings = types.SimpleNamespace(model="small", retries=1)
print({"settings": settings, "rank": rank(settings.model)})
settings.retries = 3
table = {"a": [1]}
view = types.MappingProxyType(table)
print((view, rank("a")), "done")
table["a"].append(2)
table["b"] = []
print(q, settings, view)
