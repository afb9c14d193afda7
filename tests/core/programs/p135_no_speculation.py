from _tools import counted, score, calls_made

if score("gate") > 2000:
    counted("then-branch")
else:
    counted("else-branch")
for i in range(5):
    if i == 2:
        break
    counted(f"loop {i}")
x = counted("a") if score("b") < 0 else "skipped"
print(x)
print(calls_made())
