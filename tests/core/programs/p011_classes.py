from _tools import llm, score


class Agent:
    count = 0

    def __init__(self, name):
        self.name = name
        self.memory = []
        Agent.count += 1

    def think(self, q):
        a = llm(f"{self.name}: {q}")
        self.memory.append(a)
        return a

    def __str__(self):
        return f"Agent({self.name}, {len(self.memory)} memories)"


agents = [Agent("ada"), Agent("bob")]
for ag in agents:
    ag.think("plan")
    ag.think("act")
for ag in agents:
    print(ag)
    print(ag.memory)
print(Agent.count, score(agents[0].memory[0]))
