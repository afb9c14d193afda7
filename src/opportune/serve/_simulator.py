"""A discrete-event model of one continuous-batching LLM engine under a program-aware scheduler.

The engine runs iterations: each decodes one token for every running call and prefills newly
admitted ones (up to a per-iteration token budget). An iteration costs
``iteration_s + decode_s * batch + kv_read_s * context + prefill_s * prefilled_tokens`` under
a named engine profile (``_engine``). Every running call holds KV cache for its prompt and
generated tokens; when the cache or the batch is full, the scheduler's order decides who runs
and a displaced call is preempted (its cache dropped, brought back later by a swap-in or a
recompute, as the profile says).

Between events (an arrival, a completion, a quantum running out, the cache filling up, a
starvation check) the batch does not change, so the simulator jumps over whole runs of
iterations at once instead of stepping token by token; that keeps a sweep to seconds.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np

from opportune.serve._engine import EngineModel, engine_named
from opportune.serve._policy import SRPT, Levels, policy_named
from opportune.serve._programs import Call
from opportune.serve._scheduler import DEFAULT_BETA, Scheduler
from opportune.serve._workloads import generate


@dataclass
class SimResult:
    workload: str
    policy: str
    engine: str
    load: float
    programs: int
    seed: int
    mean_norm_latency: float
    p50_norm_latency: float
    p95_norm_latency: float
    p99_norm_latency: float
    mean_norm_latency_critical_path: float
    mean_latency_s: float
    throughput_programs_per_s: float
    arrival_rate_programs_per_s: float
    preemptions: int
    mean_batch: float
    mean_kv_fraction: float
    busy_fraction: float
    norm_latency_by_arrival_quarter: list[float]
    demotions: int
    promotions: int
    calls: int
    makespan_s: float
    events: int

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


class _Run:
    """Per-call simulator state, kept in ``Call.payload``."""

    __slots__ = ("generated", "index", "output", "prefill", "prefill_cost", "program")

    def __init__(self, program: int, index: int, output: int, prefill: int, cost: float) -> None:
        self.program = program
        self.index = index
        self.output = output
        self.generated = 0
        self.prefill = prefill  # tokens to bring into the KV cache before decoding
        self.prefill_cost = cost  # seconds that takes (a prefill, or a swap-in after preemption)


def simulate(
    workload: str,
    policy: str,
    *,
    load: float,
    programs: int,
    seed: int = 0,
    engine: EngineModel | str | None = None,
    levels: Levels | None = None,
    beta: float | None = DEFAULT_BETA,
    starvation_check_s: float = 1.0,
) -> SimResult:
    """Simulate ``programs`` programs arriving as a Poisson process at ``load`` and report latency."""
    if not load > 0:
        raise ValueError(f"load={load}: the offered load must be positive (for example 0.9)")
    if isinstance(engine, str):
        engine = engine_named(engine)
    engine = engine or EngineModel()
    specs = generate(workload, programs, seed)
    pol = policy_named(policy)
    if isinstance(pol, SRPT):
        levels = Levels(k=64, quantum0=0.05, growth=1.2)
        beta = None  # the bound is pure shortest-remaining-first
    sched = Scheduler(
        pol, engines=1, levels=levels or Levels(k=10, quantum0=1.0, growth=2.0), beta=beta
    )

    rng = np.random.default_rng(seed + 1_000_003)
    per_token = engine.per_token_s(specs)
    mean_work = float(np.mean([engine.work_s(s, per_token) for s in specs]))
    rate = load / mean_work
    arrivals = np.cumsum(rng.exponential(1 / rate, size=programs))

    # Clairvoyant remaining work per program, for SRPT.
    call_work = [
        [
            engine.prefill_s * engine.prefill_tokens(s, i) + per_token * c.output
            for i, c in enumerate(s.calls)
        ]
        for s in specs
    ]
    remaining = [sum(w) for w in call_work]
    pending_parents = [[len(c.parents) for c in s.calls] for s in specs]
    children: list[list[list[int]]] = []
    for s in specs:
        ch: list[list[int]] = [[] for _ in s.calls]
        for i, c in enumerate(s.calls):
            for p in c.parents:
                ch[p].append(i)
        children.append(ch)
    left = [len(s.calls) for s in specs]
    finish = [0.0] * programs

    def submit(p: int, i: int, now: float) -> None:
        c = specs[p].calls[i]
        fresh = engine.prefill_tokens(specs[p], i)
        sched.submit(
            str(p),
            now,
            call_id=i,
            parents=c.parents,
            prompt_tokens=c.prompt,
            remaining_hint=remaining[p],
            payload=_Run(p, i, c.output, fresh, fresh * engine.prefill_s),
        )

    now = 0.0
    next_arrival = 0
    next_check = starvation_check_s
    running: list[Call] = []
    preemptions = events = 0
    busy = batch_time = kv_time = 0.0
    done_programs = 0
    kv_cap, reserve = engine.kv_capacity, engine.kv_reserve

    while done_programs < programs:
        events += 1
        while next_arrival < programs and arrivals[next_arrival] <= now:
            for i, c in enumerate(specs[next_arrival].calls):
                if not c.parents:
                    submit(next_arrival, i, now)
            next_arrival += 1
        if now >= next_check:
            sched.promote_starved(now)
            next_check = now + starvation_check_s

        # Choose the batch: running and waiting calls in scheduler order, greedily.
        room = engine.max_batch
        # A running call yields its slot only to a call from a strictly better queue, so that
        # calls of one level do not preempt each other back and forth.
        is_running = set(map(id, running))
        candidates = running + sched.peek_waiting(0, room)
        candidates.sort(key=lambda c: (c.level, id(c) not in is_running, c.seq))
        batch: list[Call] = []
        kv_used = 0
        budget = engine.token_budget
        waiting_blocked = False
        budget_spent = False  # a waiting call had room but this iteration's prefill budget ran out
        for call in candidates:
            r: _Run = call.payload
            need = call.prompt_tokens + r.generated + reserve
            was_running = id(call) in is_running
            fits = len(batch) < room and kv_used + need <= kv_cap
            if was_running:
                if fits:
                    batch.append(call)
                    kv_used += need
                else:
                    preemptions += 1
                    r.prefill = call.prompt_tokens + r.generated
                    r.prefill_cost = r.prefill * engine.swap_s  # swap-in or recompute
                    sched.requeue(call, now)
            elif not waiting_blocked:
                if fits and (r.prefill <= budget or budget == engine.token_budget):
                    sched.start(call, now)
                    batch.append(call)
                    kv_used += need
                    budget -= r.prefill
                else:
                    waiting_blocked = True  # first come first served among the waiting
                    budget_spent = fits
        running = batch

        if not running:
            if next_arrival < programs:
                now = max(now, float(arrivals[next_arrival]))
                continue
            raise RuntimeError("simulator stalled: calls wait but none fits in an empty engine")

        # Prefill the newly admitted calls (one stalled iteration), then decode k iterations.
        stall = 0.0
        for call in running:
            r = call.payload
            if r.prefill:
                stall += r.prefill_cost
                r.prefill = 0
        n = len(running)
        kv_now = sum(c.prompt_tokens + c.payload.generated for c in running)
        t_iter = engine.iteration_s + engine.decode_s * n + engine.kv_read_s * kv_now
        k = min(c.payload.output - c.payload.generated for c in running)
        k = min(k, max(1, (kv_cap - kv_now) // n))
        if pol.demotes and pol.multilevel:
            for call in running:
                q = sched.levels.quantum(call.level)
                if q != math.inf:
                    k = min(k, max(1, math.ceil((q - call.level_service) / t_iter)))
        horizon = next_check
        if next_arrival < programs:
            horizon = min(horizon, float(arrivals[next_arrival]))
        if horizon > now:
            k = min(k, max(1, math.ceil((horizon - now) / t_iter)))
        if budget_spent:
            k = 1  # the token budget is per iteration: the next one admits more prompts
        k = max(1, k)
        # Each of the k iterations reads a context n tokens longer than the one before.
        step = stall + k * t_iter + engine.kv_read_s * n * k * (k - 1) / 2
        now += step
        busy += step
        batch_time += step * n
        kv_time += step * (kv_now + n * (k - 1) / 2)

        still: list[Call] = []
        for call in running:
            r = call.payload
            r.generated += k
            sched.charge(call, step)
            if r.generated >= r.output:
                p, i = r.program, r.index
                sched.complete(call, now)
                remaining[p] -= call_work[p][i]
                left[p] -= 1
                if left[p] == 0:
                    finish[p] = now
                    done_programs += 1
                for child in children[p][i]:
                    pending_parents[p][child] -= 1
                    if pending_parents[p][child] == 0:
                        submit(p, child, now)
            else:
                still.append(call)
        running = still

    latency = np.array(finish) - arrivals
    # Normalised latency: response time per generated token (the program's wall-clock time, which
    # for a parallel program is its critical path in time, over all the tokens it generated).
    # The stricter variant divides by the tokens on the dependency critical path only.
    norm = latency / np.array([s.output_tokens for s in specs], dtype=float)
    norm_cp = latency / np.array([s.critical_path_tokens() for s in specs], dtype=float)
    makespan = float(max(finish) - arrivals[0])
    return SimResult(
        workload=workload,
        policy=pol.name,
        engine=engine.name,
        load=load,
        programs=programs,
        seed=seed,
        mean_norm_latency=float(norm.mean()),
        p50_norm_latency=float(np.percentile(norm, 50)),
        p95_norm_latency=float(np.percentile(norm, 95)),
        p99_norm_latency=float(np.percentile(norm, 99)),
        mean_norm_latency_critical_path=float(norm_cp.mean()),
        mean_latency_s=float(latency.mean()),
        throughput_programs_per_s=programs / makespan if makespan > 0 else math.inf,
        arrival_rate_programs_per_s=rate,
        preemptions=preemptions,
        mean_batch=batch_time / busy,
        mean_kv_fraction=kv_time / busy / kv_cap,
        busy_fraction=min(1.0, busy / makespan) if makespan > 0 else 1.0,
        # A run that has not settled shows latency still climbing from quarter to quarter.
        norm_latency_by_arrival_quarter=[float(q.mean()) for q in np.array_split(norm, 4)],
        demotions=sched.demotions,
        promotions=sched.promotions,
        calls=sum(len(s.calls) for s in specs),
        makespan_s=makespan,
        events=events,
    )
