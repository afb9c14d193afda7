"""Async tools print before and after awaiting, and through tasks they start themselves (which
inherit the call's capture); each call runs as a task on opportune's event loop and its output
lands at its place."""
import asyncio

import opportune


async def part(q: str, n: int) -> str:
    print(f"  part {n} of {q}")
    await asyncio.sleep(0.01 * n)
    print(f"  part {n} of {q} done")
    return q * n


@opportune.external
async def ask(q: str) -> str:
    print(f"asking {q}")
    parts = await asyncio.gather(part(q, 2), part(q, 1))
    print(f"answered {q}")
    return "".join(parts)


answers = [asyncio.run(ask(q)) for q in ["a", "bb"]]
print("asked")
for a in answers:
    print(a)
