from types import SimpleNamespace

from _tools import external_completion

resp = external_completion("hello")
text = resp.choices[0].message.content
print(text, resp.choices[0].index, resp.usage["total"])
print(text.split()[0].upper(), len(resp.choices))
resps = [external_completion(w) for w in ["a", "b"]]
print([r.choices[0].message.content for r in resps])
print(isinstance(resp, SimpleNamespace))
