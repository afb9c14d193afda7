from _tools import fail_if

for i in range(6):
    v = fail_if(i, 4)
    print("got", v)
print("unreachable")
