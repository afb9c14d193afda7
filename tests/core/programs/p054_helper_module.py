import _helper_text
from _helper_text import GREETING, Memo, shout

print(shout(GREETING))
print([shout(w) for w in ["a", "b"]])
m = Memo()
print(m.remember("k"), m.remember("k"), len(m.items))
print(_helper_text.calls, _helper_text.__name__)
