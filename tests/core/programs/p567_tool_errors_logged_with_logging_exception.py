"""Exceptions raised by tools caught and logged with logging.exception."""
import logging
import sys
import time

import opportune

logging.basicConfig(stream=sys.stdout, level=logging.INFO, format="%(levelname)s %(name)s %(funcName)s: %(message)s")
log = logging.getLogger("agent")


class ToolError(Exception):
    pass


@opportune.external
def tool(name: str, arg: int) -> int:
    time.sleep(0.01)
    if arg < 0:
        raise ToolError(f"{name}: negative {arg}")
    if arg == 0:
        raise ZeroDivisionError("division by zero")
    return 100 // arg


def run_tools(plan):
    out = []
    for name, arg in plan:
        try:
            r = tool(name, arg)
        except ToolError:
            log.exception("tool %s failed", name)
            out.append(None)
            continue
        except Exception as e:
            log.error("unexpected %r", e, exc_info=True)
            out.append(-1)
            continue
        log.info("tool %s -> %s", name, r)
        out.append(r)
    return out


print(run_tools([("a", 5), ("b", -1), ("c", 0), ("d", 3)]))
