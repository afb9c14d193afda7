import threading

from _tools import fail, llm

errors = []


def worker(n):
    try:
        fail(f"in thread {n}")
    except ValueError as e:
        errors.append(str(e))


ts = [threading.Thread(target=worker, args=(i,)) for i in range(3)]
for t in ts:
    t.start()
for t in ts:
    t.join()
print(sorted(errors))
print(llm("after threads"))
