from _tools import send, fail, LOG

for i in range(3):
    try:
        if i == 1:
            fail(f"attempt {i}")
        send(f"ok {i}")
    except ValueError:
        send(f"error {i}")
    finally:
        send(f"finally {i}")
print(LOG)
print(send("done"))
