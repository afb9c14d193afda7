"""The rest of the body after a guard binds names the code after the loop reads (and one it
reads before any iteration bound it): they hold what plain Python left in them."""
import time

import opportune


@opportune.external
def ask(q: str) -> str:
    time.sleep(0.02 if q.startswith("s") else 0.005)
    return "" if q.startswith("x") else f"answer {q}"


def main(questions: list[str]) -> None:
    answers = []
    count = 0
    for q in questions:
        a = ask(q)
        if not a:
            continue
        last = a
        count += 1
        answers.append(a)
    print(count, answers)
    print("last:", last)


main(["a", "slow", "xc"])
main(["a", "xb"])
main(["xa"])
