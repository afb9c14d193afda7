"""An on-disk response cache keyed by the full request, for re-running a program cheaply.

A key covers everything that shapes the answer: the endpoint, the API route and the whole
request body (model, messages, every sampling option). The API key is left out (it does not
change an answer and must not reach the disk). Entries are written to a temporary file and
renamed into place, so a crash or two concurrent writers never leave a half-written entry.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

CACHE_DIR = ".opportune-cache"
_FORMAT = 1


def request_key(route: str, base_url: str, body: dict[str, Any]) -> str:
    """A stable hash of one request: equal requests, equal keys, whatever the dict order."""
    canonical = json.dumps(
        {"format": _FORMAT, "route": route, "base_url": base_url, "body": body},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        default=repr,
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class ResponseCache:
    """Responses stored as JSON files under ``<project>/.opportune-cache/responses/``."""

    def __init__(self, project_root: Path) -> None:
        self.folder = project_root / CACHE_DIR / "responses"

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def get(self, key: str) -> dict[str, Any] | None:
        """The stored response for ``key``, or None (an unreadable entry counts as a miss)."""
        try:
            with self._path(key).open("r", encoding="utf-8") as fh:
                data = json.load(fh)
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) else None

    def put(self, key: str, response: dict[str, Any]) -> None:
        """Store ``response`` atomically: readers see the old entry or the new, never a part."""
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(response, fh, ensure_ascii=False)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise
