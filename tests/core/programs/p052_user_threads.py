import threading

from _tools import llm, square

results = {}
lock = threading.Lock()


def worker(i):
    v = llm(f"thread {i}")
    s = square(i)
    with lock:
        results[i] = (v, s)


threads = [threading.Thread(target=worker, args=(i,)) for i in range(4)]
for t in threads:
    t.start()
for t in threads:
    t.join()
for k in sorted(results):
    print(k, results[k])
print(llm("main thread"))
