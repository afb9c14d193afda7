"""Code the compiler does not rewrite runs as written, and ``--explain`` names each such
function with its file, line and reason (``fallback:`` lines of the schedule): ``async def``
functions (their own concurrency is asyncio's), in the script, in a module it imports and
reached lazily; and functions of the program built from a string (``exec``, ``eval``), whose
source cannot be read. An ``async def`` made an external is an external, not listed; neither
are special methods generated from strings (a dataclass's ``__init__``)."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import opportune

HELPER = textwrap.dedent('''\
    import asyncio


    async def pause(x):
        await asyncio.sleep(0)
        return x


    def plain(x):
        return x + 1
''')

PROGRAM = textwrap.dedent('''\
    import asyncio
    import time
    from dataclasses import dataclass

    import opportune
    from helper import pause, plain


    @opportune.external
    async def remote(x):
        await asyncio.sleep(0.01)
        return x * 2


    @opportune.external
    def tool(x):
        time.sleep(0.01)
        return x + 100


    class Agent:
        async def step(self, x):
            return await pause(x)


    async def main():
        return await asyncio.gather(Agent().step(1), remote(2))


    @dataclass
    class Point:
        x: int


    exec("def built(x):\\n    return x * 3\\n")
    triple = eval("lambda y: y * 3")
    first = tool(1)
    print(asyncio.run(main()), built(2), triple(3), plain(4), Point(5).x, first)
''')


def _explain(tmp_path: Path) -> tuple[str, list[str]]:
    (tmp_path / "helper.py").write_text(HELPER)
    (tmp_path / "prog.py").write_text(PROGRAM)
    proc = subprocess.run(
        [sys.executable, "-m", "opportune", "run", "--explain", "prog.py"],
        check=False, cwd=tmp_path, capture_output=True, text=True, timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout, [line.removeprefix("fallback: ") for line in proc.stderr.splitlines()
                         if line.startswith("fallback: ")]


def test_explain_names_each_function_that_runs_as_written(tmp_path: Path) -> None:
    stdout, fallbacks = _explain(tmp_path)
    assert stdout == "[1, 4] 6 9 5 5 101\n"
    prog, helper = tmp_path / "prog.py", tmp_path / "helper.py"
    exec_line = PROGRAM.splitlines().index("triple = eval(\"lambda y: y * 3\")") + 1
    print_line = exec_line + 2
    assert sorted(fallbacks) == sorted([
        f"{prog}:22: Agent.step runs uncompiled: {ASYNC}",
        f"{prog}:26: main runs uncompiled: {ASYNC}",
        f"{helper}:4: pause runs uncompiled: {ASYNC}",
        f"<string>:1: built runs uncompiled: {BUILT}{prog}:{print_line}",
        f"<string>:1: <lambda> runs uncompiled: {BUILT}{prog}:{print_line}",
    ]), "\n".join(fallbacks)


ASYNC = "async functions keep their own concurrency (asyncio's): the body runs as written"
BUILT = "it was built from a string (exec, eval), whose source cannot be read; called at "


async def _later(x: int) -> int:
    await asyncio.sleep(0)
    return x


@opportune.external
def _ask(x: int) -> int:
    time.sleep(0.01)
    return x * 10


def _uses_async(x: int) -> int:
    first = _ask(x)
    return asyncio.run(_later(first)) + 1


def test_a_lazily_compiled_run_names_an_async_function_in_each_run() -> None:
    for _ in range(2):  # the second run lists it too, though the first found it uncompilable
        assert opportune.run(_uses_async, 2) == 21
        fallbacks = opportune.last_schedule().fallbacks
        where = f"{__file__}:{_later.__code__.co_firstlineno}"
        assert fallbacks == [f"{where}: _later runs uncompiled: {ASYNC}"], fallbacks
