"""`answer.split("\n")[0]` and `json.loads(answer)["key"]`, with a missing key and bad JSON
caught."""
import json
import time

import opportune


@opportune.external
def ask(q):
    time.sleep(0.02)
    return f"line one {q}\nline two"


@opportune.external
def ask_json(q):
    time.sleep(0.02)
    if q == 3:
        return "not json"
    return json.dumps({"key": q * 2} if q != 2 else {"other": 1})


def main():
    print([ask(q).split("\n")[0] for q in range(3)])
    keys = []
    for q in range(4):
        try:
            keys.append(json.loads(ask_json(q))["key"])
        except KeyError as exc:
            keys.append(f"KeyError {exc}")
        except json.JSONDecodeError as exc:
            keys.append(f"JSONDecodeError {exc}")
    print(keys)


main()
