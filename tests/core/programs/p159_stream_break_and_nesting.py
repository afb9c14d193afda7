"""Stop early on a streamed answer; streams nested in the loop over another stream."""
from _tools import stream_llm

for line in stream_llm("outer").splitlines():
    if line.startswith("2."):
        print("found", line)
        break
    print("skip", line)

for line in stream_llm("top").splitlines()[1:3]:
    for inner in stream_llm(line).splitlines():
        print(line, "->", inner)
lines = stream_llm("kept").splitlines()
for line in lines:
    if len(lines) > 100:
        break
    print(line)
lines2 = stream_llm("mutated").splitlines()
for i, line in enumerate(lines2):
    if i == 1:
        lines2.append("appended while iterating")
    print(line)
