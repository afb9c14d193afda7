"""The program logs to stderr around each tool call, the tools log at debug level and print
to stdout, one tool fails and is logged with logging.exception: the merged stream reads as in
plain Python."""
import logging, sys, time
import opportune
logging.basicConfig(level=logging.DEBUG, format="%(levelname)s:%(name)s:%(message)s")
log = logging.getLogger("agent")
tlog = logging.getLogger("agent.tools")

@opportune.external
def tool(i: int) -> int:
    time.sleep(0.01 * (3 - i % 3))
    tlog.debug("tool %d running", i)
    print(f"tool {i} stdout")
    if i == 4:
        raise RuntimeError("tool 4 exploded")
    return i * i

results = []
for i in range(6):
    log.info("calling %d", i)
    try:
        results.append(tool(i))
    except RuntimeError:
        log.exception("tool failed")
        print("continuing", file=sys.stderr)
log.warning("results %s", results)
print("total", sum(results))
