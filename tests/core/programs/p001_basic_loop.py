from _tools import llm

answers = []
for topic in ["cats", "dogs", "owls", "bees"]:
    answers.append(llm(f"tell me about {topic}"))
for a in answers:
    print(a)
print(len(answers), "answers")
