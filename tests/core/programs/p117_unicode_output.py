from _tools import llm

for w in ["café", "naïve", "日本語", "emoji 🙂"]:
    a = llm(w)
    print(w, "→", a, len(a))
print("Ω≈ç√∫", llm("Ω"))
