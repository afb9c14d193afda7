from _tools import llm


def ask_all(*questions, prefix="Q", **opts):
    extra = ",".join(f"{k}={v}" for k, v in sorted(opts.items()))
    return [llm(f"{prefix}:{q}|{extra}") for q in questions]


qs = ["a", "b"]
opts = {"temp": 1, "n": 2}
print(ask_all(*qs))
print(ask_all(*qs, "c", prefix="Z", **opts))


def passthrough(*args, **kwargs):
    return ask_all(*args, **kwargs)


print(passthrough("d", top=3))
