"""String templates: str.format_map, string.Template, format with answers."""
import string
import time

import opportune


@opportune.external
def fill(slot: str) -> str:
    time.sleep(0.01)
    return slot.title() + "$"


class Default(dict):
    def __missing__(self, key):
        return "{" + key + "}"


PROMPT = "Hello {name}, your topic is {topic}. {unknown}"
vals = {"name": fill("ada"), "topic": fill("engines")}
print(PROMPT.format_map(Default(vals)))
print(PROMPT.format_map(Default(name=fill("bob"))))
t = string.Template("Dear $name, re: ${topic}; cost $$5")
print(t.substitute(vals))
print(t.safe_substitute(name=fill("cy")))
try:
    t.substitute(name=fill("dee"))
except KeyError as e:
    print("KeyError", e)
print("{0[name]} / {0[topic]!r:>20}".format(vals))
print(f"{vals['name']:*^12}|{len(vals['topic']):03d}")
fmt = fill("x") + "{}"
print(fmt.format(1))
print(string.capwords(fill("hello world")))
print("%(name)s and %(topic)s" % vals)
