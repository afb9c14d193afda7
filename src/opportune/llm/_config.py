"""Where calls go and how they behave: environment first, then ``[tool.opportune]``, then defaults.

Settings are read when a call is made, not at import, so a program may set ``OPENAI_BASE_URL``
before its first call and a test may change directory. The pyproject is found the way tools such
as ruff and pytest find it: from the current directory upwards.
"""

from __future__ import annotations

import os
import threading
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from stat import S_ISREG
from typing import Any

ENV_BASE_URL = "OPENAI_BASE_URL"
ENV_API_KEY = "OPENAI_API_KEY"
ENV_MODEL = "OPPORTUNE_MODEL"
ENV_CACHE = "OPPORTUNE_CACHE"

DEFAULT_TIMEOUT = 300.0
DEFAULT_MAX_ATTEMPTS = 6
DEFAULT_BACKOFF_INITIAL = 0.5
DEFAULT_BACKOFF_MAX = 30.0

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class ConfigError(ValueError):
    """A configuration value opportune cannot use; the message names it and where it came from."""


@dataclass(frozen=True)
class Settings:
    """The resolved configuration for LLM calls, with the source of each value for messages."""

    base_url: str | None = None
    api_key: str | None = None
    model: str | None = None
    cache: bool = False
    timeout: float = DEFAULT_TIMEOUT
    max_attempts: int = DEFAULT_MAX_ATTEMPTS
    backoff_initial: float = DEFAULT_BACKOFF_INITIAL
    backoff_max: float = DEFAULT_BACKOFF_MAX
    project_root: Path = field(default_factory=Path.cwd)
    pyproject: Path | None = None
    sources: dict[str, str] = field(default_factory=dict, compare=False)

    @property
    def endpoint_configured(self) -> bool:
        """True when the user named an endpoint; otherwise the embedded model serves calls."""
        return self.base_url is not None or self.api_key is not None


_KEYS = ("base_url", "api_key", "model", "cache", "timeout", "max_attempts",
         "backoff_initial", "backoff_max")


def find_pyproject(start: Path | None = None) -> Path | None:
    """The nearest ``pyproject.toml`` at or above ``start`` (the current directory by default)."""
    found, _ = _nearest_pyproject(_folder(start))
    return None if found is None else Path(found)


def _folder(start: Path | None) -> str:
    # os.getcwd() is already absolute with its links resolved, as Path.cwd().resolve() is
    return os.getcwd() if start is None else str(Path(start).resolve())


def _nearest_pyproject(folder: str) -> tuple[str | None, tuple[int, int] | None]:
    """The nearest pyproject at or above ``folder`` and its (mtime, size), with one ``stat``
    per folder: strings and os rather than pathlib, since this runs on every call, and each
    system call lets go of the GIL, which costs a thread switch when many calls run at once."""
    while True:
        candidate = os.path.join(folder, "pyproject.toml")
        try:
            stat = os.stat(candidate)
        except OSError:
            pass
        else:
            if S_ISREG(stat.st_mode):
                return candidate, (stat.st_mtime_ns, stat.st_size)
        parent = os.path.dirname(folder)
        if parent == folder:
            return None, None
        folder = parent


_table_cache: dict[Path, tuple[tuple[int, int], dict[str, Any]]] = {}
_table_lock = threading.Lock()


def _read_table(path: Path) -> dict[str, Any]:
    stat = path.stat()
    mtime = (stat.st_mtime_ns, stat.st_size)
    with _table_lock:
        hit = _table_cache.get(path)
        if hit is not None and hit[0] == mtime:
            return hit[1]
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path} is not valid TOML ({exc}); fix the file or remove it") from exc
    table = data.get("tool", {}).get("opportune", {})
    if not isinstance(table, dict):
        raise ConfigError(f"[tool.opportune] in {path} must be a table, got {type(table).__name__}")
    with _table_lock:
        _table_cache[path] = (mtime, table)
    return table


def _as_bool(value: Any, where: str) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    raise ConfigError(f"{where} must be true or false (or 1/0), got {value!r}")


def _as_float(value: Any, where: str, *, minimum: float = 0.0) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ConfigError(f"{where} must be a number of seconds, got {value!r}")
    try:
        number = float(value)
    except ValueError:
        raise ConfigError(f"{where} must be a number of seconds, got {value!r}") from None
    if number < minimum:
        raise ConfigError(f"{where} must be at least {minimum}, got {value!r}")
    return number


def _as_int(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ConfigError(f"{where} must be a positive integer, got {value!r}")
    return value


def _as_str(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{where} must be a non-empty string, got {value!r}")
    return value.strip()


def convert(key: str, value: Any, where: str) -> Any:
    """Check one setting and convert it to its type; ``where`` names its source for errors."""
    if key in ("base_url", "api_key", "model"):
        return _as_str(value, where)
    if key == "cache":
        return _as_bool(value, where)
    if key in ("timeout", "backoff_max"):
        return _as_float(value, where, minimum=0.001)
    if key == "backoff_initial":
        return _as_float(value, where)
    if key == "max_attempts":
        return _as_int(value, where)
    raise ConfigError(
        f"{where}: unknown setting {key!r}; the known settings are {', '.join(_KEYS)}"
    )


# Resolved settings by everything they are made from: the folder the search starts in, the
# pyproject found and its (mtime, size), and the environment variables read. Every call resolves
# its settings afresh, so a program may set a variable or change directory between calls; the
# memo only spares it rebuilding the same answer (pathlib objects, conversions, the dataclass),
# about 100 us a call before, a tenth of what the SDK itself spends on a request.
_ENV_KEYS = (("base_url", ENV_BASE_URL), ("api_key", ENV_API_KEY), ("model", ENV_MODEL),
             ("cache", ENV_CACHE))
_memo: dict[tuple[Any, ...], Settings] = {}
_MEMO_SIZE = 64


def load_settings(start: Path | None = None) -> Settings:
    """Resolve settings: environment variables, then ``[tool.opportune]``, then defaults."""
    folder = _folder(start)
    found, stamp = _nearest_pyproject(folder)
    environ = os.environ
    key = (folder, found, stamp, *(environ.get(env) for _, env in _ENV_KEYS))
    settings = _memo.get(key)
    if settings is None:
        settings = _resolve(folder, None if found is None else Path(found))
        if len(_memo) >= _MEMO_SIZE:
            _memo.clear()
        _memo[key] = settings
    return settings


def _resolve(folder: str, pyproject: Path | None) -> Settings:
    values: dict[str, Any] = {}
    sources: dict[str, str] = {}
    if pyproject is not None:
        for key, value in _read_table(pyproject).items():
            where = f"[tool.opportune] {key} in {pyproject}"
            values[key] = convert(key, value, where)
            sources[key] = where
    for key, env in _ENV_KEYS:
        raw = os.environ.get(env)
        if raw is None or (key != "cache" and not raw.strip()):
            continue
        where = f"environment variable {env}"
        values[key] = convert(key, raw, where)
        sources[key] = where
    root = pyproject.parent if pyproject is not None else Path(folder)
    return Settings(**values, project_root=root, pyproject=pyproject, sources=sources)
