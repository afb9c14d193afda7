"""The one benchmark command: every app sequential, under opportune and as asyncio, side by side.

For each app the simulator (a separate ``opportune sim serve`` process, so its event loop does
not share the interpreter lock with the program) is started with the app's answer rules and
timing, and the same script runs four ways in this process: plain Python (``runpy``), opportune
(``opportune.run_path``, the in-process form of ``opportune run``) with streaming off
(``OPPORTUNE_STREAM=0``) and with it on (``OPPORTUNE_STREAM=1``: work on a prefix of an answer
starts while the rest is generated), and the app's hand-written asyncio twin. Outputs are
compared with the sequential run's, and the opportune run's schedule gives the ideal and a
timeline picture.

The ideal is the critical path of the recorded call latencies. ``Schedule.ideal()`` follows only
dependencies carried by pending arguments; a call issued after the program had to wait for other
calls (a loop over a model's answer, say) also depends on those, so the ideal reported here adds
every wait the program recorded before the call was issued (both figures are in the JSON). A
call issued on part of a streamed answer (``CallRecord.read_from``) starts, in the ideal, as far
into that answer as it did in the real run. The ideal first output is the same critical path
taken up to the first output's place in program order (``ideal_first_output``).
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import os
import platform
import runpy
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import urllib.request
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import Any

import opportune
from benchmarks.apps import APP_NAMES, load, spec_of
from benchmarks.apps._common import TOOL_SCALE_ENV
from opportune import Schedule
from opportune.sim import SimConfig

ROOT = Path(__file__).resolve().parent
RESULTS = ROOT / "results"
MODES = ("sequential", "opportune", "opportune+stream", "asyncio")
# The two opportune modes differ only in this variable, set around the run and restored after.
STREAM_ENV = "OPPORTUNE_STREAM"
OPPORTUNE_MODES = {"opportune": "0", "opportune+stream": "1"}
OPTIONAL = ("quasar", "lift", "serve")
QUICK_SCALE = 0.5


# ---- measuring one run ----------------------------------------------------------------------

class _TimedOutput(io.StringIO):
    """Captured stdout that remembers when the first character was written."""

    def __init__(self, t0: float) -> None:
        super().__init__()
        self.t0 = t0
        self.first: float | None = None

    def write(self, s: str) -> int:
        if s and self.first is None:
            self.first = time.perf_counter() - self.t0
        return super().write(s)


class _PeakRss:
    """This process's peak resident memory during a run; reports the growth over the start.

    On Linux the kernel keeps the peak itself (``VmHWM``), and writing 5 to
    ``/proc/self/clear_refs`` resets it, so a run is measured exactly and without a thread of
    ours. Elsewhere a thread samples the resident size every 5 ms; that thread needs the GIL
    200 times a second, which costs a run with many threads of its own (opportune's workers)
    far more than a one-thread asyncio run, so it is only the fallback.
    """

    def __init__(self) -> None:
        self._page = os.sysconf("SC_PAGE_SIZE")
        self._stop = threading.Event()
        self.base = self.peak = self._rss()
        self._kernel_peak = self._reset_kernel_peak()
        self._thread = None if self._kernel_peak else threading.Thread(target=self._sample,
                                                                       daemon=True)

    def _rss(self) -> int:
        try:
            with open("/proc/self/statm") as f:
                return int(f.read().split()[1]) * self._page
        except OSError:
            return 0

    @staticmethod
    def _reset_kernel_peak() -> bool:
        try:
            with open("/proc/self/clear_refs", "w") as f:
                f.write("5")
            return _PeakRss._read_kernel_peak() is not None
        except OSError:
            return False

    @staticmethod
    def _read_kernel_peak() -> int | None:
        try:
            with open("/proc/self/status") as f:
                for line in f:
                    if line.startswith("VmHWM:"):
                        return int(line.split()[1]) * 1024
        except (OSError, ValueError, IndexError):
            return None
        return None

    def _sample(self) -> None:
        while not self._stop.wait(0.005):
            self.peak = max(self.peak, self._rss())

    def __enter__(self) -> _PeakRss:
        if self._thread is not None:
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._thread is not None:
            self._stop.set()
            self._thread.join()
        self.peak = max(self.peak, self._rss(), (self._kernel_peak and self._read_kernel_peak())
                        or 0)

    @property
    def growth_mib(self) -> float:
        return (self.peak - self.base) / 2**20


@dataclass
class ModeResult:
    mode: str
    seconds: float | None = None
    first_output: float | None = None
    output: str = ""
    error: str | None = None
    rss_growth_mib: float | None = None
    # CPU seconds this process (the program and its client) spent during the run
    cpu_seconds: float | None = None
    # Seconds of decoding-slot time the simulator spent on the run's requests (start to end of
    # each, from its log): the work the server's slots had to do, whatever the schedule.
    server_busy_s: float | None = None
    server_requests: int = 0


@contextlib.contextmanager
def stream_env(mode: str) -> Iterator[None]:
    """``OPPORTUNE_STREAM`` as ``mode`` needs it (untouched for the non-opportune modes)."""
    if mode not in OPPORTUNE_MODES:
        yield
        return
    saved = os.environ.get(STREAM_ENV)
    os.environ[STREAM_ENV] = OPPORTUNE_MODES[mode]
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop(STREAM_ENV, None)
        else:
            os.environ[STREAM_ENV] = saved


def _run_mode(module: ModuleType, mode: str, argv: list[str]) -> tuple[ModeResult, Schedule | None]:
    if mode not in MODES:
        raise ValueError(f"unknown benchmark mode {mode!r}; choose one of {', '.join(MODES)}")
    with stream_env(mode):
        return _run_mode_in_env(module, mode, argv)


def _run_mode_in_env(module: ModuleType, mode: str,
                     argv: list[str]) -> tuple[ModeResult, Schedule | None]:
    path = module.__file__
    assert path is not None
    t0 = time.perf_counter()
    out = _TimedOutput(t0)
    result = ModeResult(mode)
    schedule = None
    saved_argv = sys.argv
    cpu0 = time.process_time()
    with _PeakRss() as rss:
        try:
            with contextlib.redirect_stdout(out):
                t0 = out.t0 = time.perf_counter()
                if mode == "sequential":
                    sys.argv = [path, *argv]
                    runpy.run_path(path, run_name="__main__")
                elif mode in OPPORTUNE_MODES:
                    opportune.run_path(path, argv, explain=True)
                else:
                    asyncio.run(module.amain(*argv))
            result.seconds = time.perf_counter() - t0
        except BaseException as exc:  # a failing mode is a finding, reported in the table
            if isinstance(exc, KeyboardInterrupt):
                raise
            result.error = f"{type(exc).__name__}: {exc}"
            result.seconds = time.perf_counter() - t0
            tail = traceback.format_exc().strip().splitlines()[-6:]
            result.error += "\n" + "\n".join(tail)
        finally:
            sys.argv = saved_argv
    result.cpu_seconds = time.process_time() - cpu0
    if mode in OPPORTUNE_MODES:
        with contextlib.suppress(RuntimeError):
            schedule = opportune.last_schedule()
    result.first_output = out.first
    result.output = out.getvalue()
    result.rss_growth_mib = round(rss.growth_mib, 1)
    return result, schedule


# ---- the ideal ------------------------------------------------------------------------------

def ideal_times(schedule: Schedule) -> tuple[dict[int, float], dict[int, float]]:
    """Each call's ideal start and finish: the critical path through recorded dependencies, the
    prefixes of streamed answers each call was issued on, and the waits before it was issued.

    A call issued after the program waited for calls W could not have been issued before W
    finished in any schedule that runs the program's control flow, so W joins its dependencies.
    A call issued on part of a streamed answer (``CallRecord.read_from``) starts as far into
    that answer as it was in the real run (``Schedule.ready``), not at its end.
    """
    calls = sorted(schedule.executed, key=lambda c: (c.issued, c.call_id))
    records = {c.call_id: c for c in calls}
    waits = sorted(schedule.waits, key=lambda w: w.finished)
    began: dict[int, float] = {}
    finish: dict[int, float] = {}
    floor = 0.0
    w = 0
    for call in calls:
        while w < len(waits) and waits[w].finished <= call.issued + 1e-9:
            for dep in waits[w].waited_for:
                floor = max(floor, finish.get(dep, 0.0))
            w += 1
        start = max([floor,
                     *(Schedule.ready(records.get(d), call.started, began, finish)
                       for d in call.deps),
                     *(Schedule.ready(records.get(d), call.issued, began, finish)
                       for d in call.read_from)])
        began[call.call_id] = start
        finish[call.call_id] = start + call.duration
    return began, finish


def ideal_with_waits(schedule: Schedule) -> float:
    """The ideal total: the last call's finish in :func:`ideal_times`."""
    return max(ideal_times(schedule)[1].values(), default=0.0)


def capacity_bound(server_busy_s: float | None, slots: int) -> float | None:
    """The least time the endpoint needs for the run's requests: its slot time over its slots.

    The simulator serves at most ``slots`` requests at once (the rest queue), so no schedule
    finishes before the summed decoding time of every request divided by ``slots``; the client
    side caps calls in flight at 64 as well. The critical path (:func:`ideal_with_waits`)
    ignores this, so for a program with more calls than slots it is not reachable; the larger
    of the two is a lower bound that is. Both are lower bounds (local compute, the HTTP
    client's own CPU time and the server's count as nothing).
    """
    if server_busy_s is None or slots <= 0:
        return None
    return server_busy_s / slots


def _sim_log(base_url: str) -> dict[str, Any] | None:
    """The simulator's log (``/sim/log``: its clock ``now`` and every request), or None if it
    cannot be read. Read rather than reset between modes, so that nothing the simulator keeps
    (its rate limit, its fault plan's attempt counts) changes for the modes after."""
    root = base_url.rstrip("/").removesuffix("/v1")
    try:
        with urllib.request.urlopen(f"{root}/sim/log", timeout=30) as r:
            log = json.load(r)
        return {"now": float(log["now"]), "requests": list(log["requests"])}
    except (OSError, ValueError, KeyError, TypeError):
        return None


def ideal_first_output(schedule: Schedule) -> float | None:
    """The earliest the run's first output could have been written, from its recorded schedule.

    The first output comes after the calls before it in program order (``first_output_seq``),
    each at its ideal time (:func:`ideal_times`): at its end, or, for a streamed answer whose
    text the program went on with before it ended (a later call read part of it, or the output
    itself came before its end: it printed the answer as it arrived), at its first token. The
    program's own computing time counts as nothing, so this is a lower bound; it is computed
    from what the run recorded, the same way for every app. None if nothing was written.
    """
    if schedule.first_output is None or schedule.first_output_seq is None:
        return None
    began, finish = ideal_times(schedule)
    read = {d for c in schedule.executed for d in c.read_from}
    ready = 0.0
    for c in schedule.executed:
        if c.call_id >= schedule.first_output_seq or c.call_id not in finish:
            continue
        assert c.started is not None and c.finished is not None
        if c.first_token is not None and (c.call_id in read
                                          or schedule.first_output < c.finished):
            ready = max(ready, began[c.call_id] + (c.first_token - c.started))
        else:
            ready = max(ready, finish[c.call_id])
    return ready


# ---- the simulator --------------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def sim_process(config: SimConfig) -> Iterator[str]:
    """``opportune sim serve`` in its own process with ``config``; yields its base URL."""
    port = _free_port()
    with tempfile.TemporaryDirectory() as tmp:
        cfg = Path(tmp) / "sim.json"
        cfg.write_text(config.model_dump_json(exclude={"port"}))
        proc = subprocess.Popen(
            [sys.executable, "-m", "opportune", "sim", "serve", "--config", str(cfg),
             "--port", str(port)],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )
        try:
            url = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 60
            while True:
                if proc.poll() is not None:
                    raise RuntimeError(
                        f"the simulator exited with status {proc.returncode} before serving: "
                        f"{(proc.stderr.read() if proc.stderr else '')[-2000:]}"
                    )
                try:
                    with urllib.request.urlopen(f"{url}/v1/models", timeout=1):
                        break
                except OSError:
                    if time.monotonic() > deadline:
                        raise RuntimeError(
                            "the simulator did not answer on /v1/models within 60 s"
                        ) from None
                    time.sleep(0.1)
            yield f"{url}/v1"
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@contextlib.contextmanager
def endpoint_env(base_url: str, tool_scale: float) -> Iterator[None]:
    keys = ("OPENAI_BASE_URL", "OPENAI_API_KEY", TOOL_SCALE_ENV)
    saved = {k: os.environ.get(k) for k in keys}
    os.environ.update({"OPENAI_BASE_URL": base_url, "OPENAI_API_KEY": "sim",
                       TOOL_SCALE_ENV: str(tool_scale)})
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


# ---- one app --------------------------------------------------------------------------------

@dataclass
class AppResult:
    name: str
    title: str
    argv: list[str]
    modes: dict[str, ModeResult] = field(default_factory=dict)
    ideal: float | None = None
    ideal_recorded_deps: float | None = None
    # The simulator's slots, the capacity bound of the opportune run's requests
    # (``capacity_bound``) and the ideal that respects it: max(ideal, capacity bound).
    slots: int = 0
    capacity_bound: float | None = None
    ideal_with_slots: float | None = None
    calls: int = 0
    max_in_flight: int = 0
    schedule_summary: str = ""
    waits: list[str] = field(default_factory=list)
    timeline: str | None = None
    # The opportune+stream run's schedule: its own ideal (``Schedule.ideal()``, which lets work
    # on a streamed prefix start part-way into the call it read), calls and summary.
    stream_ideal: float | None = None
    # The earliest the first output could have appeared (``ideal_first_output``), for each
    # opportune mode's schedule.
    ideal_first_output: float | None = None
    stream_ideal_first_output: float | None = None
    stream_calls: int = 0
    stream_max_in_flight: int = 0
    stream_issued_mid_stream: int = 0
    stream_schedule_summary: str = ""
    stream_timeline: str | None = None

    def seconds(self, mode: str) -> float | None:
        r = self.modes.get(mode)
        return None if r is None or r.error else r.seconds

    def matches(self, mode: str) -> bool | None:
        seq, other = self.modes.get("sequential"), self.modes.get(mode)
        if seq is None or other is None or seq.error or other.error:
            return None
        return seq.output == other.output

    def first_output(self, mode: str) -> float | None:
        r = self.modes.get(mode)
        return None if r is None or r.error else r.first_output


def issued_mid_stream(schedule: Schedule) -> int:
    """Calls issued while a streamed call they read from was still generating: work on a prefix.

    A call reads from a streamed call X when the program had gone on with part of X's text
    before issuing it (``CallRecord.read_from``: a title line of an outline, say, which reaches
    the call as a plain ``str``), or when X is among its recorded dependencies (an early
    ``startswith`` decided the program's course). For a dependency the call's start is what
    counts: a pending argument lets a call be issued early, but it starts only once the
    argument is whole.
    """
    records = {c.call_id: c for c in schedule.executed}

    def streaming(dep_id: int, at: float | None) -> bool:
        dep = records.get(dep_id)
        return dep is not None and dep.first_token is not None and dep.finished is not None \
            and at is not None and at < dep.finished - 1e-6

    return sum(1 for call in schedule.executed
               if any(streaming(d, call.issued) for d in call.read_from)
               or any(streaming(d, call.started) for d in call.deps))


def run_app(module: ModuleType, *, scale: float, profile: str, timelines: Path | None,
            in_process_sim: bool = False) -> AppResult:
    """Run one app in every mode against a fresh simulator; ``scale`` shrinks every latency."""
    spec = spec_of(module)
    argv = spec.args(profile)
    result = AppResult(spec.name, spec.title, argv)
    config = spec.sim_config(scale=scale)
    if in_process_sim:
        from opportune.sim import SimServer

        server = SimServer(config)
        server.start()
        base_url, stop = server.base_url, server.stop
        cm: Any = contextlib.nullcontext()
    else:
        cm = sim_process(config)
        base_url, stop = "", lambda: None
    with cm as url:
        base_url = url or base_url
        try:
            with endpoint_env(base_url, scale):
                # One untimed warm-up per mode, so that imports, compiling the script's
                # dependencies and first connections are charged to no mode.
                warm = argv if spec.name != "batch" else ["2"]
                for mode in MODES:
                    _run_mode(module, mode, warm)
                result.slots = config.slots
                for mode in MODES:
                    before = _sim_log(base_url)
                    mode_result, schedule = _run_mode(module, mode, argv)
                    log = _sim_log(base_url)
                    if before is not None and log is not None:
                        served = [e for e in log["requests"] if e["arrival"] >= before["now"]
                                  and e.get("start") is not None and e.get("end") is not None]
                        mode_result.server_busy_s = sum(e["end"] - e["start"] for e in served)
                        mode_result.server_requests = len(served)
                    result.modes[mode] = mode_result
                    if schedule is None or mode_result.error is not None:
                        continue
                    if mode == "opportune+stream":
                        result.stream_ideal = schedule.ideal()
                        result.stream_ideal_first_output = ideal_first_output(schedule)
                        result.stream_calls = len(schedule.executed)
                        result.stream_max_in_flight = schedule.max_concurrency()
                        result.stream_issued_mid_stream = issued_mid_stream(schedule)
                        result.stream_schedule_summary = schedule.summary()
                        if timelines is not None:
                            from benchmarks.timeline import plot_schedule

                            path = plot_schedule(schedule, timelines / f"{spec.name}-stream.png",
                                                 f"{spec.title} (streaming)")
                            result.stream_timeline = str(path.relative_to(ROOT.parent))
                    else:
                        result.ideal = ideal_with_waits(schedule)
                        result.ideal_recorded_deps = schedule.ideal()
                        result.capacity_bound = capacity_bound(mode_result.server_busy_s,
                                                               config.slots)
                        result.ideal_with_slots = max(result.ideal, result.capacity_bound or 0.0)
                        result.ideal_first_output = ideal_first_output(schedule)
                        result.calls = len(schedule.executed)
                        result.max_in_flight = schedule.max_concurrency()
                        result.schedule_summary = schedule.summary()
                        result.waits = [w[:300] for w in schedule.explain().splitlines()[:20]]
                        if timelines is not None:
                            from benchmarks.timeline import plot_schedule

                            path = plot_schedule(schedule, timelines / f"{spec.name}.png",
                                                 spec.title)
                            result.timeline = str(path.relative_to(ROOT.parent))
        finally:
            stop()
    return result


# ---- core overhead ---------------------------------------------------------------------------

def _best_of(fn: Any, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def measure_overhead(quick: bool) -> dict[str, Any]:
    """Per-call runtime overhead and the cost of running pure Python under opportune."""
    calls_mod = load_probe("_overhead_calls")
    compute_mod = load_probe("_overhead_compute")
    n = 1000 if quick else 5000
    sink = io.StringIO()

    def plain(mod: ModuleType, argv: list[str]) -> None:
        saved = sys.argv
        sys.argv = [mod.__file__ or "", *argv]
        try:
            with contextlib.redirect_stdout(sink):
                runpy.run_path(mod.__file__ or "", run_name="__main__")
        finally:
            sys.argv = saved

    def opp(mod: ModuleType, argv: list[str]) -> None:
        with contextlib.redirect_stdout(sink):
            opportune.run_path(mod.__file__ or "", argv)

    t_plain = _best_of(lambda: plain(calls_mod, [str(n)]))
    t_opp = _best_of(lambda: opp(calls_mod, [str(n)]))
    limit = "200000" if quick else "600000"
    c_plain = _best_of(lambda: plain(compute_mod, [limit]), 2)
    c_opp = _best_of(lambda: opp(compute_mod, [limit]), 2)
    path = compute_mod.__file__ or ""
    # As installed: pip writes the package's bytecode at install time, so a command never
    # compiles opportune itself. A checkout run with PYTHONDONTWRITEBYTECODE (or with stale
    # __pycache__ files) would otherwise recompile every module of the runtime at every start.
    package = Path(opportune.__file__).resolve().parent
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(package)], check=True,
                   capture_output=True)
    empty = Path(tempfile.mkdtemp()) / "empty.py"
    empty.write_text("pass\n")
    # The program's own compiled code: warm (kept by the compile cache, compiler/cache.py,
    # from an untimed first run) and cold (the cache turned off: compiled at every start).
    cache_dir = tempfile.mkdtemp()
    warm = {**os.environ, "OPPORTUNE_COMPILE_CACHE": cache_dir}
    cold = {**os.environ, "OPPORTUNE_COMPILE_CACHE": "0"}

    opp_cmd = [sys.executable, "-m", "opportune", "run", path, limit]
    commands: dict[str, tuple[list[str], dict[str, str] | None]] = {
        "plain": ([sys.executable, path, limit], None),
        "opp": (opp_cmd, warm),
        "opp_cold": (opp_cmd, cold),
        "empty": ([sys.executable, "-c", "pass"], None),
        "opp_run_empty": ([sys.executable, "-m", "opportune", "run", str(empty)], warm),
        "opp_help": ([sys.executable, "-m", "opportune", "--help"], None),
    }
    subprocess.run(opp_cmd, check=True, capture_output=True, env=warm)
    # The commands take turns in every round, so a busy machine slows them alike; best of 5.
    best = dict.fromkeys(commands, float("inf"))
    for _ in range(3 if quick else 5):
        for name, (cmd, env) in commands.items():
            t = time.perf_counter()
            subprocess.run(cmd, check=True, capture_output=True, env=env)
            best[name] = min(best[name], time.perf_counter() - t)
    s_plain, s_opp, s_opp_cold = best["plain"], best["opp"], best["opp_cold"]
    s_empty, s_opp_run_empty, s_opp_empty = best["empty"], best["opp_run_empty"], best["opp_help"]
    return {
        "trivial_calls": n,
        "calls_plain_s": t_plain,
        "calls_opportune_s": t_opp,
        "per_call_overhead_us": (t_opp - t_plain) / n * 1e6,
        "compute_in_process_plain_s": c_plain,
        "compute_in_process_opportune_s": c_opp,
        "compute_in_process_ratio": c_opp / c_plain,
        "compute_subprocess_plain_s": s_plain,
        "compute_subprocess_opportune_s": s_opp,
        "compute_subprocess_ratio": s_opp / s_plain,
        "compute_subprocess_opportune_cold_s": s_opp_cold,
        "compute_subprocess_cold_ratio": s_opp_cold / s_plain,
        "startup_python_s": s_empty,
        "startup_opportune_run_s": s_opp_run_empty,
        "startup_opportune_cli_s": s_opp_empty,
    }


