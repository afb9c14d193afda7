from _tools import nothing

r = nothing([1, 2])
print(r)
print(r is None, nothing(3) is None)
if nothing(4) is None:
    print("none-branch")
print([nothing(i) for i in range(3)])
print(f"{nothing(0)!r}", str(nothing(1)), bool(nothing(2)))
