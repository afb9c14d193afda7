"""What ``opportune run FILE`` loads before the program starts, as a user starts it: a real process.

The command groups beside ``run`` bring in web servers, validation, numerics and solvers; a run
must not pay for them. The program itself reports what is loaded when it starts.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

# The console script ``opportune`` is ``opportune.cli.app:main``; ``python -m opportune`` goes
# through ``opportune/__main__.py``. Both must stay light.
CONSOLE = [sys.executable, "-c", "import sys; from opportune.cli.app import main; main()"]
MODULE = [sys.executable, "-m", "opportune"]
ENTRY_POINTS = {"console script": CONSOLE, "python -m opportune": MODULE}

NOT_LOADED_BY_RUN = [
    "aiohttp",
    "llama_cpp",
    "matplotlib",
    "numpy",
    "openai",
    "rich",
    "z3",
    "opportune.cli.lift",
    "opportune.cli.model",
    "opportune.cli.serve",
    "opportune.cli.sim",
    "opportune.lift",
    "opportune.llm",
    "opportune.model",
    "opportune.serve",
    "opportune.sim",
]

REPORT_MODULES = (
    "import json, sys\n"
    "print(json.dumps({'argv': sys.argv[1:], 'modules': sorted(sys.modules)}))\n"
)


def _run(cmd: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=120, check=False)


@pytest.fixture(scope="module", params=sorted(ENTRY_POINTS))
def started(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """What a trivial program saw when ``opportune run`` started it."""
    work = tmp_path_factory.mktemp("startup")
    (work / "report.py").write_text(REPORT_MODULES)
    done = _run([*ENTRY_POINTS[request.param], "run", "report.py", "a", "--flag"], work)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.mark.parametrize("module", NOT_LOADED_BY_RUN)
def test_run_does_not_load(started: dict, module: str) -> None:
    loaded = [m for m in started["modules"] if m == module or m.startswith(module + ".")]
    assert loaded == [], f"opportune run loaded {loaded[:5]}"


@pytest.mark.parametrize("module", ["opportune.api", "opportune.cli.run", "opportune.runtime"])
def test_run_loads_what_it_needs(started: dict, module: str) -> None:
    # Guards the test above: the report comes from a program that really ran under opportune.
    assert module in started["modules"]


def test_run_passes_arguments(started: dict) -> None:
    assert started["argv"] == ["a", "--flag"]


def test_help_loads_no_command_group(tmp_path: Path) -> None:
    code = (
        "import json, sys\n"
        "from opportune.cli.app import main\n"
        "sys.argv = ['opportune', '--help']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(json.dumps(sorted(sys.modules)), file=sys.stderr)\n"
    )
    done = _run([sys.executable, "-c", code], tmp_path)
    modules = json.loads(done.stderr.strip().splitlines()[-1])
    assert "run" in done.stdout and "serve" in done.stdout
    groups = [m for m in modules if m.startswith("opportune.cli.") and m != "opportune.cli._lazy"]
    assert groups == ["opportune.cli.app"]
    assert "opportune.api" not in modules


@pytest.mark.parametrize(
    ("script", "status", "stream", "expected"),
    [
        ("print('hello')", 0, "stdout", "hello"),
        ("import sys; sys.exit(3)", 3, "stdout", ""),
        ("raise ValueError('boom')", 1, "stderr", "ValueError: boom"),
    ],
)
def test_run_behaves_like_python(
    tmp_path: Path, script: str, status: int, stream: str, expected: str
) -> None:
    (tmp_path / "prog.py").write_text(script + "\n")
    done = _run([*CONSOLE, "run", "prog.py"], tmp_path)
    assert done.returncode == status, done.stderr
    assert expected in getattr(done, stream)


# Standard-library pieces a program with no external call never needs: the event loop and its
# executor start with the first call that waits on something (runtime/scheduler.py), and the
# meta path finders do not subclass importlib.abc (which imports importlib.resources).
NOT_LOADED_BY_A_RUN_WITHOUT_CALLS = [
    "asyncio",
    "concurrent.futures",
    "importlib.resources",
    "ssl",
    "tempfile",
    "uuid",
]


@pytest.mark.parametrize("module", NOT_LOADED_BY_A_RUN_WITHOUT_CALLS)
def test_run_without_calls_does_not_load(started: dict, module: str) -> None:
    loaded = [m for m in started["modules"] if m == module or m.startswith(module + ".")]
    assert loaded == [], f"opportune run loaded {loaded[:5]} for a program with no calls"
