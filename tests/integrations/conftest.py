"""Fixtures for the known-externals registry: a clean install state and a recording runtime."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from opportune.integrations import _install
from opportune.runtime.context import set_active_runtime
from opportune.runtime.externals import ExternalSpec


@pytest.fixture(autouse=True)
def clean_registry() -> Iterator[None]:
    """Every test starts and ends uninstalled, with the built-in table only.

    An earlier ``opportune.run`` in the same process leaves the known externals installed
    (on purpose); the state is put back as it was after the test.
    """
    was_installed = _install._installed
    _install._uninstall()
    table = dict(_install._table)
    meta_path = list(sys.meta_path)
    yield
    _install._uninstall()
    _install._table.clear()
    _install._table.update(table)
    assert sys.meta_path == meta_path
    if was_installed:
        _install.install_known_externals()


@dataclass
class RecordingRuntime:
    """Stands where the scheduler stands: records each issued call, then runs it in place."""

    issued: list[tuple[ExternalSpec, Callable[..., Any]]] = field(default_factory=list)

    def issue(self, spec: ExternalSpec, fn: Callable[..., Any], args: tuple[Any, ...],
              kwargs: dict[str, Any], **_options: Any) -> Any:
        self.issued.append((spec, fn))
        return fn(*args, **kwargs)


@pytest.fixture
def runtime() -> Iterator[RecordingRuntime]:
    recorder = RecordingRuntime()
    previous = set_active_runtime(recorder)  # type: ignore[arg-type]
    try:
        yield recorder
    finally:
        set_active_runtime(previous)
