"""A tool that fails after printing, inside try: the partial output comes before the handler's;
calls in the loop after it keep their output in order."""
import sys
import time

import opportune


@opportune.external
def check(item: str) -> str:
    print(f"checking {item}")
    time.sleep(0.01 * len(item))
    if "!" in item:
        print(f"{item} is bad", file=sys.stderr)
        raise ValueError(item)
    return item.upper()


for item in ["ok", "bad!", "fine", "x!"]:
    try:
        r = check(item)
        print("good", r)
    except ValueError as e:
        print("rejected", e)
print("end")
