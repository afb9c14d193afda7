"""A pydantic model whose fields the program sets to pending answers (``a.text = llm(q)``),
then serialises (``model_dump``, ``model_dump_json``), copies and compares. pydantic reads the
fields by their type: it must get the answers themselves, not stand-ins for them."""
import json
from pydantic import BaseModel
from _tools import llm, add


class Answer(BaseModel):
    question: str
    text: str = ""
    score: int = 0
    notes: list[str] = []


a = Answer(question="q1")
a.text = llm("q1")
a.score = add(2, 3)
a.notes = [llm("n1"), "plain"]
print(a.model_dump())
print(a.model_dump_json())
print(json.dumps(a.model_dump()))
b = Answer(question=llm("q2"), score=add(1, 1))
print(b)
print(repr(b), b == Answer(question=b.question, score=2))
c = b.model_copy(update={"text": llm("upd")})
print(c.model_dump(exclude={"notes"}))
d = Answer.model_validate({"question": llm("q3"), "notes": [llm("x")]})
print(d.notes, d.model_dump_json(indent=None))


class Report:
    def __init__(self, title):
        self.title = title
        self.body = llm(title)
        self.sections = [llm(f"{title} {i}") for i in range(2)]


r = Report("weekly")
print(json.dumps(vars(r)), json.dumps([r.__dict__]))