def load_probe(name: str) -> ModuleType:
    import importlib

    return importlib.import_module(f"benchmarks.apps.{name}")


# ---- optional sections -----------------------------------------------------------------------

def run_optional(name: str, quick: bool) -> dict[str, Any]:
    """Run ``python -m benchmarks.<name>`` if that package has a command; report what it said."""
    import importlib.util

    if importlib.util.find_spec(f"benchmarks.{name}.__main__") is None:
        return {"name": name, "ran": False,
                "reason": f"benchmarks/{name} has no __main__.py entry point yet"}
    t = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", f"benchmarks.{name}"], capture_output=True,
                          text=True, cwd=ROOT.parent)
    return {"name": name, "ran": True, "returncode": proc.returncode,
            "seconds": time.perf_counter() - t, "stdout_tail": proc.stdout[-6000:],
            "stderr_tail": proc.stderr[-3000:]}


# ---- the report ------------------------------------------------------------------------------

def _f(value: float | None, digits: int = 2) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def _ratio(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None or b == 0 else a / b


def _status(a: AppResult) -> str:
    status = []
    seq_r = a.modes.get("sequential")
    if seq_r is not None and seq_r.error:
        status.append(f"sequential FAILED ({seq_r.error.splitlines()[0][:80]})")
    for m in MODES[1:]:
        r = a.modes.get(m)
        if r is not None and r.error:
            status.append(f"{m} FAILED ({r.error.splitlines()[0][:80]})")
        elif a.matches(m) is False:
            status.append(f"{m} MISMATCH")
    return "; ".join(status) or "same"


def markdown(apps: list[AppResult], overhead: dict[str, Any] | None, meta: dict[str, Any]) -> str:
    lines = [
        f"Benchmarks ({meta['profile']}, latency scale {meta['scale']}) on {meta['host']}, "
        f"{meta['date']}, Python {meta['python']}",
        "",
        "| app | sequential s | opportune s | asyncio s | ideal s | speedup | efficiency "
        "| ideal with slots s | efficiency with slots "
        "| vs asyncio | first output s (seq / opp / async) | calls | max in flight "
        "| opportune+stream s | stream first output s | first output seq/stream "
        "| total seq/stream | output |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for a in apps:
        seq, opp, stream, asy = (a.seconds(m) for m in MODES)
        first = " / ".join(_f(a.first_output(m)) for m in ("sequential", "opportune", "asyncio"))
        lines.append(
            f"| {a.name} | {_f(seq)} | {_f(opp)} | {_f(asy)} | {_f(a.ideal)} "
            f"| {_f(_ratio(seq, opp))}x | {_f(_ratio(a.ideal, opp))} "
            f"| {_f(a.ideal_with_slots)} | {_f(_ratio(a.ideal_with_slots, opp))} "
            f"| {_f(_ratio(opp, asy))} | {first} | {a.calls} | {a.max_in_flight} "
            f"| {_f(stream)} | {_f(a.first_output('opportune+stream'))} "
            f"| {_f(_ratio(a.first_output('sequential'), a.first_output('opportune+stream')))}x "
            f"| {_f(_ratio(seq, stream))}x | {_status(a)} |"
        )
    lines += ["", "Streaming (time to first output and total, seconds):", "",
              "| app | first output seq / opp / stream / async | ideal first output (stream) "
              "| total seq / opp / stream / async "
              "| first output seq/stream | first output seq/ideal | stream/ideal first output "
              "| total seq/stream | calls issued mid-stream | output |",
              "|---|---|---|---|---|---|---|---|---|---|"]
    for a in apps:
        seq_first, stream_first = a.first_output("sequential"), a.first_output("opportune+stream")
        ideal_first = a.stream_ideal_first_output
        lines.append(
            f"| {a.name} | {' / '.join(_f(a.first_output(m)) for m in MODES)} "
            f"| {_f(ideal_first)} "
            f"| {' / '.join(_f(a.seconds(m)) for m in MODES)} "
            f"| {_f(_ratio(seq_first, stream_first))}x "
            f"| {_f(_ratio(seq_first, ideal_first))}x "
            f"| {_f(_ratio(stream_first, ideal_first))} "
            f"| {_f(_ratio(a.seconds('sequential'), a.seconds('opportune+stream')))}x "
            f"| {a.stream_issued_mid_stream} | {_status(a)} |"
        )
    lines += ["", "speedup = sequential / opportune; efficiency = ideal / opportune "
              "(ideal: the critical path of the recorded calls, as if concurrency were "
              "unlimited); ideal with slots = max(ideal, the simulator's slot time for the "
              "run's requests / its slots), a lower bound that respects the endpoint's "
              "capacity (`capacity_bound` in benchmarks/runner.py), efficiency with slots = "
              "that / opportune; "
              "vs asyncio = opportune / asyncio (1.00 = as fast as the hand-written version); "
              "opportune runs with OPPORTUNE_STREAM=0, opportune+stream with OPPORTUNE_STREAM=1; "
              "seq/stream = sequential / opportune+stream; ideal first output = the earliest "
              "the first output could appear under the latency model and the program's "
              "dependencies, from the opportune+stream run's recorded schedule "
              "(`ideal_first_output` in benchmarks/runner.py); seq/ideal is the most streaming "
              "could give this program; stream/ideal first output = measured / ideal "
              "(1.00 = at the limit).",
              "", "CPU seconds of the benchmark process (program, runtime and HTTP client; "
              "not the simulator) during each run (" + " / ".join(MODES) + "): " + ", ".join(
                  f"{a.name} " + "/".join(_f(a.modes[m].cpu_seconds, 1) if m in a.modes
                                          else "-" for m in MODES) for a in apps),
              "", "Peak resident memory growth during each run (MiB, "
              + " / ".join(MODES) + "): " + ", ".join(
                  f"{a.name} " + "/".join(_f(a.modes[m].rss_growth_mib, 1) if m in a.modes
                                          else "-" for m in MODES) for a in apps)]
    if overhead:
        o = overhead
        lines += [
            "", "Core overhead:", "",
            f"- {o['trivial_calls']} trivial external calls (zero latency): plain "
            f"{o['calls_plain_s']:.3f} s, opportune {o['calls_opportune_s']:.3f} s, "
            f"**{o['per_call_overhead_us']:.0f} us per call**",
            f"- pure Python, no external calls, in process: plain "
            f"{o['compute_in_process_plain_s']:.3f} s, opportune "
            f"{o['compute_in_process_opportune_s']:.3f} s, "
            f"**{o['compute_in_process_ratio']:.2f}x** (target <= 1.2x)",
            f"- the same as commands (`python FILE` vs `python -m opportune run FILE`, "
            f"opportune's bytecode compiled as by pip): "
            f"{o['compute_subprocess_plain_s']:.3f} s vs {o['compute_subprocess_opportune_s']:.3f}"
            f" s, **{o['compute_subprocess_ratio']:.2f}x** with the program's compiled code "
            f"cached; {o['compute_subprocess_opportune_cold_s']:.3f} s, "
            f"**{o['compute_subprocess_cold_ratio']:.2f}x** compiling it (cache off) (target "
            f"<= 1.2x); start-up alone: `python -c pass` {o['startup_python_s']:.3f} s, "
            f"`python -m opportune run` on an empty script {o['startup_opportune_run_s']:.3f} s, "
            f"`python -m opportune --help` {o['startup_opportune_cli_s']:.3f} s",
        ]
    for section in meta.get("optional", []):
        if section.get("ran"):
            lines += ["", f"Optional section {section['name']}: exit {section['returncode']} "
                      f"in {section['seconds']:.1f} s", "", "```",
                      section["stdout_tail"][-3000:].strip(), "```"]
        else:
            lines += ["", f"Optional section {section['name']}: not run ({section['reason']})"]
    return "\n".join(lines) + "\n"


def run_all(*, quick: bool = False, only: list[str] | None = None, with_: list[str] | None = None,
            scale: float | None = None, out_dir: Path | None = None, overhead: bool = True,
            in_process_sim: bool = False, tag: str | None = None,
            echo: Any = print) -> dict[str, Any]:
    names = only or list(APP_NAMES)
    for name in names:
        load(name)  # unknown names fail before anything runs
    for name in with_ or []:
        if name not in OPTIONAL:
            raise KeyError(f"--with takes {', '.join(OPTIONAL)}, not {name!r}")
    scale = scale if scale is not None else (QUICK_SCALE if quick else 1.0)
    profile = "quick" if quick else "full"
    out_dir = out_dir or RESULTS
    apps = []
    for name in names:
        echo(f"running {name} ...")
        result = run_app(load(name), scale=scale, profile=profile,
                         timelines=out_dir / "timelines" / (tag or ""),
                         in_process_sim=in_process_sim)
        apps.append(result)
        echo("  " + "  ".join(f"{m} {_f(result.seconds(m))}s" for m in MODES)
             + f"  ideal {_f(result.ideal)}s")
    over = None
    if overhead:
        echo("measuring core overhead ...")
        over = measure_overhead(quick)
    host = platform.node() or "host"
    meta = {"date": date.today().isoformat(), "host": host, "python": platform.python_version(),
            "profile": profile, "scale": scale, "cpus": os.cpu_count(),
            "optional": [run_optional(n, quick) for n in (with_ or [])]}
    text = markdown(apps, over, meta)
    out_dir.mkdir(parents=True, exist_ok=True)
    suffix = (f"-{tag}" if tag else "") + ("-quick" if quick else "")
    stem = out_dir / f"{meta['date']}-{host}{suffix}"
    data = {"meta": meta, "apps": [asdict(a) for a in apps], "overhead": over}
    # Program locations in the waits name the checkout; the files name them from the repository.
    checkout = str(ROOT.parent) + os.sep
    stem.with_suffix(".json").write_text(
        json.dumps(data, indent=2, default=str).replace(checkout, ""))
    stem.with_suffix(".md").write_text(text.replace(checkout, ""))
    data["markdown"] = text
    data["files"] = [str(stem.with_suffix(".json")), str(stem.with_suffix(".md"))]
    return data
