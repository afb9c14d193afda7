"""Output of the arms lands between the program's own lines, in program order."""
import sys

from _tools import llm, score


def main():
    out = []
    for q in range(6):
        print("before", q)
        s = score(f"p{q}")
        if s % 2:
            print("arm", q, s)
            print("arm stderr", q, file=sys.stderr)
            out.append(s)
        else:
            print("other arm", q, llm(f"o{q}"))
        print("after", q)
    print("out", out)


main()
print("end")
