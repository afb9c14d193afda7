"""Benchmarks of the latency simulator itself (``python -m benchmarks.sim.capacity``)."""
