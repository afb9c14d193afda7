"""``except Exception as e`` builds a text from the exception: the handler sees the call's own
exception object, with its class, arguments and attributes."""
import time

import opportune


class Refused(Exception):
    def __init__(self, q: str, code: int) -> None:
        super().__init__(f"refused {q}")
        self.q = q
        self.code = code


@opportune.external
def ask(q: str) -> str:
    time.sleep(0.02)
    if q.endswith("!"):
        raise Refused(q, len(q))
    if q.endswith("?"):
        raise LookupError(q)
    return f"ok {q}"


def main(qs: list[str]) -> tuple[list[str], list[object]]:
    results = []
    errors = []
    for q in qs:
        try:
            r = ask(q)
        except Exception as e:
            r = f"error: {e}"
            errors.append(e)
        results.append(r)
    return results, errors


results, errors = main(["a", "b!", "c?", "d", "ee!"])
print(results)
for e in errors:
    print(type(e).__name__, e.args, getattr(e, "q", None), getattr(e, "code", None),
          e.__traceback__ is not None)


def unbound_after() -> str:
    try:
        r = ask("x!")
    except Refused as err:
        r = str(err.code)
    return r


print(unbound_after())
