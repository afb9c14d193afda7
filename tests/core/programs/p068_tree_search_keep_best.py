from _tools import llm, score


def expand(state):
    return [llm(f"{state}/{move}") for move in "abc"]


best_state, best_score = "root", -1
frontier = ["root"]
for depth in range(2):
    children = [c for s in frontier for c in expand(s)]
    scored = [(score(c), c) for c in children]
    scored.sort(reverse=True)
    if scored[0][0] > best_score:
        best_score, best_state = scored[0]
    frontier = [c for _, c in scored[:2]]
    print(depth, len(children), best_score)
print(best_state)
