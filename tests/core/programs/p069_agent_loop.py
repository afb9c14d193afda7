from _tools import llm, search, score

memory = []
task = "plan a trip"
for step in range(5):
    thought = llm(f"{task} | step {step} | {len(memory)} notes")
    s = score(thought)
    if s % 3 == 0:
        action = "search"
        obs = search(thought, k=1)[0]
    elif s % 3 == 1:
        action = "think"
        obs = llm("reflect " + thought)
    else:
        action = "finish"
        obs = thought
    memory.append((action, obs))
    print(step, action, obs)
    if action == "finish":
        break
print(len(memory))
