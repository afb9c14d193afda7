from _tools import llm

a = llm("Mixed Case Text")
print(a.lower(), a.upper(), a.title())
print(a.replace("a", "@").split("(")[1].strip(")"))
print(a.startswith("ans"), a.find("#"), a.count("e"), a[::-1][:5])
print("|".join([a, llm("two")]), a.partition("(")[0], a.zfill(30))
print(a.encode()[:6], len(a.splitlines()), "%s and %d" % (a[:3], len(a)))
