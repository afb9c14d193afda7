from dataclasses import dataclass, field, asdict, replace

from _tools import llm, score


@dataclass
class Step:
    question: str
    answer: str = ""
    score: int = 0
    notes: list = field(default_factory=list)


steps = [Step(q) for q in ["why", "how", "what"]]
for s in steps:
    s.answer = llm(s.question)
    s.score = score(s.answer)
    s.notes.append(len(s.answer))
for s in steps:
    print(s)
print(asdict(steps[0]))
print(replace(steps[1], score=-1))
print(steps[0] == Step("why", steps[0].answer, steps[0].score, list(steps[0].notes)))


@dataclass(frozen=True, order=True)
class Ranked:
    score: int
    text: str


print(sorted(Ranked(score(w), w) for w in ["x", "y", "z"]))
