import time

import opportune


class Agent:
    def __init__(self, name):
        self.name = name
        self.log = []

    @opportune.external
    def call_model(self, prompt):
        time.sleep(0.02)
        return f"{self.name} says {prompt[::-1]}"

    def step(self, prompt):
        out = self.call_model(prompt)
        self.log.append(out)
        return out


class Planner(Agent):
    def step(self, prompt):
        plan = super().step("plan " + prompt)
        return plan.upper()
