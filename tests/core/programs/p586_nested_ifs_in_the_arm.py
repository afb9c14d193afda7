"""Arms with ifs of their own, on the same answer and on a second one."""
from _tools import llm, score


def main():
    small, large, words = [], [], {}
    for q in range(8):
        s = score(f"n{q}")
        if s % 2 == 0:
            if s > 500:
                large.append(q)
                if score(f"m{q}") % 2:
                    words[q] = llm(f"w{q}")
                    print("word", q)
            else:
                small.append(q)
        print("asked", q)
    print(small, large, words)


main()
