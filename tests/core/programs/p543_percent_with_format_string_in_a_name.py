"""printf-style % with the format string held in a name and tools' tuples, dicts and strings on
the right; str.format(*t), format(**d) and format_map with pending values."""
import time

import opportune


@opportune.external
def pair(n: int) -> tuple:
    time.sleep(0.01)
    return (n, n * 2)


@opportune.external
def answer(q: str) -> str:
    time.sleep(0.01)
    return q.upper()


@opportune.external
def record(q: str) -> dict:
    time.sleep(0.01)
    return {"name": q, "size": len(q)}


@opportune.external
def num(n: int) -> int:
    time.sleep(0.01)
    return n * 3


FMT = "%s and %s"
ONE = "value=%s"
NUMF = "%5.1f|%-4d|%x"
DICTF = "%(name)s has %(size)d"
print(FMT % pair(3))
print(ONE % answer("q"))
print(ONE % (answer("r"),))
print(NUMF % (num(1), num(2), num(3)))
print(DICTF % record("abc"))
t = pair(4)
print(FMT % t)
fmts = ["%s!", "<%r>", "%%%s"]
for f in fmts:
    print(f % answer("x"))
print("{0}-{1}".format(*pair(5)))
print("{name}:{size}".format(**record("hello")))
print("{name}/{size}".format_map(record("map")))
tmpl = "{a} {b!r} {c:>6}"
print(tmpl.format(a=answer("a"), b=answer("b"), c=num(7)))
d = {"x": answer("dx"), "y": num(2)}
print("{x}{y:03d}".format(**d))
print("%(x)s and %(y)05d" % d)
print(ONE % [answer("l")])
print(ONE % {"k": answer("dd")})
b = b"%s-%d" % (b"z", num(4))
print(b)
s = "n=%d" % num(5) + "; " + "%s" % answer("e")
print(s)
print("%s" % (pair(6),))
print(ONE % None)
try:
    print(FMT % answer("zz"))
except TypeError as e:
    print("TypeError", e)
try:
    print("%d" % answer("notnum"))
except TypeError as e:
    print("TypeError", e)
