from concurrent.futures import ThreadPoolExecutor

from _tools import llm, square

with ThreadPoolExecutor(max_workers=3) as pool:
    answers = list(pool.map(llm, ["a", "b", "c", "d"]))
    fut = pool.submit(square, 12)
    print(fut.result())
print(answers)
print(llm("after pool"))
