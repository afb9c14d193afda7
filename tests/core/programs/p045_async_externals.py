import asyncio

from _tools import allm


async def main():
    one = await allm("single")
    many = await asyncio.gather(*(allm(f"a{i}") for i in range(4)))
    return one, many


one, many = asyncio.run(main())
print(one)
print(many)
print(asyncio.run(allm("direct")).upper())
