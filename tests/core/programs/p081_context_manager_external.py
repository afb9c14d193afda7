from _tools import llm, put, get


class Transaction:
    def __init__(self, key):
        self.key = key

    def __enter__(self):
        self.before = get(self.key)
        return self

    def __exit__(self, *exc):
        self.receipt = put(self.key, "committed")
        return False


with Transaction("t1") as tx:
    note = llm("work in tx")
print(tx.before, tx.receipt, note)
print(get("t1"))
