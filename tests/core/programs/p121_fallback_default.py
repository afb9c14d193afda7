from _tools import fail, llm


def safe(q, bad):
    try:
        x = fail(q) if bad else llm(q)
    except ValueError:
        x = "default"
    return x


print([safe(q, i % 2 == 1) for i, q in enumerate("abcd")])
