"""``json.loads`` of an answer in the body: a reply that is not JSON is caught by the handler,
as is a call that fails with a subclass of the class named."""
import json
import time

import opportune


@opportune.external
def ask(q: str) -> str:
    time.sleep(0.02)
    if q == "prose":
        return "not json at all"
    if q == "fail":
        raise json.JSONDecodeError("tool said no", q, 0)
    return json.dumps({"q": q, "n": len(q)})


def main(qs: list[str]) -> list[dict]:
    results = []
    for q in qs:
        try:
            data = json.loads(ask(q))
        except json.JSONDecodeError:
            data = {}
        results.append(data)
        print("parsed", q, data)
    return results


print(main(["a", "prose", "bbb", "fail", "cc"]))


def caught_as_value_error(qs: list[str]) -> list[object]:
    out = []
    for q in qs:
        try:
            out.append(json.loads(ask(q)))
        except ValueError as e:
            out.append(type(e).__name__)
    return out


print(caught_as_value_error(["x", "prose", "fail", "yy"]))
