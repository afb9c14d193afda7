from _tools import llm, score

CURRENT = None


def set_current(q):
    global CURRENT
    CURRENT = llm(q)


def report():
    return f"current={CURRENT} score={score(CURRENT)}"  # noqa: F821 - deleted at the end


set_current("first")
r1 = report()
set_current("second")
print(r1)
print(report())
del CURRENT
try:
    print(CURRENT)  # noqa: F821
except NameError as e:
    print("NameError", e)
