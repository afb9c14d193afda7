"""Tools call warnings.warn with one message: the default filter shows it once, at the first
call in program order, even when a later call would reach it first; the tools read module
names (so they run with those names pinned) and the record of shown warnings is the
module's."""
import sys
import time
import warnings

import opportune

LIMIT = 3


@opportune.external
def tool(i: int) -> int:
    time.sleep(0.04 - i * 0.01)
    print("tool", i)
    warnings.warn("tool is deprecated")
    if i >= LIMIT:
        warnings.warn(f"tool {i} is over the limit", RuntimeWarning)
    return i


vals = []
for i in range(4):
    vals.append(tool(i))
    print("issued", i)
print(vals)
again = tool(1)
print("again", again, file=sys.stderr)
registry = globals().get("__warningregistry__", {})
print(sorted(str(k[1].__name__) + ":" + k[0] for k in registry if k != "version"))
