from _tools import square, score

squares = {square(i % 4) for i in range(10)}
print(sorted(squares))
buckets = {score(w) % 3 for w in ["a", "b", "c", "d", "e"]}
print(sorted(buckets), len(buckets))
print(4 in squares, 5 in squares)
