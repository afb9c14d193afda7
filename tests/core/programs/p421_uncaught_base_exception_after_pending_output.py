"""A BaseException of the program's own (a cancellation) passes through `except Exception`
and, uncaught, ends the program: the output of the prints before it (pending answers) is
written first, as plain Python wrote it."""
import time
import opportune


class Cancelled(BaseException):
    pass


@opportune.external
def work(i: int) -> str:
    time.sleep(0.02)
    if i == 3:
        raise Cancelled(f"cancelled at {i}")
    return f"w{i}"


results = []
for attempt in range(2):
    try:
        for i in range(5):
            try:
                results.append(work(i + attempt))
            except Exception as e:
                print("swallowed", e)
    except Cancelled as c:
        print("cancel seen", c, results)
    finally:
        print("attempt done", attempt, len(results))
try:
    r = work(3)
    print("never", r)
except BaseException as e:
    print(type(e).__name__, e.args)
print(work(1), work(2))
raise Cancelled("final")
