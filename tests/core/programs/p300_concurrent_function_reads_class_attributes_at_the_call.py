"""A function of the program's own that runs concurrently reads class attributes (its own
global class, a class handed as an argument, one inherited from a base class, a list held by a
class) as they were at its call, though the program rebinds or changes them right after."""
from _tools import score


class Base:
    LEVEL = 1


class Config(Base):
    MODE = "slow"
    ITEMS = ["a"]
    TABLE = {"k": 1}


class Other:
    MODE = "other-slow"


def judge(word: str) -> str:
    first = score(word)  # the function goes on only once this call has answered
    if first >= 0:
        return f"{word} {Config.MODE} {len(Config.ITEMS)} {Config.TABLE} {Config.LEVEL}"
    return ""


def judge_with(cls: type, word: str) -> str:
    if score(word) >= 0:
        return f"{word} {cls.MODE}"
    return ""


c = judge("abc")
d = judge_with(Other, "xyz")
Config.MODE = "fast"
Config.ITEMS.append("b")
Config.TABLE["k"] = 2
Base.LEVEL = 2
Other.MODE = "other-fast"
print(c)
print(d)
print(Config.MODE, Config.ITEMS, Config.TABLE, Config.LEVEL, Other.MODE)

e = judge("again")
del Config.MODE
Config.MODE = "third"
print(e, Config.MODE)
