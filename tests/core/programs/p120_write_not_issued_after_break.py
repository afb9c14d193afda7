from _tools import send, score, LOG

for i in range(6):
    if score(f"s{i}") > 700:
        print("stopping at", i)
        break
    send(f"message {i}")
print(len(LOG))
print(send("final"))
