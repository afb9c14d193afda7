from _tools import score, square, llm

s = score("abc")
q = square(7)
print(f"{s:>8}|{s:<8}|{s:^8}|{s:08d}|{s:x}|{s:,}")
print(f"{q / 7:.3f} {q:e} {q:+d} {q * 1000:_}")
width = square(3)
print(f"[{llm('pad'):>{width + 10}}]")
print(f"{'lit':*^11} {s!s:>5} {q:#b}")
