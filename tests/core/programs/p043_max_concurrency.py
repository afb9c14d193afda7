from _tools import limited

print([limited(i) for i in range(7)])
print(sum(limited(i) for i in range(5)))
