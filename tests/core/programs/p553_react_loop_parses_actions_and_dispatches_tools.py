"""ReAct loop: parse "Action: tool[arg]" with a regex, dispatch through a dict of tools."""
import re
import time

import opportune


@opportune.external
def llm(history: list) -> str:
    time.sleep(0.02)
    n = len(history)
    if n == 1:
        return "Thought: look it up\nAction: search[capital of France]"
    if n == 3:
        return "Thought: compute\nAction: calc[6*7]"
    return "Thought: done\nFinal Answer: Paris, 42"


@opportune.external
def search(q: str) -> str:
    time.sleep(0.02)
    return f"Paris is the capital ({q})"


@opportune.external
def calc(expr: str) -> str:
    time.sleep(0.01)
    return str(eval(expr))


TOOLS = {"search": search, "calc": calc}
ACTION = re.compile(r"Action: (\w+)\[(.*?)\]")


def react(question: str) -> str:
    history = [{"role": "user", "content": question}]
    for step in range(5):
        reply = llm(history)
        history.append({"role": "assistant", "content": reply})
        if "Final Answer:" in reply:
            return reply.split("Final Answer:")[1].strip()
        m = ACTION.search(reply)
        if not m:
            print("no action in", reply)
            continue
        name, arg = m.group(1), m.group(2)
        tool = TOOLS.get(name)
        obs = tool(arg) if tool else f"unknown tool {name}"
        print(f"step {step}: {name}({arg!r}) -> {obs}")
        history.append({"role": "user", "content": f"Observation: {obs}"})
    return "gave up"


print("answer:", react("What is the capital of France and 6*7?"))
