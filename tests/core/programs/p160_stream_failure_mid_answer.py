"""A stream that drops and is retried gives the same text; one that fails for good raises
exactly as the call does without streaming."""
from _tools import stream_llm_broken, stream_llm_retried

for line in stream_llm_retried("again").splitlines():
    print("retried", line)
print(stream_llm_retried("printed"))
try:
    for line in stream_llm_broken("lost").splitlines():
        pass
    print("not reached")
except ConnectionError as e:
    print("caught", e)
x = stream_llm_broken("uncaught")
print("before the failure is met")
print(x.upper())
