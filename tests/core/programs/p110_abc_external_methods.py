import abc
import time

import opportune


class Model(abc.ABC):
    @abc.abstractmethod
    def complete(self, prompt): ...

    def chat(self, turns):
        return [self.complete(t) for t in turns]


class Echo(Model):
    @opportune.external
    def complete(self, prompt):
        time.sleep(0.02)
        return "echo " + prompt


class Loud(Model):
    @opportune.external(max_concurrency=1)
    def complete(self, prompt):
        time.sleep(0.02)
        return prompt.upper() + "!"


class Local(Model):
    def complete(self, prompt):
        return "local " + prompt


for m in [Echo(), Loud(), Local()]:
    print(type(m).__name__, m.chat(["hi", "bye"]))
try:
    Model()
except TypeError as e:
    print("TypeError", e)
