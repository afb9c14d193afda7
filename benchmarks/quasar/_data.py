"""Where the Quasar x AgentDojo data lives, and how one task of it is read.

The data (60 gpt-5 programs, their recorded LLM answers, and the artifact's figures) is shared
between checkouts and never copied into the repository, so it is found relative to the
repository root (``../shared/benchmarks/quasar_agentdojo``) unless a folder is given explicitly.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATA_DIR = REPO_ROOT.parent / "shared" / "benchmarks" / "quasar_agentdojo"
SUITES = ("banking", "slack", "travel", "workspace")


class DataNotFound(FileNotFoundError):
    """Raised when the shared data folder, or a file the index names, is missing."""


def data_dir(override: str | Path | None = None) -> Path:
    """The data folder: ``override`` if given, else the shared folder beside the repository."""
    folder = Path(override) if override is not None else DEFAULT_DATA_DIR
    if not (folder / "index.json").is_file():
        raise DataNotFound(
            f"no Quasar x AgentDojo data at {folder} (index.json is missing); put the shared data "
            "folder at ../shared/benchmarks/quasar_agentdojo relative to the repository root, or "
            "pass --data DIR pointing at the folder that holds index.json, programs/ and recordings/"
        )
    return folder


@dataclass(frozen=True)
class Task:
    """One AgentDojo user task: its program, its recording and the artifact's figures for it."""

    folder: Path
    entry: dict[str, Any]

    @property
    def name(self) -> str:
        return str(self.entry["task"])

    @property
    def suite(self) -> str:
        return str(self.entry["suite"])

    @property
    def user_task_id(self) -> str:
        """AgentDojo's id: the task name without the ``<suite>_`` prefix."""
        return self.name.removeprefix(f"{self.suite}_")

    @property
    def program_path(self) -> Path:
        return self.folder / "programs" / self.suite / f"{self.name}.py"

    @property
    def recording_path(self) -> Path:
        return self.folder / "recordings" / self.suite / f"{self.name}.json"

    @cached_property
    def source(self) -> str:
        return _read(self.program_path)

    @cached_property
    def recording_text(self) -> str:
        return _read(self.recording_path)

    @cached_property
    def recorded_calls(self) -> list[tuple[str, str, int]]:
        """``(key, result, latency_ns)`` for each recorded ``query_ai_assistant`` call, in order."""
        calls = json.loads(self.recording_text)["query_ai_assistant"]
        return [(str(k), str(r), int(ns)) for k, r, ns in calls]

    @property
    def py_time_s(self) -> float:
        return float(self.entry["py_replay_time_ns"]) / 1e9

    @property
    def quasar_time_s(self) -> float | None:
        ns = self.entry.get("quasar_replay_time_ns")
        return None if ns is None else float(ns) / 1e9

    @property
    def quasar_reduction(self) -> float | None:
        """The paper's time reduction on this task: ``1 - quasar_time / py_time``."""
        q = self.quasar_time_s
        return None if q is None else 1.0 - q / self.py_time_s

    @property
    def recorded_result(self) -> str | None:
        """The Python replay's result string in the artifact (``None`` where none was stored)."""
        value = self.entry.get("py_replay_result")
        return None if value is None else str(value)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataNotFound(
            f"{path} is named by index.json but missing; the data folder is incomplete, copy it "
            "again from the shared benchmarks folder"
        ) from None


def load_tasks(folder: str | Path | None = None) -> list[Task]:
    """Every task of the index, in its order (by suite, then task number)."""
    root = data_dir(folder)
    entries = json.loads((root / "index.json").read_text(encoding="utf-8"))
    return [Task(root, entry) for entry in entries]
