"""``python -m benchmarks.quasar``: run the replay and print the tables."""

from benchmarks.quasar._cli import main

main()
