import sys

from _tools import score


def check(words):
    for w in words:
        if score(w) > 900:
            print("too high:", w)
            sys.exit(0)
        print("ok", w)


try:
    check(["a", "b", "c"])
finally:
    print("finally runs on exit")
print("end")
