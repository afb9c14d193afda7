"""A value whose call failed, still held by a name after the program has met and gone past the
failure, is never printed as nothing.

The output queue drops a print that holds a failed value as one plain Python never reached:
true while the failure is on its way, not once a handler or a suppressing manager has taken it
and the program goes on. Rollback puts back the names a body rebound after the failing call
(compiler/rollback.py); a global rebound by a function the body called is not covered, and its
print must then raise the failure again rather than vanish with exit status 0.
"""

from __future__ import annotations

import io
import time
from contextlib import redirect_stdout

import pytest

import opportune


@opportune.external
def ext_fail(x: str) -> str:
    time.sleep(0.02)
    raise ValueError(x)


GLOBAL_REBOUND_BY_A_CALLED_FUNCTION = '''
import contextlib
s = "before"
def g():
    global s
    s = ext_fail("boom")
with contextlib.suppress(ValueError):
    g()
print("after", s)
del s
print("end")
'''


def test_a_print_of_a_failed_value_met_before_raises_instead_of_vanishing() -> None:
    out = io.StringIO()
    with redirect_stdout(out), pytest.raises(ValueError, match="boom"):
        opportune.run_source(GLOBAL_REBOUND_BY_A_CALLED_FUNCTION, {"ext_fail": ext_fail})
    assert out.getvalue() == ""


SUPPRESSED = '''
import contextlib
s = "before"
with contextlib.suppress(ValueError):
    s = ext_fail("boom")
print("after", s)
'''


def test_a_name_a_suppressing_with_rebound_from_the_failing_call_is_put_back() -> None:
    out = io.StringIO()
    with redirect_stdout(out):
        opportune.run_source(SUPPRESSED, {"ext_fail": ext_fail})
    assert out.getvalue() == "after before\n"
