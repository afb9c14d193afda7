from _tools import count_up

g = count_up(4)
print(type(g).__name__)
print(list(g))
print(list(g))
print(sum(count_up(5)), max(count_up(3)))
for v in count_up(3):
    print("v", v)
