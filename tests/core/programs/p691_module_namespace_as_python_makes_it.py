"""The script's namespace and an imported module's hold what plain Python puts there, in its
order: no name of opportune's, and ``__annotations__`` as an empty dict."""
import _helper_text
from _tools import llm

answer = llm("namespace")
print(list(globals()))
print(__annotations__, type(__loader__).__name__, __spec__, __package__)
print(sorted(k for k in vars(_helper_text) if k.startswith("__")))
print(answer)
