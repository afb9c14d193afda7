from _tools import Tool


class Logged(Tool):
    calls = []

    def run(self, arg):
        Logged.calls.append(arg)
        return "logged(" + super().run(arg) + ")"


class Twice(Logged):
    def run(self, arg):
        return super().run(arg) + "|" + super().run(arg + "!")


tools = [Logged("l"), Twice("t")]
print([t.run("go") for t in tools])
print(Logged.calls)
