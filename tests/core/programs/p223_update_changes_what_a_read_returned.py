"""An update that changes, in place, the records an earlier search returned: every later look at
those records shows the change, as in plain Python, whether the update is deferred in a branch,
made directly, or the program took a record out of the search's result before it."""
from _ledger import ask, kinds, search_records, summarize, update_record

rows = search_records(0)
prompt = f"records: {rows}"
done = update_record(1, 11) if ask("ab") else None  # deferred until the answer is known
other = summarize(prompt)
print(done, other)
print(rows, rows[0].value, len(rows))
first = rows[0]
print(first.value, str(first))



# Once the update is done, fields of the records reach a call through a function of the
# program as plain values.
assert len(rows) == 3


def above_one(keys):
    out = []
    for k in keys:
        if k > 1:
            out = out + [k]
    return out


print(kinds(above_one([rows[0].key, rows[2].key])), kinds([rows[1], rows[0].value]))

# Not taken: the records are unchanged.
skipped = update_record(2, 99) if ask("abc") else None
print(skipped, rows[1].value, [r.value for r in rows])

# Made directly, then used.
print(update_record(3, 33), rows[2].value)
print(sorted(r.value for r in rows))

# The program holds a record itself (the loop above took them out): the update waits.
kept = rows[1]
for r in rows:
    last = r
note = update_record(2, 22) if ask("abcd") else None
print(note, last.value, kept.value, rows)

# An update that fails: the records stay as they were, and the failure is caught.
try:
    bad = update_record(9, 0) if ask("xy") else None
    print("not reached", bad)
except KeyError as exc:
    print("caught", exc)
print(search_records(20))
