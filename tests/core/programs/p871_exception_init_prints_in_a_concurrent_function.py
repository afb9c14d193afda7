"""A function of the program raises an exception whose ``__init__`` prints: the line is
printed before the failure, so plain Python shows it, then the handler's."""


class Loud(Exception):
    def __init__(self, msg: str) -> None:
        print("building Loud", msg)
        super().__init__(msg)


def build(q: str) -> str:
    if q:
        raise Loud(q)
    return q


def main() -> None:
    try:
        build("b#")
    except Loud as e:
        print("caught", e)


main()
