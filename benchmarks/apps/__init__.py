"""Compound AI benchmark apps: each a plain program, an expert's asyncio twin and a sim config.

Every module here is a script a user could run with ``python`` or ``opportune run`` against any
OpenAI-compatible endpoint (``OPENAI_BASE_URL``); ``SPEC`` tells the runner how to simulate it.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from benchmarks.apps._common import AppSpec, spec_of

APP_NAMES = ("tot", "mapreduce", "hotpotqa", "movie", "parallelqa", "vqa", "selfconsistency",
             "agent_loop", "outline", "outline_hosted", "batch")


def load(name: str) -> ModuleType:
    """The app module called ``name``; an unknown name lists the known ones."""
    if name not in APP_NAMES:
        raise KeyError(f"no benchmark app called {name!r}; choose one of {', '.join(APP_NAMES)}")
    return importlib.import_module(f"benchmarks.apps.{name}")


def all_apps() -> list[ModuleType]:
    return [load(name) for name in APP_NAMES]


__all__ = ["APP_NAMES", "AppSpec", "all_apps", "load", "spec_of"]
