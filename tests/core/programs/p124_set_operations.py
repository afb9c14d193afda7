from _tools import llm, square

a = {llm("x"), llm("y")}
b = {llm("y"), llm("z")}
print(sorted(a | b), sorted(a & b), sorted(a - b), len(a ^ b))
nums = {square(i) for i in range(-3, 4)}
print(sorted(nums), 9 in nums, nums.issuperset({0, 1}))
