"""A filter tool returns the very list it was given when there is nothing to filter, or items
of it; a history tool returns a message of the history: changing what came back changes the
program's own list and dicts, as in plain Python."""
import time

import opportune


@opportune.external
def maybe_filter(query: str, docs: list) -> list:
    time.sleep(0.01)
    if not query:
        return docs
    return [d for d in docs if query in d["text"]]


@opportune.external
def first_message(history: list) -> dict:
    time.sleep(0.01)
    return history[0]


docs = [{"text": "tea"}, {"text": "coffee"}]
same = maybe_filter("", docs)
same.append({"text": "new"})
sub = maybe_filter("tea", docs)
sub[0]["seen"] = True
print(docs, same is docs)
history = [{"role": "system", "content": "be brief"}]
m = first_message(history)
m["content"] = "be verbose"
print(history)
