"""``opportune lift FILE::FUNCTION`` as a user runs it: a real process."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

KERNELS = Path(__file__).resolve().parents[2] / "benchmarks" / "lift" / "kernels.py"


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "opportune", "lift", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_cli_prints_code_and_proof_status() -> None:
    r = _run(f"{KERNELS}::softmax_part2")
    assert r.returncode == 0, r.stderr
    assert "def softmax_part2(input, max_val, max_pos):" in r.stdout
    assert "np.exp" in r.stdout
    assert "verified: proved" in r.stdout


def test_cli_reports_why_not_lifted() -> None:
    r = _run(f"{KERNELS}::iir_first_order")
    assert r.returncode == 1
    assert "not lifted" in r.stderr and "recurrences are not lifted" in r.stderr


def test_cli_rejects_bad_target() -> None:
    r = _run("no_separator.py")
    assert r.returncode != 0
    assert "FILE::FUNCTION" in r.stderr
