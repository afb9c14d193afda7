from _tools import put, get, LOG

put("a", "1")
print(get("a"))
put("b", "2")
print(LOG)  # state the externals changed, read directly by the program
print(len(LOG), LOG[-1])
