import sys

from _tools import llm

print("working")
msg = llm("fatal")
sys.exit(f"error: {msg}")
