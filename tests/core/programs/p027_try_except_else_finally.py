from _tools import llm, fail


def attempt(kind):
    try:
        if kind == "fail":
            r = fail(kind)
        elif kind == "zero":
            r = 1 / 0
        else:
            r = llm(kind)
    except ValueError as e:
        print("ValueError:", e)
        return "recovered"
    except ZeroDivisionError as e:
        print("ZeroDivisionError:", e)
        return "divided"
    else:
        print("else branch", r)
        return r
    finally:
        print("finally", kind)


for k in ["ok", "fail", "zero"]:
    print("->", attempt(k))
