"""Cost models of one continuous-batching engine, as named profiles.

A scheduling result means little without the engine it was measured on: with 32 batch slots a
long program blocks short ones far more than with 256. So the simulator takes a named profile,
and every number of a profile comes from a stated source or from arithmetic on such numbers
(``docs/serving.md`` shows the arithmetic):

* ``small``: the simulator's original model, a small model with its batch limited to 32
  sequences and 64k tokens of KV cache. Its figures are round assumptions, not a measured
  setup; it stays so that earlier results can be reproduced.
* ``llama8b-a100``: LLaMA-3.1-8B in bf16 on one 80 GB A100 SXM under vLLM's defaults, the
  smaller of the setups Autellix evaluates. Costs are the roofline at the datasheet's peak
  bandwidth and compute (real kernels are slower, so this is an optimistic engine).
  ``llama8b-a100-no-prefix-cache`` is the same without prefix caching, so that every call
  prefills its whole prompt, conversation history included.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from opportune.serve._workloads import ProgramSpec

__all__ = ["ENGINES", "EngineModel", "engine_named", "llama8b_a100"]


@dataclass(frozen=True)
class EngineModel:
    """Cost model of one engine.

    An iteration decodes one token for each of ``n`` running calls whose contexts hold ``ctx``
    tokens in all, and costs ``iteration_s + decode_s * n + kv_read_s * ctx`` (reading the
    weights, the per-sequence compute, reading the KV cache); prefilling a prompt costs
    ``prefill_s`` per token, at most ``token_budget`` tokens per iteration (one longer prompt may
    run alone). At most ``max_batch`` calls run and their prompts and outputs must fit
    ``kv_capacity`` tokens. A preempted call later pays ``swap_s`` per token of its context to
    come back (a swap-in from host memory, or, as vLLM does by default, a recompute at the
    prefill cost).
    """

    iteration_s: float = 0.008
    decode_s: float = 0.00005
    prefill_s: float = 0.00004
    max_batch: int = 32
    token_budget: int = 8192
    kv_capacity: int = 64_000
    kv_reserve: int = 16
    swap_s: float = 0.000004
    kv_read_s: float = 0.0
    prefix_caching: bool = False
    name: str = "small"

    def __post_init__(self) -> None:
        if self.max_batch < 1 or self.kv_capacity < 1 or self.token_budget < 1:
            raise ValueError(
                f"engine {self.name!r}: max_batch, kv_capacity and token_budget must be at least "
                f"1 (got {self.max_batch}, {self.kv_capacity}, {self.token_budget})"
            )

    @staticmethod
    def _context(specs: Sequence[ProgramSpec]) -> float:
        """Mean context a decoding call holds, weighted by how long it holds it (its output)."""
        held = sum(c.output * (c.prompt + c.output / 2) for s in specs for c in s.calls)
        tokens = sum(c.output for s in specs for c in s.calls)
        return held / tokens

    def full_batch(self, specs: Sequence[ProgramSpec]) -> float:
        """How many calls of this workload fit in one batch: the batch limit or the KV cache."""
        return max(1.0, min(float(self.max_batch), self.kv_capacity / self._context(specs)))

    def per_token_s(self, specs: Sequence[ProgramSpec]) -> float:
        """Engine seconds per generated token when the engine runs full batches of ``specs``."""
        batch = self.full_batch(specs)
        return self.decode_s + self.iteration_s / batch + self.kv_read_s * self._context(specs)

    def prefill_tokens(self, spec: ProgramSpec, index: int) -> int:
        """Prompt tokens call ``index`` must prefill: all of them, or with prefix caching the
        ones past its parent's context when its prompt extends that context (a single parent
        whose prompt and output fit inside this prompt, as in a conversation's next turn).

        The parent's blocks are taken to be still cached: the engine keeps freed blocks until
        it needs the memory, and a run's ``mean_kv_fraction`` shows how full the cache was.
        """
        call = spec.calls[index]
        if self.prefix_caching and len(call.parents) == 1:
            parent = spec.calls[call.parents[0]]
            held = parent.prompt + parent.output
            if call.prompt >= held:
                return call.prompt - held
        return call.prompt

    def work_s(self, spec: ProgramSpec, per_token: float) -> float:
        """Engine seconds one program needs at ``per_token`` seconds per generated token."""
        return sum(
            self.prefill_s * self.prefill_tokens(spec, i) + per_token * c.output
            for i, c in enumerate(spec.calls)
        )


def llama8b_a100(*, prefix_caching: bool = True) -> EngineModel:
    """LLaMA-3.1-8B (bf16) on one A100 SXM 80 GB under vLLM's defaults, by roofline arithmetic.

    Sources: the model's config.json (32 layers, 8 KV heads, head dim 128; 8.03e9 parameters),
    NVIDIA's A100 datasheet (80 GiB HBM2e at 2.039 TB/s; 312 TFLOP/s dense bf16), vLLM's
    defaults (gpu_memory_utilization 0.9; on an A100 the OpenAI server's max_num_seqs 256 and
    max_num_batched_tokens 2048; preemption by recompute; V1's automatic prefix caching, on by
    default, which ``prefix_caching=False`` turns off as V0 had it). The KV capacity ignores the
    activation and CUDA-graph memory vLLM also sets aside, so it is an upper bound.
    """
    params = 8.03e9
    layers, kv_heads, head_dim, dtype_bytes = 32, 8, 128, 2
    hbm_bytes = 80 * 2**30
    bandwidth = 2.039e12  # bytes/s
    flops = 312e12  # dense bf16, per second
    weights = params * dtype_bytes
    kv_per_token = 2 * layers * kv_heads * head_dim * dtype_bytes  # K and V: 131,072 bytes
    flops_per_token = 2 * params  # a forward pass costs ~2 FLOPs per parameter per token
    return EngineModel(
        name="llama8b-a100" if prefix_caching else "llama8b-a100-no-prefix-cache",
        prefix_caching=prefix_caching,
        iteration_s=weights / bandwidth,  # every iteration reads all weights: 7.9 ms
        decode_s=flops_per_token / flops,  # compute for one sequence's token: 0.051 ms
        kv_read_s=kv_per_token / bandwidth,  # reading one cached token: 64 ns
        prefill_s=flops_per_token / flops,  # prefill is compute-bound: 0.051 ms per token
        swap_s=flops_per_token / flops,  # vLLM preempts by recompute: a second prefill
        max_batch=256,
        token_budget=2048,
        kv_capacity=int((0.9 * hbm_bytes - weights) // kv_per_token),  # 467,295 tokens
    )


ENGINES: dict[str, EngineModel] = {
    e.name: e for e in (EngineModel(), llama8b_a100(), llama8b_a100(prefix_caching=False))
}


def engine_named(name: str) -> EngineModel:
    try:
        return ENGINES[name.lower()]
    except KeyError:
        raise ValueError(
            f"unknown engine profile {name!r}; choose one of {', '.join(ENGINES)} "
            f"(or pass an EngineModel)"
        ) from None
