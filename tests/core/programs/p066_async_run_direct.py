import asyncio

from _tools import allm

print(asyncio.run(allm("direct")).upper())
