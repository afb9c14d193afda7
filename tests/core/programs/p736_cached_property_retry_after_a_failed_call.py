"""``functools.cached_property`` whose method's call fails inside a ``try``: the instance keeps
no value (plain Python stores nothing when the method raises) and the retry calls again
(before: the failed pending value stayed in the instance and the retry raised it again, ending
the program); reads of other instances' properties still overlap (runtime/caches.py)."""
import functools
import time
import traceback

import opportune


@opportune.external
def flaky(q, _seen=set()):
    time.sleep(0.01)
    if q == "x" and q not in _seen:
        _seen.add(q)
        raise ConnectionError(f"first try of {q} failed")
    return q.upper()


class Doc:
    def __init__(self, q):
        self.q = q

    @functools.cached_property
    def answer(self):
        """The answer, asked once."""
        return flaky(self.q)


docs = [Doc("x"), Doc("y"), Doc("z")]
for attempt in range(3):
    try:
        print("got", docs[0].answer)
        break
    except ConnectionError as e:
        print("retrying after:", e, sorted(vars(docs[0])))
        print(traceback.format_exc().splitlines()[-1])
answers = [d.answer for d in docs[1:]]
print(answers, [d.answer is a for d, a in zip(docs[1:], answers)])
print(vars(docs[0]), Doc.answer.__doc__, Doc.answer.attrname)
