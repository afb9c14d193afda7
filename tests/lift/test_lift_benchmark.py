"""The benchmark runner as a user runs it (quick sizes, three kernels, a temporary folder)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_quick_benchmark_writes_json_and_markdown(tmp_path: Path) -> None:
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks.lift.run",
            "--quick",
            "--out",
            str(tmp_path),
            "--only",
            "dot",
            "gemv",
            "argmax",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert r.returncode == 0, r.stderr
    (js,) = tmp_path.glob("lift-*-quick.json")
    data = json.loads(js.read_text())
    rows = {row["kernel"]: row for row in data["kernels"]}
    assert rows["dot"]["lifted"] and rows["dot"]["verified"] == "proved"
    assert rows["dot"]["output_matches"] and rows["gemv"]["output_matches"]
    assert rows["dot"]["speedup_kernel"] > 0
    assert not rows["argmax"]["lifted"] and "not a sum" in rows["argmax"]["reason"]
    assert data["summary"]["kernels"] == 3 and data["summary"]["mismatches"] == 0
    md = js.with_suffix(".md").read_text()
    assert "| dot | blas | yes | proved |" in md
