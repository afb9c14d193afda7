from _tools import llm

tasks = []
for i in range(3):
    tasks.append(lambda i=i: llm(f"bound {i}"))
late = []
for j in range(3):
    late.append(lambda: llm(f"late {j}"))
print([t() for t in tasks])
print([t() for t in late])
