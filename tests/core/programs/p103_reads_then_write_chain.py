from _tools import put, get, llm

for i in range(3):
    current = get("counter")
    nxt = str(int(current) + 1) if current != "<missing>" else "1"
    put("counter", nxt)
    print(i, current, "->", nxt)
print(get("counter"), llm(get("counter")))
