"""Shared externals for the differential corpus.

Every tool is deterministic: its result depends only on its arguments (and, for the resource
tools, on the order of earlier writes), so plain Python and opportune must print the same
thing. Sleeps are short so the whole corpus runs in about a minute.
"""

from __future__ import annotations

import asyncio
import time
import zlib
from dataclasses import dataclass

import opportune

SHORT = 0.02
MEDIUM = 0.04


def _h(text: object) -> int:
    return zlib.crc32(repr(text).encode()) % 1000


@opportune.external
def llm(prompt: str) -> str:
    """A fake model: the answer depends on every character of the prompt."""
    time.sleep(SHORT)
    return f"ans({prompt[:24]}#{_h(prompt)})"


@opportune.external
async def allm(prompt: str) -> str:
    """The async flavour of :func:`llm`."""
    await asyncio.sleep(SHORT)
    return f"async({prompt[:24]}#{_h(prompt)})"


@opportune.external
def score(text: str) -> int:
    time.sleep(SHORT)
    return _h(text)


@opportune.external
def search(query: str, k: int = 3) -> list[str]:
    time.sleep(SHORT)
    return [f"doc-{_h((query, i))}" for i in range(k)]


@opportune.external
def slow(x: int) -> int:
    time.sleep(0.15)
    return x * 10 + 1


@opportune.external
def add(a: int, b: int) -> int:
    time.sleep(SHORT)
    return a + b


@opportune.external
def square(x: int) -> int:
    time.sleep(SHORT)
    return x * x


@opportune.external
def describe(value: object) -> str:
    """Reports exactly what the call received (after a delay, so late mutation would show)."""
    time.sleep(MEDIUM)
    return f"{type(value).__name__}:{value!r}"


@opportune.external
def fail(message: str) -> str:
    time.sleep(SHORT)
    raise ValueError(f"tool failed: {message}")


@opportune.external
def fail_if(x: int, bad: int) -> int:
    time.sleep(SHORT)
    if x == bad:
        raise KeyError(f"item {x}")
    return x + 100


@opportune.external
def nothing(x: object) -> None:
    time.sleep(SHORT)
    return None


@opportune.external
def pair(x: int) -> tuple[int, str]:
    time.sleep(SHORT)
    return (x * 2, f"p{x}")


@opportune.external
def record(x: int) -> dict[str, object]:
    time.sleep(SHORT)
    return {"id": x, "tags": [f"t{x}", f"t{x + 1}"], "meta": {"even": x % 2 == 0}}


@dataclass
class Doc:
    title: str
    words: int

    def headline(self) -> str:
        return f"{self.title.upper()} ({self.words} words)"


@opportune.external
def fetch_doc(name: str) -> Doc:
    time.sleep(SHORT)
    return Doc(title=f"about {name}", words=len(name) * 7)


@opportune.external
def count_up(n: int):
    """Returns a generator object (an odd return type)."""
    time.sleep(SHORT)
    return (i * i for i in range(n))


@opportune.external(max_concurrency=2)
def limited(x: int) -> int:
    time.sleep(SHORT)
    return x + 1000


@opportune.external(mutates=True)
def append_to(items: list, value: object) -> int:
    """Mutates its argument: the program must see the change afterwards."""
    time.sleep(SHORT)
    items.append(value)
    return len(items)


@opportune.external(mutates=True)
def set_field(obj: object, name: str, value: object) -> None:
    time.sleep(SHORT)
    setattr(obj, name, value)


# -- a tiny key-value store with declared resources -------------------------------------------

STORE: dict[str, str] = {}
LOG: list[str] = []


@opportune.external(writes=("store",))
def put(key: str, value: str) -> str:
    time.sleep(SHORT)
    STORE[key] = value
    LOG.append(f"put {key}")
    return f"ok {key}"


@opportune.external(reads=("store",))
def get(key: str) -> str:
    time.sleep(SHORT)
    LOG.append(f"get {key}")
    return STORE.get(key, "<missing>")


@opportune.external(writes=("outbox",))
def send(message: str) -> int:
    time.sleep(SHORT)
    LOG.append(f"send {message}")
    return len(LOG)


@opportune.external(writes=("outbox",))
def send_or_fail(message: str) -> int:
    time.sleep(SHORT)
    if "bad" in message:
        raise RuntimeError(f"refused to send {message!r}")
    LOG.append(f"send {message}")
    return len(LOG)


# -- externals as methods -----------------------------------------------------------------------


class Tool:
    prefix = "tool"

    def __init__(self, name: str) -> None:
        self.name = name

    @opportune.external
    def run(self, arg: str) -> str:
        time.sleep(SHORT)
        return f"{self.prefix}:{self.name}({arg})#{_h((self.name, arg))}"

    def local(self, arg: str) -> str:
        return f"local:{self.name}({arg})"


