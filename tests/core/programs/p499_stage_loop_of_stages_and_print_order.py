"""Compiled in stages: output written in several stages, calls of an earlier stage still
running while a later one prints, and a final expression-statement chain."""
from _tools import add, describe, llm, square

print("start")
first = describe(1)
second = square(4)
print("issued")
lines = []
for i in range(3):
    lines.append(f"line {i}")
print("\n".join(lines))
third = add(second, 1)
print("third", third)
fourth = llm("q")
print("fourth", fourth.startswith("ans"))
table = {n: square(n) for n in range(3)}
print("table", table)
print("first", first)
fifth = add(third, table[2])
print("fifth", fifth)
sixth = [add(k, v) for k, v in table.items()]
print("sixth", sixth)
seventh = describe(sixth)
print("seventh", seventh)
print("second", second)
eighth = llm(seventh)
print("eighth", eighth.startswith("ans"))
final = third + fifth
print("final", final)
print("end")
