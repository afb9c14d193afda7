"""A thread the program starts ends by an external's failure: Python's thread hook reports it
with the frames plain Python had, none of opportune's."""
import threading

from _tools import fail_if, llm


def work(i):
    print("worker", i, llm(str(i)))
    fail_if(i, 1)


for i in range(2):
    t = threading.Thread(target=work, args=(i,), name=f"worker-{i}")
    t.start()
    t.join()
print("main goes on", llm("main"))
