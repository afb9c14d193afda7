import copy
import heapq
import itertools
import random
import textwrap
from collections import Counter

from _tools import score, llm, square

random.seed(score("seed"))
print(random.randint(0, 1000), random.choice([llm("a"), llm("b")]))
nums = [square(i) for i in range(6)]
heap = list(nums)
heapq.heapify(heap)
print(heapq.nsmallest(2, heap), list(itertools.accumulate(nums)))
print(Counter(score(w) % 3 for w in "abcdefg").most_common())
print(textwrap.shorten(llm("a rather long prompt for wrapping"), width=20))
data = {"xs": nums, "name": llm("n")}
clone = copy.deepcopy(data)
clone["xs"].append(-1)
print(data["xs"][-1], clone["xs"][-1], clone["name"] == data["name"])
