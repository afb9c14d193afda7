from _tools import add, llm

total, n = 0, 0
while total < 30:
    total = add(total, n)
    n += 1
print(total, n)

text = "start"
rounds = 0
while True:
    text = llm(text)
    rounds += 1
    if len(text) > 60 or rounds >= 4:
        break
print(rounds, text)
