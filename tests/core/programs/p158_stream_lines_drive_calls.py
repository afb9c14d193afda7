"""Work on each line of a streamed answer: calls per line, enumerate, zip, strip, startswith."""
from _tools import llm, stream_llm

text = stream_llm("plan")
print(text.startswith("Title"), text.startswith("Nope"))
for i, line in enumerate(text.strip().splitlines()):
    print(i, line, llm(line))
for a, b in zip(stream_llm("left").splitlines(), stream_llm("right").splitlines()):
    print(a, "|", b)
words = stream_llm("words").split()
print(len(words), words[:3])
for part in stream_llm("dots").split("."):
    print(repr(part))
print(stream_llm("whole"))
print("end")
for topic in ["fa", "fb"]:
    print(f"## {topic}\n{stream_llm(topic)}")
