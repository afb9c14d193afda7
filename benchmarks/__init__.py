"""Benchmarks of opportune, each a package run with ``python -m benchmarks.<name>``."""
