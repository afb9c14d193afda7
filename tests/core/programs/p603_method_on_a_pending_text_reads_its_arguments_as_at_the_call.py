"""A method applied later to a pending text (its class evident from the external's returns)
gets its arguments as they were at the call: a list the program changes afterwards is not
seen changed, and an object of the program's is formatted where plain Python formats it."""
import time

import opportune


@opportune.external
def template(n):
    time.sleep(0.03)
    return f"[{{}}] {n}"


@opportune.external
def separator(n):
    time.sleep(0.03)
    return ", " if n else "; "


class Shown:
    def __init__(self):
        self.state = "first"

    def __format__(self, spec):
        print("formatting", self.state)
        return self.state


def main():
    items = [1, 2, 3]
    s = template(1).format(items)
    items.append(4)
    print(s)
    words = ["a", "b"]
    joined = separator(1).join(words)
    words.append("c")
    print(joined)
    table = {"k": [1]}
    t = template(2).format(table)
    table["k"].append(2)
    print(t)
    shown = Shown()
    u = template(3).format(shown)
    shown.state = "second"
    print("then", u)


main()
