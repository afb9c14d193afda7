"""namedtuple and the functional Enum API made after a call belong to the program's module,
so their instances pickle (and copy through pickle) as in plain Python."""
import collections
import enum
import pickle

from _tools import llm, score

answer = llm("kinds")
Hit = collections.namedtuple("Hit", ["doc", "score"])
Kind = enum.Enum("Kind", "SEARCH CALC FINISH")
hits = [Hit(d, score(d)) for d in ["a", "bb"]]
print(Hit.__module__, Kind.__module__, Kind.CALC, Kind(2))
print(pickle.loads(pickle.dumps(hits)))
print(pickle.loads(pickle.dumps(Kind.FINISH)) is Kind.FINISH, answer)
