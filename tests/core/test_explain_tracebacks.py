"""``--explain`` (or any option before FILE) leaves the uncaught traceback as plain Python's.

An option before FILE makes ``opportune run`` parse its command line with Typer, which installs
an excepthook of its own. The report of an uncaught exception took that hook for the
program's, and printed a failed derived value's traceback (``json.loads(answer)``,
``int(answer)``) without the program's frames. The program now runs with Python's own hook,
as under ``python FILE``; stderr before the explanation is plain Python's stderr.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

PROGRAMS = Path(__file__).parent / "programs"

pytestmark = pytest.mark.timeout(60)


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    env.pop("PYTEST_CURRENT_TEST", None)
    return subprocess.run([sys.executable, *command], cwd=PROGRAMS, env=env, text=True,
                          capture_output=True, timeout=30, check=False)


@pytest.mark.parametrize("program", [
    "p813_uncaught_failure_of_a_derived_value_with_its_frames.py",
    "p750_pydantic_models_built_from_pending_answers.py",
])
@pytest.mark.parametrize("option", ["--explain", "--summary"])
def test_the_traceback_under_an_option_is_plain_pythons(program: str, option: str) -> None:
    plain = _run(program)
    opp = _run("-m", "opportune", "run", option, program)
    assert plain.returncode == 1 and opp.returncode == 1
    assert opp.stdout == plain.stdout
    assert "Traceback (most recent call last):" in plain.stderr
    assert opp.stderr.startswith(plain.stderr), (opp.stderr, plain.stderr)


_JSON = '''
import json
import opportune

@opportune.external
def ask(q):
    return "not json"

print(json.loads(ask("q")))
'''


def test_a_json_parse_of_an_answer_keeps_the_module_frame(tmp_path: Path) -> None:
    program = tmp_path / "parse.py"
    program.write_text(_JSON)
    plain = _run(str(program))
    opp = _run("-m", "opportune", "run", "--explain", str(program))
    assert f'File "{program}", line 9, in <module>' in plain.stderr
    assert opp.stderr.startswith(plain.stderr), (opp.stderr, plain.stderr)
