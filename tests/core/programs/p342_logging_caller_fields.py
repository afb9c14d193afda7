"""An agent logs with the function name and line of each record, at DEBUG: records made in a
deferred if arm, a loop over answers and an except handler name the program's own function
and line, and the run adds no record of its own (asyncio's "Using selector")."""
import logging
import sys

from _tools import fail, llm, score

logging.basicConfig(stream=sys.stdout, level=logging.DEBUG,
                    format="%(levelname)s %(module)s.%(funcName)s:%(lineno)d %(message)s")
log = logging.getLogger(__name__)


def step(i):
    answer = llm(f"step {i}")
    log.info("step %d got %s", i, answer)
    if score(answer) % 2:
        log.warning("odd score for %s", answer)
    else:
        log.debug("even score")
    return answer


def main():
    answers = [step(i) for i in range(3)]
    log.info("%d answers", len(answers))
    try:
        fail("no tool")
    except ValueError as e:
        log.error("tool failed: %s", e)
    for a in answers:
        if a:
            log.info("kept %s", a[:12])
    logging.info("through the root logger")
    log.log(logging.INFO, "at an explicit level", stacklevel=1)
    return answers


main()
