"""Library code that calls the callables the program gave it: ``map(print, ...)``, an
``ExitStack`` exit callback, a ``functools.partial`` of print and a ``weakref.finalize``
callback. Each print must land after the earlier (queued) prints of pending answers, as in
plain Python, not be written at once by the library while those are still waiting."""
import contextlib
import functools
import sys
import weakref

from _tools import llm


class Session:
    pass


print(llm("first"))
list(map(print, ["mapped 1", "mapped 2"]))
print(llm("second"))
say = functools.partial(print, "partial:", sep=" ")
say(llm("third"))
print(llm("fourth"))
say("after fourth")

with contextlib.ExitStack() as stack:
    stack.callback(print, "exit callback")
    stack.callback(sys.stdout.write, "written by the stack\n")
    print(llm("inside the stack"))

s = Session()
weakref.finalize(s, print, "session finalized")
print(llm("before del"))
del s
print(sorted([llm("a"), llm("bb")], key=len))
print("end")
