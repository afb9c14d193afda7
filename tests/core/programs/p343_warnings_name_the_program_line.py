"""warnings.warn after calls reports the program's file and line (stacklevel 1 and 2), not
the run's call-site code."""
import warnings

from _tools import llm


def old_api(prompt):
    warnings.warn("old_api is deprecated", DeprecationWarning, stacklevel=2)
    return llm(prompt)


warnings.simplefilter("always")
print(old_api("a"))
answer = llm("b")
if answer:
    warnings.warn(f"answer was {answer}")
print(old_api("c"))
