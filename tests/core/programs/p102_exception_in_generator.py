from _tools import fail_if


def produce():
    for i in range(5):
        yield fail_if(i, 3)


got = []
try:
    for v in produce():
        got.append(v)
except KeyError as e:
    print("stopped by", e)
print(got)
