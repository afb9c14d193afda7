"""A list an external returned is changed in place (heapify, shuffle, del, +=, sort,
reverse, insert, item store) right after the program read parts of it while the call was
still running: the parts are those from before the change."""
import heapq, random, time
import opportune

@opportune.external
def get(n: int) -> list:
    time.sleep(0.02)
    return [5, 3, 9, 1][:n] + [n]

random.seed(0)
for i in range(3):
    r = get(4)
    first, last = r[0], r[-1]
    heapq.heapify(r)
    print(first, last, r)
    s = get(3)
    top = s[0]
    random.shuffle(s)
    print(top, s)
    t = get(2)
    head = t[:1]
    del t[0]
    print(head, t)
    u = get(4)
    x = u[1]
    u += [100]
    u.sort()
    print(x, u)
    v = get(1)
    y = v[0]
    v.reverse(); v.insert(0, -1)
    print(y, v)
    d = get(2)
    z = d[0]
    d[0] = 42
    print(z, d)
