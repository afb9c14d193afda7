"""Answers written to files whose encoding cannot take every text.

In an ``ascii`` file an answer with an accent raises ``UnicodeEncodeError`` at its write, as
plain Python does (such writes run in program order); a lone surrogate in a UTF-8 file fails
when its write's turn comes and is met inside the ``try``; a file with ``errors="replace"``
takes anything.
"""
import json
import os
import tempfile
import time

import opportune


@opportune.external
def ask(prompt: str) -> str:
    time.sleep(0.02)
    if prompt == "accent":
        return "caf\u00e9"
    if prompt == "surrogate":
        return json.loads('"x\\ud800"')
    return f"<{prompt}>"


folder = tempfile.mkdtemp()
for name, encoding, errors in [("ascii.txt", "ascii", "strict"),
                               ("utf8.txt", "utf-8", "strict"),
                               ("replace.txt", "ascii", "replace")]:
    path = os.path.join(folder, name)
    try:
        with open(path, "w", encoding=encoding, errors=errors) as f:
            for q in ["a", "accent", "surrogate", "z"]:
                f.write(ask(q) + "\n")
                print(name, "wrote", q)
    except UnicodeEncodeError as e:
        print(name, "UnicodeEncodeError:", e.reason)
    with open(path, encoding=encoding, errors="replace") as r:
        print(repr(r.read()))
