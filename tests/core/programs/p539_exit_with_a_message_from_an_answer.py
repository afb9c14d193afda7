"""The program ends with ``sys.exit(message)`` built from an answer, after pending prints
and inside a function: the message goes to stderr after everything printed before it, and
the status is 1; ``sys.exit()`` in a ``finally`` that follows is never reached."""
import sys

from _tools import llm, score


def stop(reason: str) -> None:
    print("stopping", llm(reason))
    sys.exit(f"bye: {llm(reason)} ({score(reason)})")


answers = [llm(f"step {i}") for i in range(3)]
for a in answers:
    print(a)
stop("done")
sys.exit()
