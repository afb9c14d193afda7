from _tools import llm, score


def grade(text):
    return "A" if score(text) > 500 else "B"


def review(topic):
    draft = llm(f"draft {topic}")
    critique = llm(f"critique {draft}")
    return {"topic": topic, "draft": draft, "grade": grade(critique)}


def batch(topics):
    return [review(t) for t in topics]


for r in batch(["x", "y", "z"]):
    print(r)
