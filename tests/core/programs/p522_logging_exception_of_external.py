"""``logging.exception`` for a failing external: the logged traceback is plain Python's."""
import logging
import sys

from _tools import fail, llm

logging.basicConfig(stream=sys.stdout, level=logging.INFO, format="%(levelname)s %(funcName)s %(message)s")
log = logging.getLogger("agent")


def step(n):
    try:
        answer = llm(f"step {n}")
        if n % 2:
            answer = fail(answer)
        log.info("step %d ok", n)
        return answer
    except ValueError:
        log.exception("step %d failed", n)
        return None


results = [step(n) for n in range(3)]
print(sum(r is None for r in results))
