"""The known library methods that are external calls, and how they touch the world.

An entry names a function by module and qualified name, plus the options ``@opportune.external``
would take. SDK calls that only compute an answer (LLM completions, embeddings) are pure; HTTP
GET-like verbs read the resource ``"http"`` and the other verbs write it, so a POST is never
reordered around another request. ``Client.request(method, ...)``-style entry points are left
out: whether they read or write depends on an argument, so they stay ordinary calls. The
sync chat completion also streams under opportune (``stream``/``stream_path``, see
``_openai_chat.py``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from opportune.integrations._openai_chat import STREAM_PATH, stream_chat_completion

SPEC_OPTIONS = frozenset({"reads", "writes", "max_concurrency", "mutates", "name", "stream",
                          "stream_path"})


@dataclass(frozen=True)
class KnownExternal:
    """One library function that opportune treats as external without a decorator."""

    module: str
    qualname: str
    options: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def key(self) -> str:
        return f"{self.module}:{self.qualname}"


def _pure(module: str, qualname: str, name: str, **options: Any) -> KnownExternal:
    return KnownExternal(module, qualname, MappingProxyType({"name": name, **options}))


def _http(module: str, qualname: str, verb: str, name: str) -> KnownExternal:
    access = "reads" if verb in ("get", "head", "options") else "writes"
    return KnownExternal(module, qualname, MappingProxyType({access: "http", "name": name}))


_OPENAI = [
    ("openai.resources.chat.completions", "Completions", "openai.chat.completions.create"),
    ("openai.resources.completions", "Completions", "openai.completions.create"),
    ("openai.resources.responses", "Responses", "openai.responses.create"),
    ("openai.resources.embeddings", "Embeddings", "openai.embeddings.create"),
]
# Under opportune these are requested with streaming and assembled into the object the program
# asked for, whose text streams to the program (see _openai_chat.py).
_STREAMED: dict[str, dict[str, Any]] = {
    "openai.chat.completions.create": {"stream": stream_chat_completion,
                                       "stream_path": STREAM_PATH},
}
_ANTHROPIC = [("anthropic.resources.messages", "Messages", "anthropic.messages.create")]
_VERBS = ("get", "head", "options", "post", "put", "patch", "delete")


def default_table() -> list[KnownExternal]:
    """The built-in entries, for libraries that may or may not be installed."""
    table: list[KnownExternal] = []
    for module, cls, name in _OPENAI + _ANTHROPIC:
        table.append(_pure(module, f"{cls}.create", name, **_STREAMED.get(name, {})))
        table.append(_pure(module, f"Async{cls}.create", f"{name} (async)"))
    for package in ("httpx", "httpx2"):
        for verb in _VERBS:
            table.append(_http(package, verb, verb, f"{package}.{verb}"))
            table.append(_http(package, f"Client.{verb}", verb, f"{package}.Client.{verb}"))
            table.append(_http(package, f"AsyncClient.{verb}", verb,
                               f"{package}.AsyncClient.{verb}"))
    for verb in _VERBS:
        table.append(_http("requests", verb, verb, f"requests.{verb}"))
        table.append(_http("requests.api", verb, verb, f"requests.{verb}"))
        table.append(_http("requests.sessions", f"Session.{verb}", verb,
                           f"requests.Session.{verb}"))
    return table
