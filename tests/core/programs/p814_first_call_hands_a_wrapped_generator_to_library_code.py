"""The program's first statement hands library code a ``map`` or ``zip`` over a generator of
answers: nothing has been issued yet when ``writelines`` is called, and the items must still
reach it as real strings (p810 has the same after other calls)."""
import io
import time

import opportune


@opportune.external
def ask(q: str) -> str:
    time.sleep(0.02)
    return f"a:{q}"


buf = io.StringIO()
buf.writelines(map(str.upper, (ask(x) for x in "ab")))
other = io.StringIO()
other.writelines(a for a, _ in zip((ask(x) for x in "cd"), range(5)))
print(buf.getvalue(), other.getvalue())
