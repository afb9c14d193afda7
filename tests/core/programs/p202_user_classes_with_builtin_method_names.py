"""An external whose answer is the program's own object with methods named like ``str`` and
``dict`` methods (``lower``, ``get``, ``index``) that print and count: each runs where plain
Python runs it, in order with the program's own output."""
from __future__ import annotations

import time

import opportune

calls = []


class Record:
    def __init__(self, text):
        self.text = text

    def lower(self):
        calls.append("lower")
        print("lower called on", self.text)
        return self.text.lower()

    def get(self, key, default=None):
        calls.append("get")
        print("get", key)
        return {"k": self.text}.get(key, default)

    def index(self, item):
        calls.append("index")
        print("index", item)
        return self.text.index(item)


class Loud(dict):
    def get(self, key, default=None):
        print("Loud.get", key)
        return super().get(key, default)


@opportune.external
def fetch(text: str) -> Record:
    time.sleep(0.02)
    return Record(text)


@opportune.external
def fetch_any(text: str):
    time.sleep(0.02)
    return Loud(k=text) if text.startswith("d") else text


r = fetch("Hello World")
print("before")
low = r.lower()
print("between", len(calls))
value = r.get("k")
pos = r.index("W")
print("after", low, value, pos, calls)

for t in ["dict-one", "PLAIN"]:
    v = fetch_any(t)
    print("got", v.get("k") if t.startswith("d") else v.lower())
