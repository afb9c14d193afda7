"""The program-aware scheduler: process table, per-engine multi-level queues, balancing.

It is pure bookkeeping with an explicit clock (every method takes ``now``), so the discrete-event
simulator and the asyncio gateway drive the very same object, and tests can step it by hand.

Life of a call: ``submit`` (the policy gives it a priority, the priority a queue, the balancer an
engine) -> ``next_call`` (the engine has room; first come first served within the best queue) ->
``charge`` (service attained while running; past its quantum it drops a queue) -> ``complete``
(the program's attained service / critical path grows). ``requeue`` puts a preempted call back;
``promote_starved`` lifts calls whose wait has grown ``beta`` times their service.
"""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Iterator

from opportune.serve._balance import LONG_PROMPT_TOKENS, LoadBalancer
from opportune.serve._policy import Levels, Policy
from opportune.serve._programs import Call, ProcessTable, Program

DEFAULT_BETA = 16.0


class MultiLevelQueue:
    """K first-come-first-served queues; lower index runs first."""

    def __init__(self, k: int) -> None:
        self._queues: list[deque[Call]] = [deque() for _ in range(k)]
        self._len = 0

    def __len__(self) -> int:
        return self._len

    def push(self, call: Call) -> None:
        self._queues[call.level].append(call)
        self._len += 1

    def push_front(self, call: Call) -> None:
        self._queues[call.level].appendleft(call)
        self._len += 1

    def remove(self, call: Call) -> None:
        self._queues[call.level].remove(call)
        self._len -= 1

    def pop(self) -> Call | None:
        for q in self._queues:
            if q:
                self._len -= 1
                return q.popleft()
        return None

    def peek(self) -> Call | None:
        for q in self._queues:
            if q:
                return q[0]
        return None

    def __iter__(self) -> Iterator[Call]:
        """Waiting calls in the order they would run."""
        for q in self._queues:
            yield from q

    def lengths(self) -> list[int]:
        return [len(q) for q in self._queues]

    def take_where(self, level_from: int, predicate) -> list[Call]:  # type: ignore[no-untyped-def]
        """Remove and return the calls at ``level_from`` or below that satisfy ``predicate``."""
        taken: list[Call] = []
        for q in self._queues[level_from:]:
            keep: deque[Call] = deque()
            for call in q:
                (taken if predicate(call) else keep).append(call)
            q.clear()
            q.extend(keep)
        self._len -= len(taken)
        return taken


