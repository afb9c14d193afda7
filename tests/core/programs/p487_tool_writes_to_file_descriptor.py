"""Tools that write below sys.stdout (os.write to fd 1, a child process inheriting it) cannot
have their output captured: they run in program order, so the merged output is plain
Python's."""
import os
import subprocess
import sys
import time

import opportune


@opportune.external
def raw(i: int) -> int:
    time.sleep(0.01)
    sys.stdout.flush()
    os.write(1, f"raw {i}\n".encode())
    return i


@opportune.external
def child(word: str) -> int:
    subprocess.run([sys.executable, "-c", f"print('child says {word}')"], check=True)
    return len(word)


@opportune.external
def quiet(i: int) -> int:
    time.sleep(0.01)
    return i * i


qs = [quiet(i) for i in range(3)]
print("before raw", flush=True)
rs = [raw(i) for i in range(2)]
print("between", qs, flush=True)
print(child("hello"), flush=True)
print(rs, qs)
