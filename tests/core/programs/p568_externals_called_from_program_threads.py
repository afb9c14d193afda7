"""Externals called from threads the program starts (ThreadPoolExecutor.map over an external)."""
import threading
import time
from concurrent.futures import ThreadPoolExecutor, as_completed

import opportune


@opportune.external
def fetch(url: str) -> str:
    time.sleep(0.02)
    return f"<html {url}>"


@opportune.external
def length(text: str) -> int:
    time.sleep(0.01)
    return len(text)


urls = [f"u{i}" for i in range(5)]
with ThreadPoolExecutor(max_workers=3) as pool:
    pages = list(pool.map(fetch, urls))
print(pages)
with ThreadPoolExecutor(max_workers=2) as pool:
    futs = {pool.submit(length, p): p for p in pages}
    sizes = {futs[f]: f.result() for f in as_completed(futs)}
print(sorted(sizes.items()))
results = [None] * 3
lock = threading.Lock()


def worker(i):
    r = fetch(f"t{i}")
    with lock:
        results[i] = r


threads = [threading.Thread(target=worker, args=(i,)) for i in range(3)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(results)
with ThreadPoolExecutor() as pool:
    print(sum(pool.map(length, [fetch(u) for u in urls[:2]])))
