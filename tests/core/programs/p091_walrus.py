from _tools import score, llm

if (s := score("walrus")) > 100:
    print("big", s)
results = [y for x in ["a", "b", "c"] if (y := score(x)) > 600]
print(results)
n = 0
while (a := llm(f"w{n}")) and n < 2:
    print(n, a)
    n += 1
