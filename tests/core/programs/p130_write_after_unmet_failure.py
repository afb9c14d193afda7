from _tools import send, fail

bad = fail("u")
send("s")
print("never")
