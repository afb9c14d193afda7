"""printf-style formatting over answers: ``%`` with a tuple a tool returned (spread as the
arguments), ``*`` widths and ``%c`` taken from answers, and a dict of answers. Python's ``%``
takes only real ints for ``*`` and spreads only a real tuple, so the text must be made from
the answers themselves, as in plain Python."""
import logging
import sys

from _tools import add, pair, llm, record

width = add(8, 2)
print("%s and %s" % pair(3))
print("[%*d] [%-*s] [%.*f]" % (width, 5, width, "left", add(1, 1), 3.14159))
print("%c%c%c" % (add(60, 5), add(60, 6), add(60, 7)))
print("%(id)03d %(tags)s %(meta)r" % record(4))
print("%s" % (llm("single"),), "%r" % [llm("listed")], "%5.1f%%" % add(40, 2))
rows = [pair(i) for i in range(3)]
for row in rows:
    print("%4d | %s" % row)
header = "%-10s|" * 2 % ("name", llm("col"))
print(header)
logging.basicConfig(stream=sys.stdout, level=logging.INFO, format="%(message)s")
logging.info("%s scored %d", llm("model"), add(2, 3))
try:
    print("%d" % (llm("not a number"),))
except TypeError as e:
    print("TypeError:", e)
print("%s %s" % pair(7), end=" <\n")
