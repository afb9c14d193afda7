"""The scheduler stepped by hand: ordering, demotion, starvation, balancing, per policy."""

from __future__ import annotations

import pytest

from opportune.serve import (
    ATLAS,
    FCFS,
    MLFQ,
    PLAS,
    SRPT,
    Levels,
    LoadBalancer,
    Scheduler,
    policy_named,
)
from opportune.serve._programs import Program

LEVELS = Levels(k=4, quantum0=1.0, growth=2.0)  # queues: [0,1) [1,3) [3,7) [7,inf)


@pytest.mark.parametrize(
    ("priority", "level"),
    [(0.0, 0), (0.99, 0), (1.0, 1), (2.9, 1), (3.0, 2), (6.99, 2), (7.0, 3), (1e9, 3)],
)
def test_levels_cut_priorities(priority: float, level: int) -> None:
    assert LEVELS.level_of(priority) == level


def test_levels_quanta_grow_and_the_last_is_unbounded() -> None:
    assert [LEVELS.quantum(i) for i in range(3)] == [1.0, 2.0, 4.0]
    assert LEVELS.quantum(3) == float("inf")
    assert [LEVELS.bound(i) for i in range(4)] == [0.0, 1.0, 3.0, 7.0]


@pytest.mark.parametrize("bad", [{"k": 0}, {"quantum0": 0.0}, {"growth": 0.5}])
def test_bad_levels_are_explained(bad: dict) -> None:
    with pytest.raises(ValueError):
        Levels(**bad)


def test_unknown_policy_lists_the_choices() -> None:
    with pytest.raises(ValueError, match="atlas, fcfs, mlfq, plas, srpt"):
        policy_named("lottery")


def run_call(s: Scheduler, program: str, service: float, now: float, **kw) -> None:  # type: ignore[no-untyped-def]
    """Submit, start and complete one call of ``program`` with ``service`` seconds of service."""
    call = s.submit(program, now, **kw)
    assert s.next_call(0, now) is call
    s.charge(call, service)
    s.complete(call, now + service)


def order(s: Scheduler, now: float = 100.0) -> list[str]:
    out = []
    while (call := s.next_call(0, now)) is not None:
        out.append(call.program.program_id)
    return out


def test_fcfs_is_arrival_order_regardless_of_history() -> None:
    s = Scheduler(FCFS(), levels=LEVELS)
    run_call(s, "heavy", 50.0, 0.0)
    s.submit("heavy", 60.0)
    s.submit("fresh", 61.0)
    assert order(s) == ["heavy", "fresh"]


def test_plas_runs_least_attained_service_first_and_new_calls_enter_at_program_level() -> None:
    s = Scheduler(PLAS(), levels=LEVELS, beta=None)
    run_call(s, "heavy", 5.0, 0.0)  # attained 5 -> queue 2
    run_call(s, "medium", 2.0, 0.0)  # attained 2 -> queue 1
    h = s.submit("heavy", 10.0)
    m = s.submit("medium", 11.0)
    f = s.submit("fresh", 12.0)
    assert (h.level, m.level, f.level) == (2, 1, 0)
    assert (h.priority, m.priority, f.priority) == (5.0, 2.0, 0.0)
    assert order(s) == ["fresh", "medium", "heavy"]


def test_mlfq_ignores_programs() -> None:
    s = Scheduler(MLFQ(), levels=LEVELS)
    run_call(s, "heavy", 50.0, 0.0)
    assert s.submit("heavy", 60.0).level == 0


def test_atlas_siblings_inherit_their_parents_critical_path() -> None:
    s = Scheduler(ATLAS(), levels=LEVELS, beta=None)
    run_call(s, "p", 2.0, 0.0, call_id=0)  # root: priority 0, value 2
    a = s.submit("p", 2.0, call_id=1, parents=(0,))
    b = s.submit("p", 2.0, call_id=2, parents=(0,))
    assert a.priority == b.priority == 2.0
    for call, service in [(s.next_call(0, 2.0), 4.0), (s.next_call(0, 2.0), 1.0)]:
        assert call is not None
        s.charge(call, service)
        s.complete(call, 6.0)
    p = s.program("p")
    assert p is not None
    assert p.values == {0: 2.0, 1: 6.0, 2: 3.0}
    assert p.critical == 6.0 and p.service == 7.0  # PLAS would charge the sum, ATLAS the path
    assert s.submit("p", 7.0, call_id=3, parents=(2,)).priority == 3.0
    assert s.submit("p", 7.0, call_id=4, parents=(1, 2)).priority == 6.0
    assert s.submit("p", 7.0, call_id=5).priority == 6.0  # no parents named: the program's path


