from _tools import fail_if

results = []
try:
    results.append(fail_if(3, 3))
except KeyError as e:
    results.append(f"caught {e}")
print(results)
