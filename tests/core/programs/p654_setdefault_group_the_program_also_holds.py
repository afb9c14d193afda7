"""The dict starts out holding a list the program keeps under its own name, and the program
keeps a group read at the top level: arms that would change those lists run in place, so
every print shows the lists as plain Python has them."""
from _tools import score

mine = ["start"]
groups = {"odd": mine}
for q in range(4):
    s = score(f"o{q}")
    if s % 2:
        groups.setdefault("odd", []).append(q)
    else:
        groups.setdefault("even", []).append(q)
    print(q, mine)
evens = groups["even"]
for q in range(4, 8):
    s = score(f"o{q}")
    if s % 2 == 0:
        groups.setdefault("even", []).append(q)
    print(q, evens)
print(groups, mine, evens)
