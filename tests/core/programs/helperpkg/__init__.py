"""A package of the corpus's own code, imported by p106: compiled like the script itself."""

from helperpkg.agents import Agent, Planner

__all__ = ["Agent", "Planner"]
