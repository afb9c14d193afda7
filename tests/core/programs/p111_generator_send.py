from _tools import llm


def conversation():
    history = []
    reply = None
    while True:
        msg = yield reply
        if msg is None:
            return history
        reply = llm(msg + f" ({len(history)})")
        history.append(reply)


conv = conversation()
next(conv)
print(conv.send("hello"))
print(conv.send("more"))
try:
    conv.send(None)
except StopIteration as stop:
    print("history", stop.value)
