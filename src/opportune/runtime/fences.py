"""Results of reading calls that a later call changes in place: uses after the change wait.

Some services hand back their own objects: a search returns the records it stores, and a later
update changes those very records. Under plain Python the program sees the change the next time
it looks at a record it kept. An external declared ``changes_read_results=True`` (with
``writes=``) makes such a change. Waiting for each such call, as for ``mutates=True``, would stop
the program at every update, and an update in a deferred branch arm could not be deferred at all.

Instead the runtime keeps track of the values that hold results of calls reading (or writing) a
resource that such an external writes, and of the values built from them that are not plain text or numbers (``rows[0]``,
``sorted(rows)``). Where the program reaches such a change (a deferred arm that may make it, or
the call itself), every tracked result of the resources it writes gets a *fence*: a use of the
value that comes later in program order (forcing it, building a new value from it, passing it
to a call) waits until the change has been made. Uses that come earlier in program order, from
code that runs concurrently, never wait: the change waits for them, as every write waits for
everything before it.

That is only sound while the changed objects can be reached through pending values alone. Once
the program has taken such an object out of its result (``for row in rows``, ``rows[0]`` with
``rows`` finished, a library call given ``rows``), it holds the object itself and no fence can
stand in front of it: the resource counts as *escaped* for the rest of the run, and a change to
it waits as ``mutates=True`` does. A truth value, a length or a text made from a result hands out
nothing.
"""

from __future__ import annotations

import threading
import weakref
from typing import TYPE_CHECKING

from opportune.runtime import context, externals
from opportune.runtime.values import ATOM_TYPES, DONE, FAILED, PENDING, Pending

if TYPE_CHECKING:
    from opportune.runtime.scheduler import Runtime

# Values that cannot hold one of the changed objects.

WAIT_REASON = ("a later call changes this result of an earlier read in place: this use comes "
               "after that change, so it waits for it")


class ReadResults:
    """The tracked results, by resource, and the resources that escaped."""

    def __init__(self, rt: Runtime) -> None:
        self._rt = rt
        self._lock = threading.Lock()
        self._by_resource: dict[str, weakref.WeakValueDictionary[int, Pending]] = {}
        self.escaped: set[str] = set()
        # Resources of calls made before any external declared it may change their results
        # (it was defined later in the run): those results were not tracked, so cannot be fenced.
        self.untracked: set[str] = set()

    def note_call(self, p: Pending | None, resources: frozenset[str]) -> None:
        """A call on ``resources`` was issued (``p``: its value, None while nothing is
        tracked): track its result under those a declared change may alter."""
        changed = externals.CHANGED_RESOURCES
        if p is not None and not changed.isdisjoint(resources):
            self.track(p, resources & changed)
        if not resources <= changed:
            with self._lock:
                self.untracked |= resources - changed

    def track(self, p: Pending, resources: frozenset[str]) -> None:
        """``p`` holds a result of a call that reads or writes ``resources``."""
        object.__setattr__(p, "_tracks", resources)
        with self._lock:
            for r in resources:
                self._by_resource.setdefault(r, weakref.WeakValueDictionary())[p._seq] = p

    def built_from(self, p: Pending, inputs: list[Pending]) -> list[Pending]:
        """``p`` is being built from ``inputs``: it may hold what a tracked input holds, so it
        is tracked too. Returns the fences it has to wait for."""
        tracked = [i for i in inputs if i._tracks is not None]
        if not tracked:
            return []
        self.track(p, frozenset().union(*(i._tracks for i in tracked)))
        return self.active(tracked)

    def active(self, values: list[Pending]) -> list[Pending]:
        """The unfinished changes that a use of ``values`` here, in program order, comes
        after."""
        pos = self._rt.scope().next
        return [f for v in values if v._fences for f, after in v._fences
                if f._state == PENDING and pos >= after]

    def use(self, p: Pending, hands_out: bool) -> None:
        """The program uses the finished value of ``p`` (on the thread that uses it): wait for
        the changes this use comes after; if the object itself is handed out, note that the
        resources escaped."""
        if getattr(context._local, "scope", None) is None \
                and threading.get_ident() != self._rt._program_ident:
            return  # a worker or the loop filling in a value: what waited was decided at issue
        if p._fences:
            for fence in self.active([p]):
                self._rt.wait_for(fence, WAIT_REASON)
        if hands_out and type(p._value) not in ATOM_TYPES:
            with self._lock:
                self.escaped |= p._tracks

    def fence(self, resources: frozenset[str], change: Pending, after: int) -> bool:
        """A change to the results of reads of ``resources`` stands at ``after`` in program
        order and is done once ``change`` finishes: fence every tracked result. False, and
        nothing fenced, when one of them escaped (the program holds the objects themselves)."""
        with self._lock:
            if "*" in resources:
                resources = frozenset(externals.CHANGED_RESOURCES)
            if not self.escaped.isdisjoint(resources) or not self.untracked.isdisjoint(resources):
                return False
            held = [h for r in resources if r in self._by_resource
                    for h in list(self._by_resource[r].values())]
        # Code running concurrently that comes earlier in program order and was handed such a
        # result could take the objects out after the fence stands, unseen by it.
        for guard, lo, _, handed, _ in list(self._rt.readers.entries.values()):
            if guard._state == PENDING and lo < after \
                    and any(h._tracks is not None for h in handed):
                return False
        for h in held:
            if h._state == FAILED or (h._state == DONE and type(h._value) in ATOM_TYPES):
                continue
            kept = [(f, a) for f, a in (h._fences or ()) if f._state == PENDING]
            object.__setattr__(h, "_fences", [*kept, (change, after)])
        return True
