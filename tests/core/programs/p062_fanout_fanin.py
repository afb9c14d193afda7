from _tools import llm, search, score

question = "how do rivers form"
queries = [f"{question} ({angle})" for angle in ["geology", "climate", "history"]]
hits = [search(q, k=2) for q in queries]
flat = [doc for group in hits for doc in group]
answers = [llm(f"read {doc}") for doc in flat]
ranked = sorted(zip(answers, flat), key=lambda t: score(t[0]), reverse=True)
final = llm("combine: " + " | ".join(a for a, _ in ranked[:3]))
print(len(flat), flat)
print(ranked[0])
print(final)