class Calculator(Tool):
    prefix = "calc"

    def local(self, arg: str) -> str:
        return "calc-" + super().local(arg)


class Searcher(Tool):
    prefix = "search"

    @opportune.external
    def run(self, arg: str) -> str:
        time.sleep(SHORT)
        return f"searcher[{self.name}]<{arg}>"


@opportune.external
def slow_fail(message: str) -> str:
    """Fails only after a while, so the program has long moved on when it does."""
    time.sleep(0.15)
    raise RuntimeError(f"slow failure: {message}")


@opportune.external
def external_completion(prompt: str):
    """Shaped like an OpenAI chat completion: resp.choices[0].message.content."""
    from types import SimpleNamespace

    time.sleep(SHORT)
    message = SimpleNamespace(role="assistant", content=f"reply to {prompt} #{_h(prompt)}")
    return SimpleNamespace(
        choices=[SimpleNamespace(index=0, message=message)],
        usage={"total": len(prompt) + 10},
    )


CALLED: list[str] = []


@opportune.external
def counted(label: str) -> str:
    """Records that it ran, so a later :func:`calls_made` can tell which calls were made."""
    time.sleep(SHORT)
    CALLED.append(label)
    return f"counted {label}"


@opportune.external(writes=("called",))
def calls_made() -> list[str]:
    """Every call made so far (a write: it runs after every earlier call has finished)."""
    return sorted(CALLED)


def _leaves(value: object) -> list[str]:
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=repr) if isinstance(value, (set, frozenset)) else value
        return [leaf for item in items for leaf in _leaves(item)]
    if isinstance(value, dict):
        return [leaf for k, v in value.items() for leaf in _leaves(k) + _leaves(v)]
    if hasattr(value, "__dict__") and not isinstance(value, type):
        return [leaf for v in vars(value).values() for leaf in _leaves(v)]
    return [type(value).__name__]


@opportune.external
def shape(value: object) -> str:
    """The types of every leaf the call received: a pending value would show up here."""
    time.sleep(SHORT)
    return ",".join(_leaves(value))


# -- streaming: externals whose answer arrives piece by piece under opportune ----------------


def _story(prompt: str) -> str:
    words = [f"w{_h(prompt + str(i)) % 97}" for i in range(6)]
    return f"Title {prompt}\n" + "\n".join(f"{i}. {w} {w[::-1]}" for i, w in enumerate(words)) + "\n"


def _pieces_of(text: str):
    for i in range(0, len(text), 3):
        time.sleep(0.004)
        yield text[i:i + 3]


def _story_pieces(prompt: str):
    yield from _pieces_of(_story(prompt))


@opportune.external(stream=_story_pieces)
def stream_llm(prompt: str) -> str:
    """An LLM answer of several lines; under opportune it streams."""
    time.sleep(0.004 * (len(_story(prompt)) // 3 + 1))
    return _story(prompt)


def _retried_pieces(prompt: str):
    from opportune.runtime.streams import RESTART

    text = _story(prompt)
    yield from _pieces_of(text[: len(text) // 2])
    yield RESTART  # the connection dropped; the request is sent again from the start
    yield from _pieces_of(text)


@opportune.external(stream=_retried_pieces)
def stream_llm_retried(prompt: str) -> str:
    """Same answer as :func:`stream_llm`; its stream drops once and is retried."""
    time.sleep(0.02)
    return _story(prompt)


def _broken_pieces(prompt: str):
    text = _story(prompt)
    yield from _pieces_of(text[: len(text) // 2])
    raise ConnectionError(f"stream for {prompt!r} dropped")


@opportune.external(stream=_broken_pieces)
def stream_llm_broken(prompt: str) -> str:
    """Fails as its stream does: plain Python raises at the call."""
    time.sleep(0.02)
    raise ConnectionError(f"stream for {prompt!r} dropped")


def _json_answer(prompt: str) -> str:
    items = [{"step": i, "tool": f"t{_h(prompt + str(i)) % 7}", "arg": 1.5 * i} for i in range(4)]
    import json

    return json.dumps(items, indent=1) if prompt != "object" else json.dumps({"a": 1, "b": [2]})


def _json_pieces(prompt: str):
    yield from _pieces_of(_json_answer(prompt))


@opportune.external(stream=_json_pieces)
def stream_json(prompt: str) -> str:
    """A JSON answer (an array of steps, or an object for the prompt 'object')."""
    time.sleep(0.004 * (len(_json_answer(prompt)) // 3 + 1))
    return _json_answer(prompt)
