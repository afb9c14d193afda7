"""Shared pytest settings for the whole suite."""

from __future__ import annotations

import os
import shutil
import tempfile

import pytest

# Programs the tests run keep their compiled code in a folder of this session's, not in the
# user's cache (compiler/cache.py); subprocesses inherit it.
_COMPILE_CACHE = tempfile.mkdtemp(prefix="opportune-compile-cache-")
os.environ["OPPORTUNE_COMPILE_CACHE"] = _COMPILE_CACHE


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    # A run that collects no tests is a broken command line or a broken test module, not a pass.
    if exitstatus == pytest.ExitCode.NO_TESTS_COLLECTED:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
    shutil.rmtree(_COMPILE_CACHE, ignore_errors=True)
