from _tools import llm, score


def greet(name, opener=llm("default opener")):
    return f"{opener} {name}"


class Config:
    greeting = llm("class body")
    level = score("level") % 5


print(greet("ann"), greet("bob", "hi"))
print(Config.greeting, Config.level, Config().level + 1)
