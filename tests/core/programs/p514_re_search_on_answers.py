"""`re.search` for digits in answers, its group, and a test of no match."""
import re
import time

import opportune


@opportune.external
def ask(q):
    time.sleep(0.02)
    return ("about 42 items", "none", "7 or 8")[q % 3]


def main():
    matches = [re.search(r"\d+", ask(q)) for q in range(4)]
    print([m.group() if m is not None else None for m in matches])
    numbers = []
    for q in range(4):
        m = re.search(r"(\d+)", ask(q))
        numbers.append(int(m.group(1)) if m else -1)
    print(numbers)
    print([len(re.findall(r"\d", ask(q))) for q in range(3)])


main()
