import time

import opportune

state = [1, 2, 3]


@opportune.external
def total(values):
    time.sleep(0.03)
    return sum(values)


t = total(x * 10 for x in state)  # plain Python consumes the generator inside the call
state.append(4)
state[0] = 100
print(t, state)
