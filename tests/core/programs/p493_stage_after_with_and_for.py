"""Compiled in stages: a suppressing with and a module-level for loop with calls are each kept
whole in one stage; the cut falls after them."""
from contextlib import suppress

from _tools import fail, llm, square

seed = llm("seed")
word = "w0"
with suppress(ValueError):
    word = llm("inner")
    other = fail(word)
    word = "after"
print("word", word.startswith("ans"), "other" in globals())
acc = []
for i in range(5):
    r = square(i)
    if r > 4:
        acc.append(llm(str(r)).startswith("ans"))
    else:
        acc.append(r)
print("acc", acc)
text = ""
for piece in ["a", "b", "c"]:
    text += piece * 2
print("text", text)
count = 0
while count < 3:
    count += 1
print("count", count)
nums = [square(n) for n in range(3)]
print("nums", nums)
pairs = list(zip(nums, nums[1:]))
print("pairs", pairs)
flat = [x for p in pairs for x in p]
print("flat", flat)
maximum = max(flat)
print("max", maximum)
print("seed", seed.startswith("ans"))
print("end", sorted(k for k in globals() if k.startswith(("__opp_", "__opportune_try", "__opportune_manager"))))
