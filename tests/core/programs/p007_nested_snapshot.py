from _tools import describe, square

payload = {"rows": [[1, 2], [3, 4]], "name": "grid", "extra": ({"k": 1},)}
r = describe(payload)
payload["rows"][0][0] = square(9)
payload["rows"].append([5])
payload["extra"][0]["k"] = 2
print(r)
print(payload)
