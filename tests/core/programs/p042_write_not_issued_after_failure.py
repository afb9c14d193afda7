from _tools import send, fail, LOG

send("hello")
try:
    fail("stop")
    send("never sent")  # plain Python never reaches this write
except ValueError as e:
    print("caught", e)
send("after")
print(LOG)
send("final")
bad = fail("uncaught")
send("must not be sent")
print(LOG)