def test_a_call_past_its_quantum_drops_one_queue_at_a_time() -> None:
    s = Scheduler(MLFQ(), levels=LEVELS)
    call = s.submit("p", 0.0)
    assert s.next_call(0, 0.0) is call
    assert not s.charge(call, 0.5) and call.level == 0
    assert s.charge(call, 0.6) and call.level == 1  # 1.1 > quantum 1
    assert not s.charge(call, 1.5) and call.level == 1  # 1.6 of 2 in queue 1... 0.1+1.5
    assert s.charge(call, 1.0) and call.level == 2
    assert s.demotions == 2


@pytest.mark.parametrize("policy", [FCFS(), SRPT()])
def test_policies_without_demotion_keep_their_queue(policy) -> None:  # type: ignore[no-untyped-def]
    s = Scheduler(policy, levels=LEVELS)
    call = s.submit("p", 0.0, remaining_hint=0.5)
    s.next_call(0, 0.0)
    assert not s.charge(call, 100.0) and call.level == 0


def test_starved_calls_are_promoted_to_the_top_queue() -> None:
    s = Scheduler(PLAS(), levels=LEVELS, beta=4.0)
    run_call(s, "heavy", 5.0, 0.0)
    starved = s.submit("heavy", 10.0)
    assert starved.level == 2
    assert s.promote_starved(10.0 + 19.0) == 0  # wait 19 / service 5 < 4
    assert s.promote_starved(10.0 + 20.0) == 1  # 20 / 5 reaches beta
    assert starved.level == 0 and starved.promoted and s.promotions == 1
    s.submit("fresh", 31.0)
    assert order(s) == ["heavy", "fresh"]  # first come within the top queue


def test_fcfs_never_promotes() -> None:
    s = Scheduler(FCFS(), levels=LEVELS, beta=0.001)
    s.submit("p", 0.0)
    assert s.promote_starved(1e6) == 0


def test_requeued_call_resumes_before_later_ones_and_waits_are_accounted() -> None:
    s = Scheduler(MLFQ(), levels=LEVELS)
    first = s.submit("a", 0.0)
    s.submit("b", 1.0)
    assert s.next_call(0, 2.0) is first and first.wait == 2.0
    s.requeue(first, 3.0)
    assert s.next_call(0, 5.0) is first and first.wait == 4.0
    s.complete(first, 6.0)
    assert s.program("a").wait == 4.0  # type: ignore[union-attr]


def test_cancel_removes_a_waiting_call_and_frees_the_program() -> None:
    s = Scheduler(PLAS(), levels=LEVELS)
    call = s.submit("a", 0.0)
    assert s.table.active_programs == 1
    s.cancel(call, 1.0)
    assert s.waiting() == 0 and s.table.active_programs == 0 and s.program("a").failed == 1  # type: ignore[union-attr]


def test_process_table_tracks_peaks_and_evicts_idle_programs() -> None:
    s = Scheduler(PLAS(), levels=LEVELS)
    calls = [s.submit(f"p{i}", 0.0) for i in range(5)]
    assert s.table.peak_active == 5
    for c in calls:
        s.next_call(0, 0.0)
        s.complete(c, 1.0)
    assert s.table.evict_idle(now=5.0, ttl=10.0) == 0
    assert s.table.evict_idle(now=11.0, ttl=10.0) == 5 and len(s.table) == 0


def test_balancer_sends_short_calls_to_least_loaded_and_pins_long_ones() -> None:
    lb = LoadBalancer(3, long_prompt_tokens=2048)
    prog = Program("p", 0.0)
    lb.load[:] = [2, 0, 1]
    assert lb.choose(prog, 100) == 1
    assert lb.choose(prog, 2048) == 1  # the bound itself is short
    assert lb.choose(prog, 5000) == 1 and prog.engine == 1  # pinned where it first landed
    lb.load[:] = [0, 9, 0]
    assert lb.choose(prog, 5000) == 1  # stays for its prefix cache
    assert lb.choose(prog, 10) == 0  # short ones still spread
    with pytest.raises(ValueError):
        LoadBalancer(0)


def test_scheduler_spreads_short_calls_over_engines() -> None:
    s = Scheduler(PLAS(), engines=2, levels=LEVELS)
    engines = [s.submit(f"p{i}", 0.0, prompt_tokens=10).engine for i in range(4)]
    assert sorted(engines) == [0, 0, 1, 1]
    assert s.waiting(0) == 2 and s.waiting(1) == 2
