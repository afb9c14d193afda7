from _tools import record, pair, llm

for v in [record(2), pair(3), llm("m"), record(3)]:
    match v:
        case {"id": i, "meta": {"even": True}}:
            print("even record", i)
        case {"id": i}:
            print("odd record", i)
        case (n, str(label)):
            print("pair", n, label)
        case str() as s if s.startswith("ans"):
            print("answer", s)
        case _:
            print("other")
