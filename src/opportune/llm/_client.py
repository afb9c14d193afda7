"""One shared SDK client per endpoint, sized for many calls in flight at once.

Under opportune a program may have dozens of calls outstanding; a client per call would open a
connection per call and lose keep-alive, and the SDK's default pool is sized for one caller. The
SDK's own retries are off (``max_retries=0``) because :mod:`opportune.llm._retry` retries, and
two layers of retries would multiply the attempts.
"""

from __future__ import annotations

import atexit
import logging
import threading
from dataclasses import dataclass

import openai

from opportune.llm._config import ConfigError, Settings

_log = logging.getLogger("opportune.llm")

MAX_CONNECTIONS = 512
MAX_KEEPALIVE = 128
OPENAI_DEFAULT_BASE_URL = "https://api.openai.com/v1"
# Local OpenAI-compatible servers ignore the key, but the SDK refuses an empty one.
PLACEHOLDER_KEY = "not-needed"


@dataclass(frozen=True)
class Endpoint:
    """Where a call goes: the base URL, the key, the model, and whether it is the embedded one."""

    base_url: str
    api_key: str
    model: str
    embedded: bool = False


def _http_client() -> object:
    """An SDK-default HTTP client with a large pool, for whichever httpx the SDK is built on."""
    factory = getattr(openai, "DefaultHttpx2Client", None)
    if factory is not None:
        import httpx2

        return factory(limits=httpx2.Limits(max_connections=MAX_CONNECTIONS,
                                            max_keepalive_connections=MAX_KEEPALIVE))
    import httpx

    return openai.DefaultHttpxClient(
        limits=httpx.Limits(max_connections=MAX_CONNECTIONS,
                            max_keepalive_connections=MAX_KEEPALIVE)
    )


_clients: dict[tuple[str, str], openai.OpenAI] = {}
_lock = threading.Lock()


def client_for(base_url: str, api_key: str) -> openai.OpenAI:
    """The shared client for ``(base_url, api_key)``, created on first use."""
    key = (base_url, api_key)
    client = _clients.get(key)
    if client is not None:
        return client
    with _lock:
        client = _clients.get(key)
        if client is None:
            client = openai.OpenAI(
                base_url=base_url,
                api_key=api_key,
                max_retries=0,
                http_client=_http_client(),  # type: ignore[arg-type]
            )
            _clients[key] = client
    return client


def close_clients() -> None:
    """Close every shared client (their connection pools); new calls create fresh ones."""
    with _lock:
        clients = list(_clients.values())
        _clients.clear()
    for client in clients:
        try:
            client.close()
        except (OSError, RuntimeError):
            _log.debug("closing an LLM client failed", exc_info=True)


atexit.register(close_clients)


_discovered: dict[tuple[str, str], str] = {}


def _discover_model(base_url: str, api_key: str, settings: Settings) -> str:
    """The endpoint's only model, for servers (vLLM, llama.cpp, simulators) that serve one."""
    cached = _discovered.get((base_url, api_key))
    if cached is not None:
        return cached
    try:
        ids = [m.id for m in client_for(base_url, api_key).models.list(timeout=settings.timeout)]
    except openai.OpenAIError as exc:
        raise ConfigError(
            f"no model is configured and listing the models of {base_url} failed ({exc}); "
            f"set OPPORTUNE_MODEL or model = \"...\" under [tool.opportune]"
        ) from exc
    if len(ids) != 1:
        listed = ", ".join(ids[:10]) + (" ..." if len(ids) > 10 else "")
        raise ConfigError(
            f"no model is configured and {base_url} serves {len(ids)} models ({listed or 'none'}); "
            f"choose one with OPPORTUNE_MODEL or model = \"...\" under [tool.opportune]"
        )
    _discovered[(base_url, api_key)] = ids[0]
    return ids[0]


def resolve_endpoint(settings: Settings) -> Endpoint:
    """The endpoint for a call: the configured one, or the embedded model started on demand."""
    if settings.endpoint_configured:
        base_url = (settings.base_url or OPENAI_DEFAULT_BASE_URL).rstrip("/")
        api_key = settings.api_key or PLACEHOLDER_KEY
        model = settings.model or _discover_model(base_url, api_key, settings)
        return Endpoint(base_url=base_url, api_key=api_key, model=model)
    from opportune.model import MODEL_NAME, ensure_server

    server = ensure_server()
    return Endpoint(base_url=server.base_url, api_key=PLACEHOLDER_KEY,
                    model=settings.model or MODEL_NAME, embedded=True)

