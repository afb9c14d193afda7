from _tools import send, llm

drafts = [llm(f"draft {i}") for i in range(3)]
receipts = []
for d in drafts:
    receipts.append(send(d))
print(receipts)
print(llm("after sends"))
