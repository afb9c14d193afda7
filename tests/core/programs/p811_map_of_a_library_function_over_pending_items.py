"""``map`` and ``filter`` of a library function over items that are answers.

``map``'s C loop calls ``str.upper`` with each item; an item made by the program's generator
from an answer must not reach it as a stand-in. The results go on to ``list``, ``sorted``, a
``for`` loop, ``bytearray`` and ``"".join``.
"""
import time

import opportune


@opportune.external
def ask(q: str) -> str:
    time.sleep(0.02)
    return f" a:{q} "


@opportune.external
def num(q: str) -> int:
    time.sleep(0.02)
    return len(q) * 3 + ord(q[0]) % 5


print(list(map(str.upper, (ask(x) for x in "ab"))))
print(list(map(str.strip, [ask(x) for x in "cd"])))
print(list(filter(str.isupper, (ask(x).strip() for x in "ef"))))
print(sorted(map(int, (str(num(x)) for x in "gh"))))
for word in map(str.title, (ask(x) for x in "ij")):
    print(word)
print(bytearray(map(abs, (num(x) for x in "kl"))), bytes(num(x) for x in "mn"))
print("".join(map(str.strip, map(ask, "op"))))
print(list(map(len, (ask(x) for x in ["q", "rr"]))))
