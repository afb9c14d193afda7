"""Tools that print and log what they do (as tutorial agents often do): their lines land
where plain Python writes them, between the program's own, never inside one; tools that do
not print still overlap."""
import logging
import sys
import time

import opportune

logging.basicConfig(stream=sys.stdout, level=logging.INFO, format="%(levelname)s %(message)s")
log = logging.getLogger("tools")


@opportune.external
def weather(city: str) -> str:
    print(f"calling the weather API for {city}...")
    time.sleep(0.05 if city == "Oslo" else 0.01)
    log.info("weather for %s done", city)
    return f"{city}: {len(city) * 3}C"


@opportune.external
def shout(text: str) -> str:
    sys.stdout.write("shouting " + text + "\n")
    return text.upper()


@opportune.external
def quiet(x: str) -> str:
    time.sleep(0.02)
    return x[::-1]


print("start")
reports = [weather(c) for c in ["Oslo", "Rome", "Lima"]]
print("asked", len(reports))
print(reports)
print("quiet:", [quiet(w) for w in ["abc", "de"]], end=" ")
print(shout("hey"), flush=True)
