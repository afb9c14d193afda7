"""A writing tool in an arm after an answer that fails: plain Python never reaches the write,
so it must never be issued."""
from _tools import LOG, fail_if, send


def main():
    sent = []
    for q in range(6):
        v = fail_if(q, 3)
        if v % 2 == 0:
            sent.append(send(f"m{q}"))
            print("sent", q)
    print(sent)


try:
    main()
except KeyError as e:
    print("caught", e)
print(LOG)
