"""``import opportune`` is light, and its public names resolve as they always have."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys

import pytest

import opportune

PUBLIC = [
    ("CallRecord", "opportune.runtime.trace"),
    ("Schedule", "opportune.runtime.trace"),
    ("external", "opportune.runtime.externals"),
    ("last_schedule", "opportune.api"),
    ("parallel", "opportune.api"),
    ("run", "opportune.api"),
    ("run_path", "opportune.api"),
    ("run_source", "opportune.api"),
]


def test_public_names_are_all_listed() -> None:
    assert sorted(opportune.__all__) == sorted(name for name, _ in PUBLIC)


@pytest.mark.parametrize(("name", "home"), PUBLIC)
def test_public_name_is_the_object_of_its_home_module(name: str, home: str) -> None:
    assert getattr(opportune, name) is getattr(importlib.import_module(home), name)
    assert name in dir(opportune)


def test_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="'opportune' has no attribute 'nope'"):
        opportune.nope  # noqa: B018


def test_import_loads_no_runtime_until_a_name_is_used() -> None:
    code = (
        "import json, sys\n"
        "import opportune\n"
        "before = sorted(m for m in sys.modules if m.startswith(('opportune', 'asyncio')))\n"
        "from opportune import external, run\n"
        "print(json.dumps([before, 'opportune.api' in sys.modules, callable(external)]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    before, api_after, usable = json.loads(done.stdout)
    assert before == ["opportune"]
    assert api_after and usable
