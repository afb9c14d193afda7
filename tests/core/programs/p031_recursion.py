from _tools import add, llm


def fib(n):
    if n < 2:
        return n
    return add(fib(n - 1), fib(n - 2))


def tree(depth, label):
    if depth == 0:
        return llm(label)
    return [tree(depth - 1, label + "L"), tree(depth - 1, label + "R")]


print(fib(7))
print(tree(2, "root"))
