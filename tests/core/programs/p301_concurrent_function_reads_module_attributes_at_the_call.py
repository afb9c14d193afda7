"""A function of the program's own that runs concurrently reads a module's attributes
(``module.NAME``, a list the module holds) as they were at its call, though the program rebinds
or changes them right after."""
import _helper_text as helper
from _tools import score


def greet(name: str) -> str:
    if score(name) >= 0:
        return f"{helper.GREETING} {name} ({len(helper.calls)} calls)"
    return ""


g = greet("ann")
helper.GREETING = "goodbye"
helper.calls.append("made")
print(g)
print(helper.GREETING, helper.calls)
