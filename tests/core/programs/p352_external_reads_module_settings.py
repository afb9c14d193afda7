"""Tools read a module-level settings dict and a config class; the program changes both right
after a call: the call still sees the settings as they were at the call, as in plain Python
(where the program's next statement runs only after the call returned)."""
import time

import opportune

SETTINGS = {"temperature": 0.0, "model": "small", "stop": ["\n"]}


class Config:
    verbose = False


@opportune.external
def llm(p: str) -> str:
    time.sleep(0.03)
    s = SETTINGS
    return f"{p}@{s['model']}/{s['temperature']}/{s['stop']}/{Config.verbose}"


first = [llm(q) for q in ["x", "y"]]
SETTINGS["temperature"] = 1.0
SETTINGS["stop"].append("END")
Config.verbose = True
second = llm("z")
SETTINGS.update(model="big")
print(first)
print(second, llm("w"))
