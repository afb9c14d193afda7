"""A call that fails inside a generator ends it in plain Python: a consumer that handles the
error and asks for the next item gets StopIteration, not the items after it."""
from _tools import fail_if


def pages_of(ids):
    for i in ids:
        yield fail_if(i, 1)


for pages in (pages_of(range(4)), (fail_if(i, 1) for i in range(4))):
    seen = []
    while True:
        try:
            page = next(pages)
        except StopIteration:
            break
        except KeyError as e:
            print("skipped", e)
            continue
        seen.append(page)
    print(seen, next(pages, "exhausted"))
