import os
import tempfile

from _tools import fail, llm

folder = tempfile.mkdtemp()
path = os.path.join(folder, "out.txt")
try:
    r = fail("before the file write")
    with open(path, "w") as f:
        f.write(r)
except ValueError as e:
    print("caught", e)
print(os.path.exists(path))
ok = llm("written")
with open(path, "w") as f:
    f.write(ok)
with open(path) as f:
    print(f.read())
os.remove(path)
os.rmdir(folder)
