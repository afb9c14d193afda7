from _tools import record, pair, nothing, llm, fetch_doc, Doc

values = [record(1), pair(2), nothing(3), llm("s"), fetch_doc("d"), 5]
for v in values:
    kind = (
        "dict" if isinstance(v, dict)
        else "tuple" if isinstance(v, tuple)
        else "none" if v is None
        else "str" if type(v) is str
        else "doc" if isinstance(v, Doc)
        else "other"
    )
    print(kind, type(v).__name__, callable(v), hasattr(v, "title"))
