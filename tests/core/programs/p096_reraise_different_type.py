from _tools import fail_if

out = []
for i in range(4):
    try:
        out.append(fail_if(i, 2))
    except KeyError as e:
        try:
            raise LookupError(f"wrapped {e}")
        except LookupError as inner:
            out.append(str(inner))
print(out)
try:
    fail_if(1, 1)
except (TypeError, KeyError) as e:
    print("tuple handler", repr(e))
try:
    fail_if(5, 5)
except TypeError:
    print("wrong handler")
