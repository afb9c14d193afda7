"""A small research assistant: ask a few sub-questions, then combine the answers into one.

It is written as plain sequential Python. Run it the ordinary way and the calls happen one after
another; run it under opportune and the independent sub-questions are asked at the same time,
with the same output:

    opportune run --summary examples/research_assistant.py      # overlapped, one-line schedule
    opportune run --trace t.json examples/research_assistant.py  # timeline for Perfetto
    python examples/research_assistant.py                        # one call at a time

With no endpoint configured it uses the embedded SmolLM2-135M model; set OPENAI_BASE_URL (and
OPPORTUNE_MODEL) to use any OpenAI-compatible endpoint, or start `opportune sim serve` and point
OPENAI_BASE_URL at it. A topic may be given as the first argument (default: "tea").
"""

from __future__ import annotations

import sys

import opportune
from opportune import llm

SYSTEM = "You are a concise research assistant. Answer in one short sentence."

# A stand-in for a search tool: the program's own small, offline reference shelf.
SHELF = {
    "tea": "Tea is brewed from the leaves of Camellia sinensis, first drunk in China.",
    "coffee": "Coffee is brewed from roasted seeds of Coffea plants, first drunk in Yemen.",
    "bread": "Bread is baked from a dough of flour and water, often leavened with yeast.",
}


@opportune.external(reads="shelf")
def look_up(topic: str) -> str:
    """Fetch the reference note on a topic (a real program would call a search API here)."""
    return SHELF.get(topic.lower(), f"No reference note on {topic}.")


def research(topic: str) -> str:
    questions = [
        f"What is {topic}?",
        f"Where does {topic} come from?",
        f"Why do people like {topic}?",
        f"Name one surprising fact about {topic}.",
    ]
    answers = []
    for question in questions:
        answers.append(llm.complete(question, system=SYSTEM, max_tokens=40, temperature=0))
    reference = look_up(topic)

    notes = "\n".join([f"- {a.strip()}" for a in answers])
    summary = llm.chat(
        [
            {"role": "system", "content": SYSTEM},
            {"role": "user", "content": f"Reference: {reference}\nNotes:\n{notes}\n\n"
                                        f"Write two sentences about {topic}."},
        ],
        max_tokens=80,
        temperature=0,
    )

    lines = [f"Research notes on {topic}", ""]
    for question, answer in zip(questions, answers):
        lines.append(f"Q: {question}")
        lines.append(f"A: {answer.strip()}")
    lines += ["", f"Reference: {reference}", "", "Summary:", summary.strip()]
    return "\n".join(lines)


def main() -> None:
    topic = sys.argv[1] if len(sys.argv) > 1 else "tea"
    print(research(topic))


if __name__ == "__main__":
    main()
