from dataclasses import dataclass

from _tools import llm, describe


@dataclass
class Query:
    text: str
    context: list


q = Query(llm("q"), [llm("c1"), {"nested": llm("c2")}])
r = describe(q)  # the call must receive resolved values, nested ones included
print(r)
print(describe((llm("t"), [llm("u")])))
