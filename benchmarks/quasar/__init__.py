"""The Quasar x AgentDojo replay: 60 recorded gpt-5 code actions, run sequentially and under opportune.

Run it with ``python -m benchmarks.quasar``; see ``docs/quasar.md``.
"""

from benchmarks.quasar._data import DataNotFound, Task, data_dir, load_tasks
from benchmarks.quasar._harness import MODES, ModeResult, OpportuneUnavailable, run_task
from benchmarks.quasar._prelude import CreateSchema
from benchmarks.quasar._program import NO_RESULT, with_result_capture
from benchmarks.quasar._recording import MissingRecording, Recording, recording_key
from benchmarks.quasar._tools import TOOL_EFFECTS, bind_tool

__all__ = [
    "MODES",
    "NO_RESULT",
    "TOOL_EFFECTS",
    "CreateSchema",
    "DataNotFound",
    "MissingRecording",
    "ModeResult",
    "OpportuneUnavailable",
    "Recording",
    "Task",
    "bind_tool",
    "data_dir",
    "load_tasks",
    "recording_key",
    "run_task",
    "with_result_capture",
]
