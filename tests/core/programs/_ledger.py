"""A small ledger service for the speculative-read programs (p220-p222).

Its externals declare what they read and write; the readers have no effect, so the runtime may
run one before an earlier deferred arm has decided whether it writes, and make it again if the
arm did. The state lives behind plain functions, as it would behind a client library.
"""

from __future__ import annotations

import time

import opportune

_ACCOUNTS: dict[str, int] = {"alice": 100, "bob": 20}
_NOTES: list[str] = []


def _apply(name: str, delta: int) -> int:
    _ACCOUNTS[name] = _ACCOUNTS.get(name, 0) + delta
    return _ACCOUNTS[name]


def _note(text: str) -> None:
    _NOTES.append(text)


@opportune.external
def ask(question: str) -> bool:
    """A slow yes/no answer: yes when the question's length is even."""
    time.sleep(0.05)
    return len(question) % 2 == 0


@opportune.external
def summarize(text: str) -> str:
    time.sleep(0.02)
    return f"summary[{text}]"


@opportune.external(writes=("accounts",))
def transfer(name: str, delta: int) -> int:
    time.sleep(0.02)
    if delta == 0:
        raise ValueError(f"refusing an empty transfer to {name}")
    return _apply(name, delta)


@opportune.external(reads=("accounts",))
def balance(name: str) -> int:
    time.sleep(0.02)
    return _ACCOUNTS.get(name, 0)


@opportune.external(reads=("accounts",))
def balances() -> list[tuple[str, int]]:
    time.sleep(0.02)
    return sorted(_ACCOUNTS.items())


@opportune.external(writes=("notes",))
def add_note(text: str) -> int:
    time.sleep(0.02)
    _note(text)
    return 1


@opportune.external(reads=("notes",))
def notes() -> list[str]:
    time.sleep(0.02)
    return list(_NOTES)


# -- records a search hands back, and an update that changes them in place (p223) -----------


class Record:
    def __init__(self, key: int, value: int) -> None:
        self.key = key
        self.value = value

    def __repr__(self) -> str:
        return f"Record({self.key}, {self.value})"


_RECORDS = [Record(1, 10), Record(2, 20), Record(3, 30)]


def _set_value(key: int, value: int) -> None:
    for r in _RECORDS:
        if r.key == key:
            r.value = value
            return
    raise KeyError(f"no record {key}")


@opportune.external(reads=("records",))
def search_records(minimum: int) -> list[Record]:
    """The stored records themselves, in a new list."""
    time.sleep(0.02)
    return [r for r in _RECORDS if r.value >= minimum]


@opportune.external(writes=("records",), changes_read_results=True)
def update_record(key: int, value: int) -> str:
    """Changes the stored record, the very object earlier searches returned."""
    time.sleep(0.02)
    _set_value(key, value)
    return f"record {key} is now {value}"


@opportune.external
def kinds(items: list) -> str:
    """The types of what the call received: no pending value may reach it."""
    time.sleep(0.01)
    return ",".join(type(x).__name__ for x in items)
