"""``try`` statements with several ``except`` clauses, in functions and at module level: the
first clause whose classes are among the exception's class's bases handles it (a subclass
listed after its base is never reached, a metaclass that claims every instance is not
asked), a failure no clause names stops the program, and each handler's ``as`` name is its
own exception."""
import time

import opportune


class Liar(type):
    def __instancecheck__(cls, instance: object) -> bool:
        return True

    def __subclasscheck__(cls, sub: type) -> bool:
        return True


class Anything(Exception, metaclass=Liar):
    pass


class Special(ValueError):
    pass


@opportune.external
def ask(q: str) -> str:
    time.sleep(0.02)
    if q.startswith("key"):
        raise KeyError(q)
    if q.startswith("special"):
        raise Special(q)
    if q.startswith("value"):
        raise ValueError(q)
    if q.startswith("type"):
        raise TypeError(q)
    if q.startswith("zero"):
        raise ZeroDivisionError(q)
    return q.upper()


def collect(qs: list[str]) -> list[object]:
    out = []
    for q in qs:
        try:
            out.append(ask(q))
        except Anything:
            out.append("liar")
        except KeyError as e:
            out.append(f"key {e}")
        except ValueError as e:
            out.append(f"value {type(e).__name__} {e}")
        except Special:
            out.append("never: Special is a ValueError, caught above")
        except (TypeError, ZeroDivisionError) as e:
            out.append(f"other {type(e).__name__}")
    return out


def labels(qs: list[str]) -> list[str]:
    results = []
    for q in qs:
        try:
            r = ask(q)
        except KeyError:
            r = "key"
        except ValueError as e:
            r = f"value: {e}"
        results.append(r)
    return results


print(collect(["a", "key1", "value1", "special1", "type1", "zero1", "b"]))
print(labels(["c", "special2", "key2", "d"]))

found = {}
for q in ["e", "key3", "value3", "f"]:
    try:
        found["last"] = ask(q)
    except KeyError as e:
        print("key handler", e)
        found["last"] = "key"
    except ValueError as e:
        print("value handler", e)
        found["last"] = "value"
    print("after", q)
print(found)

module_out = []
for q in ["g", "special4", "key4", "h"]:
    try:
        module_out.append(ask(q))
    except KeyError:
        module_out.append("key")
    except Special as e:
        module_out.append(f"special {e}")
print(module_out)

try:
    print(labels(["i", "type5", "j"]))
except TypeError as e:
    print("uncaught in labels", repr(e))

tail = []
for q in ["k", "value6", "zero6", "never"]:
    try:
        tail.append(ask(q))
    except KeyError:
        tail.append("key")
    except ValueError:
        tail.append("value")
    print("tail", tail)
print("never", tail)
