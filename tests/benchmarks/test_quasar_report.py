"""Aggregates computed like the artifact's figure script, checked against FORMAT.md's table."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.quasar import DataNotFound, load_tasks
from benchmarks.quasar._report import paper_reduction, reduction
from benchmarks.quasar._runner import QUICK_TASKS, select


def test_reduction_skips_missing_times_and_applies_both_filters() -> None:
    r = reduction([(2.0, 1.0), (1.0, 0.99), (0.05, 0.5), (3.0, None)])
    assert (r.n, r.n_over_min, r.n_possible) == (3, 2, 1)
    assert r.mean_all == pytest.approx((0.5 + 0.01 - 9.0) / 3)
    assert r.mean_over_min == pytest.approx((0.5 + 0.01) / 2)
    assert r.mean_possible == pytest.approx(0.5)


def test_reduction_of_nothing_is_empty() -> None:
    r = reduction([])
    assert (r.n, r.mean_all, r.mean_over_min, r.mean_possible) == (0, None, None, None)


try:
    TASKS = load_tasks()
except DataNotFound as missing:
    TASKS = []
    NO_DATA = str(missing)
else:
    NO_DATA = ""

# group: (n, mean all, n py > 0.1 s, mean py > 0.1 s, n when possible, mean when possible)
FORMAT_TABLE = {
    "banking": (13, 0.096, 13, 0.096, 4, 0.319),
    "slack": (12, 0.044, 12, 0.044, 1, 0.605),
    "travel": (16, 0.616, 16, 0.616, 15, 0.657),
    "workspace": (13, -1.289, 12, 0.243, 7, 0.418),
    "overall": (54, -0.095, 53, 0.275, 27, 0.543),
}


@pytest.mark.skipif(not TASKS, reason=f"shared Quasar data missing: {NO_DATA}")
@pytest.mark.parametrize(("group", "expected"), FORMAT_TABLE.items())
def test_paper_figures_reproduce_the_format_table(group: str, expected: tuple[float, ...]) -> None:
    members = [t for t in TASKS if group in ("overall", t.suite)]
    r = paper_reduction(members)
    got = (r.n, r.mean_all, r.n_over_min, r.mean_over_min, r.n_possible, r.mean_possible)
    assert got == pytest.approx(expected, abs=5e-4)


@pytest.mark.skipif(not TASKS, reason=f"shared Quasar data missing: {NO_DATA}")
def test_quick_set_has_two_programs_per_suite() -> None:
    chosen = select(quick=True)
    assert sorted(t.name for t in chosen) == sorted(QUICK_TASKS)
    assert {s: sum(t.suite == s for t in chosen) for s in ("banking", "slack", "travel", "workspace")} \
        == {"banking": 2, "slack": 2, "travel": 2, "workspace": 2}


@pytest.mark.skipif(not TASKS, reason=f"shared Quasar data missing: {NO_DATA}")
@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"names": ["travel_user_task_99"]}, "unknown task"),
        ({"suites": ["bank"]}, "unknown suite"),
    ],
)
def test_bad_selection_names_the_problem(kwargs: dict[str, list[str]], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        select(**kwargs)  # type: ignore[arg-type]


def test_missing_data_folder_says_how_to_fix_it(tmp_path: Path) -> None:
    with pytest.raises(DataNotFound, match="--data DIR"):
        load_tasks(tmp_path)
