"""asyncio externals mixed with sync ones."""
import asyncio
import time

import opportune


@opportune.external
async def aask(q: str) -> str:
    await asyncio.sleep(0.02)
    return f"async {q}"


@opportune.external
def sask(q: str) -> str:
    time.sleep(0.02)
    return f"sync {q}"


async def main():
    a = await aask("one")
    rs = await asyncio.gather(aask("two"), aask("three"))
    print(a, rs)
    s = sask(a)
    return s


print(asyncio.run(main()))
x = sask("four")
y = asyncio.run(aask(x))
print(y)
print(asyncio.run(aask(sask("five"))).upper())
