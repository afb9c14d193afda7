"""The loop under ``if __name__ == "__main__":`` with prints in the arms and a list read
after it, then a second loop reusing the list."""
from _tools import score, square

if __name__ == "__main__":
    picked = []
    for q in range(5):
        s = score(f"n{q}")
        if s > 40:
            print("big", q, s)
            picked.append(s)
        elif s > 10:
            print("mid", q)
    print("picked", picked)
    for v in list(picked):
        if square(v) % 2:
            picked.append(-v)
    print(picked)
