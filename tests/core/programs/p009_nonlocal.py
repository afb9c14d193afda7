from _tools import score


def counter():
    total = 0
    calls = 0

    def feed(text):
        nonlocal total, calls
        total += score(text)
        calls += 1
        return total

    def report():
        return f"{calls} calls, total {total}"

    return feed, report


feed, report = counter()
for w in ["alpha", "beta", "gamma"]:
    feed(w)
print(report())
print(feed("delta"))
