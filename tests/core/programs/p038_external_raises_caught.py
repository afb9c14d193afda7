from _tools import fail, llm, fail_if

try:
    x = fail("caught")
    print("not here", x)
except ValueError as e:
    print("caught:", e)

results = []
for i in range(5):
    try:
        results.append(fail_if(i, 3))
    except KeyError as e:
        results.append(f"missing {e}")
print(results)
try:
    y = llm("fine")
except ValueError:
    print("no")
print(y)
