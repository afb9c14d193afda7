from _tools import fail_if, square

try:
    values = [fail_if(i, 2) for i in range(4)]
    print("not printed", values)
except KeyError as e:
    print("comprehension raised", e)
print([square(i) for i in range(3)])
values = {i: fail_if(i, 3) for i in range(5)}
print("not printed either")
