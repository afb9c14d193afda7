"""The arm makes calls and appends their answers: the list holds them in program order."""
from _tools import llm, score


def main():
    answers = []
    for q in range(6):
        s = score(f"c{q}")
        if s % 2:
            answers.append(llm(f"ask{q}"))
        else:
            answers.append(f"skip{q}")
    print(answers)
    print(" | ".join(answers))


main()
