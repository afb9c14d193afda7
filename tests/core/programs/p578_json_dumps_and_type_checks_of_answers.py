"""json.dumps of structures holding answers; isinstance/type checks on answers."""
import json
import time

import opportune


@opportune.external
def ask(q: str) -> str:
    time.sleep(0.01)
    return f"A:{q}"


@opportune.external
def count(q: str) -> int:
    time.sleep(0.01)
    return len(q)


@opportune.external
def info(q: str) -> dict:
    time.sleep(0.01)
    return {"q": q, "n": len(q), "tags": [q[:1]]}


history = [{"role": "user", "content": "hi"}]
history.append({"role": "assistant", "content": ask("hi"), "tokens": count("hi")})
print(json.dumps(history))
print(json.dumps({"k": info("abc"), "v": [count("xy"), ask("z")]}, indent=2, sort_keys=True))
a = ask("t")
print(isinstance(a, str), type(a) is str, type(a).__name__, a.__class__.__name__)
n = count("four")
print(isinstance(n, int), isinstance(n, bool), type(n) == int, n.bit_length())
print(json.dumps(ask("é"), ensure_ascii=False), json.dumps(count("abc") / 2))
print(hash(ask("h")) == hash("A:h"), {ask("k"): 1}["A:k"], ask("s") in {"A:s"})
print(repr(info("r")), str(count("rr")), format(count("rrr"), "05d"))
print(ask("b").encode(), bytes(ask("c"), "utf-8"), int(str(count("abcd")) + "0"))
