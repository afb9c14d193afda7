"""The compile cache (compiler/cache.py): a program run again reuses its compiled code, and
anything that makes an entry wrong or unreadable means compiling afresh, never a wrong run."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from opportune.compiler import cache
from opportune.compiler.modules import compile_module_source

PROGRAM = """\
def score(text):
    total = 0
    for word in text.split():
        total += len(word)
    return total

print(score("a bb ccc"))
"""


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    where = tmp_path / "cache"
    monkeypatch.setenv(cache.ENV_DIR, str(where))
    return where


def _run(script: Path, folder: Path | str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, cache.ENV_DIR: str(folder)}
    return subprocess.run([sys.executable, "-m", "opportune", "run", str(script)], env=env,
                          capture_output=True, text=True, timeout=120, check=False)


def test_a_compiled_module_is_kept_and_found_again(folder: Path, tmp_path: Path) -> None:
    path = str(tmp_path / "prog.py")
    source = PROGRAM.encode()
    first = compile_module_source(source, path, cached=True)
    entries = list(folder.iterdir())
    assert len(entries) == 1 and entries[0].name.startswith("prog-")
    hit = cache.load(path, source)
    assert hit is not None
    again = compile_module_source(source, path, cached=True)
    assert again.co_code == first.co_code and again.co_filename == path


def test_an_entry_belongs_to_one_source_and_one_path(folder: Path, tmp_path: Path) -> None:
    path = str(tmp_path / "prog.py")
    compile_module_source(PROGRAM.encode(), path, cached=True)
    assert cache.load(path, PROGRAM.replace("a bb", "a b").encode()) is None
    assert cache.load(str(tmp_path / "other" / "prog.py"), PROGRAM.encode()) is None


def test_a_changed_compiler_invalidates_entries(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = str(tmp_path / "prog.py")
    compile_module_source(PROGRAM.encode(), path, cached=True)
    monkeypatch.setattr(cache, "_fingerprint", "a compiler edited since")
    assert cache.load(path, PROGRAM.encode()) is None


def test_a_changed_source_runs_as_changed(folder: Path, tmp_path: Path) -> None:
    script = tmp_path / "prog.py"
    script.write_text(PROGRAM)
    assert _run(script, folder).stdout == "6\n"
    script.write_text(PROGRAM.replace('"a bb ccc"', '"dddd"'))
    assert _run(script, folder).stdout == "4\n"
    assert len(list(folder.iterdir())) == 1  # the entry was replaced, not added to


@pytest.mark.parametrize("damage", ["truncated", "flipped", "garbage", "empty"])
def test_a_damaged_entry_is_ignored_and_rewritten(
    folder: Path, tmp_path: Path, damage: str
) -> None:
    script = tmp_path / "prog.py"
    script.write_text(PROGRAM)
    assert _run(script, folder).stdout == "6\n"
    (entry,) = folder.iterdir()
    data = entry.read_bytes()
    if damage == "truncated":
        data = data[: len(data) // 2]
    elif damage == "flipped":
        data = data[:-10] + bytes([data[-10] ^ 0xFF]) + data[-9:]
    elif damage == "garbage":
        data = os.urandom(len(data))
    else:
        data = b""
    entry.write_bytes(data)
    assert cache.load(str(script), PROGRAM.encode(), program=True) is None
    done = _run(script, folder)
    assert (done.returncode, done.stdout, done.stderr) == (0, "6\n", "")
    assert cache.load(str(script), PROGRAM.encode(), program=True) is not None


def test_purity_facts_come_back_with_the_cached_code(folder: Path, tmp_path: Path) -> None:
    # ``score`` may run concurrently with its caller (compiler/purity.py); a run that takes
    # its code from the cache must know that as well as the run that compiled it.
    script = tmp_path / "prog.py"
    script.write_text(PROGRAM + (
        "import json\n"
        "from opportune.compiler.registry import pure_functions\n"
        "print(json.dumps(id(score.__code__) in pure_functions))\n"
    ))
    cold = _run(script, folder)
    warm = _run(script, folder)
    assert cold.stdout == warm.stdout == "6\n" + json.dumps(True) + "\n", (cold, warm)


def test_the_cache_can_be_turned_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(cache.ENV_DIR, "0")
    assert cache.cache_dir() is None
    path = str(tmp_path / "prog.py")
    compile_module_source(PROGRAM.encode(), path, cached=True)
    assert cache.load(path, PROGRAM.encode()) is None


def test_the_default_folder_is_the_users_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(cache.ENV_DIR, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", "/somewhere")
    assert cache.cache_dir() == os.path.join("/somewhere", "opportune", "compiled")


def test_a_folder_that_cannot_be_written_only_means_compiling(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    script = tmp_path / "prog.py"
    script.write_text(PROGRAM)
    done = _run(script, blocker / "cache")
    assert (done.returncode, done.stdout, done.stderr) == (0, "6\n", "")


def test_the_programs_own_imports_are_cached_too(folder: Path, tmp_path: Path) -> None:
    (tmp_path / "helper.py").write_text("def twice(x):\n    return 2 * x\n")
    script = tmp_path / "prog.py"
    script.write_text("from helper import twice\nprint(twice(21))\n")
    assert _run(script, folder).stdout == "42\n"
    assert sorted(p.name.split("-")[0] for p in folder.iterdir()) == ["helper", "prog"]
    assert _run(script, folder).stdout == "42\n"
