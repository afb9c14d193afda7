"""Compiled in stages: the cut falls inside the arms of a module-level if/else whose condition
depends on a call; names bound after the cut in the taken arm are read after the if."""
from _tools import add, llm, score

answer = llm("question")
if answer.startswith("ans"):
    base = score(answer)
    doubled = add(base, base)
    parts = []
    for i in range(3):
        parts.append(str(doubled + i))
    summary = ",".join(parts)
    print("then arm", summary)
    flag = doubled > 0
    labels = [p + "!" for p in parts]
    print("labels", labels)
    again = add(doubled, 1)
    print("again", again)
    words = summary.split(",")
    print("words", len(words))
    for w in words:
        print("w", w)
    result = again * 2
    print("result", result)
    kind = "then"
else:
    base = 0
    doubled = add(1, 2)
    parts = ["x"] * 3
    summary = "else"
    print("else arm", summary)
    flag = False
    labels = []
    print("labels", labels)
    again = add(doubled, 5)
    print("again", again)
    words = []
    print("words", len(words))
    for w in parts:
        print("w", w)
    result = again * 3
    print("result", result)
    kind = "else"
print("after if", kind, result, flag, summary)
print(sorted(k for k in globals() if k.startswith(("__opp_", "__opportune_try", "__opportune_manager"))))
