"""A tool that prints its progress, called in a loop whose later calls finish first: each
call's lines land as one block at its place, between the program's own lines."""
import sys
import time

import opportune


@opportune.external
def fetch(url: str, pages: int) -> int:
    print(f"fetching {url}", end="")
    for page in range(pages):
        print(".", end="", flush=True)
        time.sleep(0.01 * (4 - pages))
    print(f" {pages} pages")
    sys.stdout.write(f"done {url}\n")
    return pages * 10


print("start")
sizes = []
for n, url in enumerate(["a.org", "b.org", "c.org"], start=1):
    sizes.append(fetch(url, n))
    print("queued", url)
print("total", sum(sizes))
