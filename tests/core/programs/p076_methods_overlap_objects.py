from _tools import llm


class Critic:
    def __init__(self, persona):
        self.persona = persona
        self.history = []

    def judge(self, text):
        verdict = llm(f"{self.persona} judges {text}")
        self.history.append(verdict)
        return verdict

    def summary(self):
        return f"{self.persona}: {len(self.history)} verdicts, last={self.history[-1]}"


critics = [Critic(p) for p in ["harsh", "kind", "odd"]]
for text in ["poem", "essay"]:
    for c in critics:
        c.judge(text)
for c in critics:
    print(c.summary())
