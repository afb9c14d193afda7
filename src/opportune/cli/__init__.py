"""The ``opportune`` command line."""
