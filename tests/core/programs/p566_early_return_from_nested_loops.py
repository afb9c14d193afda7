"""Early return from nested loops over answers."""
import time

import opportune


@opportune.external
def check(a: int, b: int) -> bool:
    time.sleep(0.005)
    return (a * b) % 7 == 6


@opportune.external
def note(msg: str) -> str:
    time.sleep(0.005)
    print("note", msg)
    return msg


def find():
    tried = []
    for a in range(1, 5):
        for b in range(1, 5):
            tried.append((a, b))
            if check(a, b):
                note(f"found {a},{b}")
                return a, b, len(tried)
    return None


def find_all():
    found = []
    for a in range(3):
        for b in range(3):
            ok = check(a + 2, b + 3)
            if not ok:
                continue
            found.append((a, b))
            if len(found) == 2:
                break
        else:
            continue
        break
    return found


print(find())
print(find_all())
res = None
for row in range(3):
    for col in range(3):
        if check(row + 3, col + 4):
            res = (row, col)
            break
    if res:
        break
print(res)
