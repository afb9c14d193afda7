"""An exception the program raises itself (no external involved) in code opportune compiled,
with hooks on the stack: the formatted traceback has the program's frames only."""
import traceback

from _tools import llm


class Tool:
    def __init__(self, name):
        self.name = name

    def run(self, data):
        return data["missing"] + self.name


def parse(text, table):
    parts = [int(p) for p in text.split(",")]
    return table[parts[0]]


answer = llm("q")
for text in ["1,2", "x,3", "7"]:
    try:
        print(parse(text, {1: answer[:3]}))
    except (ValueError, KeyError):
        print(traceback.format_exc())
try:
    Tool("t").run({"k": answer})
except KeyError:
    print(traceback.format_exc())
