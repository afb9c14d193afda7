from _tools import llm, fail


def f():
    try:
        return llm("try")
    finally:
        print("finally sees nothing pending")


def g():
    try:
        fail("g")
    finally:
        return "finally wins"  # noqa: B012


def h():
    for i in range(3):
        try:
            if i == 1:
                continue
            v = llm(f"h{i}")
        finally:
            print("h finally", i)
    return v


print(f())
print(g())
print(h())
