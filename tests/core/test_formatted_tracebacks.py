"""Tracebacks a program formats itself read as plain Python's (runtime/tracebacks.py), in a
run started from ordinary code; outside a run the traceback module is left as it is.

The corpus (p520-p529) compares whole scripts; these run ``opportune.run_source`` in this
process, where the program's frames sit below pytest's and opportune's session frames.
"""

from __future__ import annotations

import io
import time
import traceback
from contextlib import redirect_stdout

import pytest

import opportune


@opportune.external
def lookup(key: str) -> str:
    time.sleep(0.01)
    if key.startswith("bad"):
        raise KeyError(key)
    return key.upper()


AGENT = '''
import traceback


def step(key):
    value = lookup(key)
    return value + "!"


def stack_depth():
    return [f.name for f in traceback.extract_stack()][-2:]


for key in ["a", "bad-b", "c"]:
    try:
        print(step(key))
    except KeyError:
        print(traceback.format_exc())
print(stack_depth())
'''


def _plain(source: str, filename: str) -> str:
    out = io.StringIO()
    with redirect_stdout(out):
        exec(compile(source, filename, "exec"), {"lookup": lookup, "__name__": "__main__"})  # noqa: S102 - the reference
    return out.getvalue()


def _ours(source: str, filename: str) -> str:
    out = io.StringIO()
    with redirect_stdout(out):
        opportune.run_source(source, {"lookup": lookup}, filename=filename)
    return out.getvalue()


def test_a_formatted_traceback_in_a_run_from_code_is_plain_pythons(tmp_path) -> None:
    path = tmp_path / "agent.py"
    path.write_text(AGENT)  # so both tracebacks show the source lines
    plain = _plain(AGENT, str(path))
    assert "in sync_entry" in plain and "KeyError: 'bad-b'" in plain
    assert _ours(AGENT, str(path)) == plain


def test_outside_a_run_the_traceback_module_is_unchanged() -> None:
    _ours("lookup('x')", "<warm>")  # a run has installed the rewritten walks
    with pytest.raises(ZeroDivisionError) as caught:
        opportune.run_source("1 / 0")
    text = "".join(traceback.format_exception(caught.value))
    # opportune's own frames are listed, as anywhere else in a process: no run is active
    assert "opportune/api.py" in text
    assert "in run_source" in text


# A function that called an external returns: its local variables go then, as in plain Python,
# though the call's site (its frames' ids, code and offsets) is kept for a traceback.
RETURNED = '''
class Tracked:
    def __del__(self):
        print("freed")


def step(key):
    return lookup(key)


def outer(key):
    kept = Tracked()
    return step(key)


value = outer("a")
print("after outer", value)
print(lookup("b"))
'''


def test_a_call_site_keeps_no_frame_alive(tmp_path) -> None:
    path = tmp_path / "returned.py"
    path.write_text(RETURNED)
    plain = _plain(RETURNED, str(path))
    assert plain.startswith("freed\nafter outer A\n")
    assert _ours(RETURNED, str(path)) == plain
