from _tools import score, search, llm, record

s = score("chain")
print(0 < s < 500, 500 <= s < 1000, s == s, s != s + 1)
docs = search("member", k=3)
print(docs[1] in docs, "nope" in docs, "doc" in docs[0])
print("id" in record(1), llm("x") * 2, llm("y") * score("z") == "")
print(max(s, 10), min(docs), docs < ["zzz"])
