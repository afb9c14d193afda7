from _tools import record, search, llm


def show(id, tags, meta):
    return f"{id}: {'/'.join(tags)} {meta}"


print(show(**record(7)))
print(*search("stars", k=3), sep=" ; ")
print(llm(*["one arg"]))
a, b, c = search("three", k=3)
print(c, b, a)
