"""A loop over a pending list whose body formats dates and builds TypedDicts runs deferred, and
its results, read after the loop, are those of plain Python; ``datetime.now`` stays a call in
program order (its value is only compared, so the output does not depend on the clock)."""
from __future__ import annotations

import datetime
import time
from typing import TypedDict

import opportune


class Options(TypedDict, total=False):
    frozen: bool
    title: str


@opportune.external
def events(day: str) -> list[datetime.datetime]:
    time.sleep(0.03)
    return [datetime.datetime(2024, 5, 15, 9 + i, 30) for i in range(3)]


@opportune.external
def summarize(text: str) -> str:
    time.sleep(0.02)
    return f"summary of {text}"


lines = ""
made = []
for start in events("2024-05-15"):
    summary = summarize(start.isoformat())
    end = start + datetime.timedelta(minutes=45)
    options = Options(frozen=True, title=start.strftime("%H:%M"))
    made = made + [options]
    lines = lines + f"{start.strftime('%H:%M')}-{end.strftime('%H:%M')} {summary}\n"
print("before the loop's results are used")
print(lines.strip())
print(made)
print(datetime.datetime.now() > datetime.datetime(2000, 1, 1))
print(datetime.date(2024, 5, 15).replace(day=16).isoformat(), datetime.timedelta(hours=2) * 3)
