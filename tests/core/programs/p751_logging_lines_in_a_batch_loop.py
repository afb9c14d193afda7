"""A batch loop that logs a line per item, with answers in the lines.

Lines go to stdout through StreamHandlers, interleaved with prints. Handlers, levels and
formatters are changed between lines, a call fails inside a try and at the end, and some
lines (a list argument, an answer of unknown class, a %d of an answer) take the old path.
"""
import logging
import sys
import time

import opportune


@opportune.external
def ask(prompt: str) -> str:
    time.sleep(0.02)
    if "boom" in prompt:
        raise RuntimeError(f"failed on {prompt}")
    return f"A[{prompt}]"


@opportune.external
def untyped(prompt):
    time.sleep(0.01)
    return f"U[{prompt}]"


logging.basicConfig(level=logging.INFO, stream=sys.stdout,
                    format="%(levelname)s %(name)s %(funcName)s:%(lineno)d %(threadName)s %(message)s")
log = logging.getLogger("batch")

results = []
for i, item in enumerate(["a", "b", "c"]):
    log.info("item %d: %s", i, item)
    ans = ask(item)
    log.debug("never shown %s", ans)
    log.info("answer for %s: %s", item, ans)
    log.info(f"f-string {ans!r} done")
    results.append(ans)
print("results", results)

own = logging.getLogger("own")
own.propagate = False
handler = logging.StreamHandler(sys.stdout)
handler.setFormatter(logging.Formatter("OWN[%(levelname)s] %(message)s"))
handler.setLevel(logging.WARNING)
own.addHandler(handler)
own.setLevel(logging.DEBUG)
x = ask("own")
own.info("below the handler's level %s", x)
own.warning("warned %s", x)
handler.setFormatter(logging.Formatter("NEW %(message)s"))
own.error("after the new formatter %s", ask("fmt"))
own.removeHandler(handler)
own.error("no handler now: lastResort on stderr %s", x)
own.addHandler(handler)


def step(n):
    a = ask(f"step{n}")
    log.warning("step %s gave %s", n, a)
    return a


steps = [step(n) for n in range(3)]
logging.info("module function with root handlers %s", steps[0])
logging.log(logging.ERROR, "log() with a level %s", steps[1])
log.info("a list %s", results)
results.append("changed")
u = untyped("u")
log.info("untyped %s", u)
log.info("%s and %s", ask("p"), u)

try:
    bad = ask("boom 1")
    log.info("not written: %s", bad)
    print("not printed")
except RuntimeError as e:
    log.error("caught %s", e)

try:
    raise ValueError("v")
except ValueError:
    log.exception("with exc_info %s", ask("exc"))

later = ask("boom 2")
log.info("after the failing call, never written %s", ask("after"))
print("never", later)
