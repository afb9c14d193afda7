"""Records logged in an if arm that waits on an answer, and in a function of the program
called in a comprehension, name the program's thread, function and line: the arm runs
where plain Python runs it, on the program's thread."""
import logging
import sys

from _tools import llm, score

logging.basicConfig(stream=sys.stdout, level=logging.DEBUG,
                    format="%(threadName)s %(funcName)s:%(lineno)d %(message)s")
log = logging.getLogger("agent")


def judge(answer):
    s = score(answer)
    if s % 2:
        logging.info("odd %s", s)
    return s * 2


for w in ["a", "bb", "ccc"]:
    a = llm(w)
    if score(a) % 2:
        log.warning("odd for %s", w)
    else:
        log.info("even for %s", w)
print([judge(llm(w)) for w in "xyz"])
