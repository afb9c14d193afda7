"""A script switches its model name (and its settings dict) between calls by rebinding the
module-level names the tool reads: each call uses the names as they were bound at its call,
as in plain Python."""
import time

import opportune

MODEL = "small"
SETTINGS = {"t": 0}


def endpoint(model):
    return f"https://api/{model}"


@opportune.external
def llm(p: str) -> str:
    time.sleep(0.03)
    return f"{p}@{endpoint(MODEL)}/{SETTINGS['t']}"


a = llm("x")
MODEL = "big"
SETTINGS = {"t": 1}
b = llm("y")


def endpoint(model):  # noqa: F811 - a new version after the first two calls
    return f"https://v2/{model}"


c = llm("z")
print(a, b, c)
