from _tools import llm, record, pair

a = llm("x")
r = record(3)
p = pair(4)
print(f"{a!r} {a!a} {r['tags']!r}")
print(f"outer {f'inner {a[:4]!r}'} done")
print(f"{r['meta']['even']=} {p=}")
print(f"{'-'.join(f'{t}:{len(t)}' for t in r['tags'])}")
print(f"{{braces}} {p[0]*2} {len(a)}")