class Scheduler:
    """Program-aware call scheduler shared by the simulator and the gateway."""

    def __init__(
        self,
        policy: Policy,
        *,
        engines: int = 1,
        levels: Levels | None = None,
        beta: float | None = DEFAULT_BETA,
        long_prompt_tokens: int = LONG_PROMPT_TOKENS,
    ) -> None:
        self.policy = policy
        self.levels = levels or Levels()
        if not policy.multilevel:
            self.levels = Levels(k=1, quantum0=self.levels.quantum0)
        self.beta = beta if policy.multilevel else None
        if self.beta is not None and self.beta <= 0:
            raise ValueError(
                f"beta={beta}: the starvation ratio must be positive (or None to disable)"
            )
        self.table = ProcessTable()
        self.queues = [MultiLevelQueue(self.levels.k) for _ in range(engines)]
        self.balancer = LoadBalancer(engines, long_prompt_tokens=long_prompt_tokens)
        self._seq = itertools.count()
        self._call_ids = itertools.count()
        self.demotions = 0
        self.promotions = 0

    # -- entering -------------------------------------------------------------------------
    def submit(
        self,
        program_id: str,
        now: float,
        *,
        call_id: int | None = None,
        thread_id: int = 0,
        parents: tuple[int, ...] = (),
        prompt_tokens: int = 0,
        remaining_hint: float = 0.0,
        payload: object = None,
    ) -> Call:
        program = self.table.get_or_create(program_id, now)
        program.last_seen = now
        program.submitted += 1
        self.table.call_started(program)
        call = Call(
            program=program,
            call_id=next(self._call_ids) if call_id is None else call_id,
            thread_id=thread_id,
            parents=tuple(parents),
            prompt_tokens=prompt_tokens,
            arrival=now,
            remaining_hint=remaining_hint,
            payload=payload,
        )
        call.priority = self.policy.entry_priority(program, call)
        call.level = self.levels.level_of(call.priority) if self.policy.multilevel else 0
        call.engine = self.balancer.choose(program, prompt_tokens)
        self.balancer.assigned(call.engine)
        self._enqueue(call, now)
        return call

    def _enqueue(self, call: Call, now: float) -> None:
        call.seq = next(self._seq)
        call.waiting_since = now
        self.queues[call.engine].push(call)

    # -- running --------------------------------------------------------------------------
    def next_call(self, engine: int, now: float) -> Call | None:
        """The call engine ``engine`` should start now, removed from its queue."""
        call = self.queues[engine].pop()
        if call is not None:
            self._stop_waiting(call, now)
        return call

    def peek_waiting(self, engine: int, n: int) -> list[Call]:
        """The first ``n`` waiting calls of ``engine`` in run order, left in the queue."""
        return list(itertools.islice(self.queues[engine], n))

    def start(self, call: Call, now: float) -> None:
        """Start a specific waiting call (one returned by ``peek_waiting``)."""
        self.queues[call.engine].remove(call)
        self._stop_waiting(call, now)

    def _stop_waiting(self, call: Call, now: float) -> None:
        if call.waiting_since is not None:
            call.wait += now - call.waiting_since
            call.waiting_since = None

    def charge(self, call: Call, service: float) -> bool:
        """Credit ``service`` to a running call; True when that drops it a queue."""
        call.service += service
        call.level_service += service
        if not self.policy.demotes or not self.policy.multilevel:
            return False
        demoted = False
        while call.level < self.levels.k - 1 and call.level_service > self.levels.quantum(
            call.level
        ):
            call.level_service -= self.levels.quantum(call.level)
            call.level += 1
            call.seq = next(self._seq)  # to the back of the lower queue
            self.demotions += 1
            demoted = True
        return demoted

    def requeue(self, call: Call, now: float) -> None:
        """Put a preempted call back at the front of its queue: it resumes before later calls."""
        call.waiting_since = now
        self.queues[call.engine].push_front(call)

    def complete(self, call: Call, now: float, *, ok: bool = True) -> None:
        """The call finished (or failed): update its program and free its engine slot."""
        self._stop_waiting(call, now)
        program = call.program
        program.last_seen = now
        program.wait += call.wait
        if ok:
            program.completed += 1
            self.policy.record_completion(program, call)
        else:
            program.failed += 1
            program.service += call.service
        self.table.call_ended(program)
        self.balancer.released(call.engine)

    def cancel(self, call: Call, now: float) -> None:
        """Drop a call that is still waiting (its client went away)."""
        removed = self.queues[call.engine].take_where(0, lambda c: c is call)
        if removed:
            self.complete(call, now, ok=False)

    # -- fairness -------------------------------------------------------------------------
    def starvation_ratio(self, call: Call, now: float) -> float:
        waiting = call.wait + (now - call.waiting_since if call.waiting_since is not None else 0.0)
        program = call.program
        service = program.service + call.service
        return (program.wait + waiting) / max(service, 1e-9)

    def promote_starved(self, now: float) -> int:
        """Move waiting calls whose (wait / service) reached beta to the top queue."""
        if self.beta is None:
            return 0
        beta = self.beta
        moved = 0
        for queue in self.queues:
            starved = queue.take_where(1, lambda c: self.starvation_ratio(c, now) >= beta)
            for call in starved:
                call.level = 0
                call.level_service = 0.0
                call.promoted = True
                queue.push(call)  # keeps waiting_since: promotion is not a new arrival
                call.seq = next(self._seq)
            moved += len(starved)
        self.promotions += moved
        return moved

    def waiting(self, engine: int | None = None) -> int:
        if engine is None:
            return sum(len(q) for q in self.queues)
        return len(self.queues[engine])

    def program(self, program_id: str) -> Program | None:
        return self.table.get(program_id)
