"""A module of the corpus whose class reads the module's globals when its methods run (p471)."""

LIMIT = 1


class Policy:
    @staticmethod
    def limit() -> int:
        return LIMIT


def set_limit(n: int) -> None:
    global LIMIT
    LIMIT = n
