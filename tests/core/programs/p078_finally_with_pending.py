from _tools import llm, fail


def job(ok):
    results = []
    try:
        results.append(llm("step 1"))
        if not ok:
            fail("step 2")
        results.append(llm("step 2"))
        return results
    finally:
        print("cleanup", len(results), results[0])


print(job(True))
try:
    job(False)
except ValueError as e:
    print("job failed:", e)
