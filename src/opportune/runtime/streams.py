"""Text that arrives piece by piece: the partial value of a streaming external call.

An external with ``stream=`` (``opportune.llm.complete`` and ``chat``) is run through that
generator under opportune; its pieces are fed to a :class:`TextStream` attached to the call's
pending value. Operations that only need a prefix (iterating ``text.splitlines()``,
``text.startswith(p)``, printing the text) read the stream; everything else waits for the whole
value exactly as for any pending value. The finished value is the joined text, so the program
sees the same ``str`` as without streaming.

A producer that has to start over (a retried request) yields :data:`RESTART` and then the text
from its beginning: text already delivered must come again unchanged, so nothing the program
has seen is contradicted; if it differs, the call fails with :class:`StreamDiverged`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

RESTART = object()


class StreamDiverged(RuntimeError):
    """A retried stream produced text that differs from what the program already used."""


class TextStream:
    """The text of one call so far; written by one producer thread, read by any thread."""

    def __init__(self) -> None:
        self._pieces: list[str] = []
        self._length = 0
        self._replay = -1  # position being re-checked after RESTART, or -1
        self.finished = False
        self.failed = False
        # Set once the program has used part of the text (an item of its lines, an early
        # startswith): from then on output after the call need not wait for its end.
        self.consumed = False
        self._cond = threading.Condition()
        self._listeners: list[Callable[[str], None]] = []
        self._text_cache = ""

    # -- producer side ------------------------------------------------------------------------

    def feed(self, piece: str) -> None:
        if not piece:
            return
        with self._cond:
            if self._replay >= 0:
                piece = self._check_replay(piece)
                if not piece:
                    return
            self._pieces.append(piece)
            self._length += len(piece)
            listeners = list(self._listeners)
            self._cond.notify_all()
        for listener in listeners:
            listener(piece)

    def _check_replay(self, piece: str) -> str:
        text = self.text()
        overlap = min(len(piece), len(text) - self._replay)
        if piece[:overlap] != text[self._replay:self._replay + overlap]:
            raise StreamDiverged(
                "a retried request produced text that differs from the text already used at "
                f"character {self._replay}; make the endpoint deterministic (temperature=0, "
                "a seed) or set OPPORTUNE_STREAM=0 to wait for whole answers"
            )
        self._replay += overlap
        if self._replay >= len(text):
            self._replay = -1
        return piece[overlap:]

    def restart(self) -> None:
        with self._cond:
            self._replay = 0 if self._length else -1

    def finish(self, failed: bool = False) -> None:
        with self._cond:
            if self._replay >= 0 and not failed:
                self.failed = True
                self.finished = True
                self._cond.notify_all()
                raise StreamDiverged(
                    "a retried request ended before repeating the text already used; make the "
                    "endpoint deterministic or set OPPORTUNE_STREAM=0"
                )
            self.finished = True
            self.failed = failed
            listeners = list(self._listeners)
            self._listeners.clear()
            self._cond.notify_all()
        for listener in listeners:
            listener("")

    # -- reader side --------------------------------------------------------------------------

    @property
    def root(self) -> TextStream:
        return self

    @property
    def started(self) -> bool:
        return self._length > 0

    def current(self) -> tuple[str, bool]:
        """(the text so far, whether it is all of it)."""
        with self._cond:
            return self.text(), self.finished

    def text(self) -> str:
        if len(self._text_cache) != self._length:
            self._text_cache = "".join(self._pieces)
        return self._text_cache

    def wait_beyond(self, length: int) -> tuple[str, bool]:
        """Block until more than ``length`` characters exist or the stream has ended."""
        with self._cond:
            while self._length <= length and not self.finished:
                self._cond.wait()
            return self.text(), self.finished

    def listen(self, listener: Callable[[str], None]) -> bool:
        """Call ``listener(piece)`` for every later piece and ``listener("")`` at the end;
        False (and no registration) if the stream has already ended."""
        with self._cond:
            if self.finished:
                return False
            self._listeners.append(listener)
            return True


# -- views: what a prefix already says about values derived from the text --------------------

_LINE_ENDS = "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"


class StrippedView:
    """``text.strip()`` (or ``lstrip``/``rstrip``) of a stream: whitespace at the end of the
    text so far is held back until something follows it."""

    def __init__(self, source: TextStream | StrippedView, mode: str) -> None:
        self.source = source
        self.root: TextStream = source.root if isinstance(source, StrippedView) else source
        self.mode = mode

    def current(self) -> tuple[str, bool]:
        text, finished = self.source.current()
        if finished:
            return getattr(text, self.mode)(), True
        if self.mode in ("strip", "lstrip"):
            text = text.lstrip()
        if self.mode in ("strip", "rstrip"):
            text = text.rstrip()
        return text, False


class ConcatView:
    """``f"## {title}\\n{section}"`` with ``section`` streaming: the text around it is known."""

    def __init__(self, prefix: str, source: TextStream | StrippedView, suffix: str) -> None:
        self.prefix = prefix
        self.source = source
        self.root: TextStream = source.root
        self.suffix = suffix

    def current(self) -> tuple[str, bool]:
        text, finished = self.source.current()
        return self.prefix + text + (self.suffix if finished else ""), finished


class ItemsView:
    """``text.splitlines()`` or ``text.split(sep)`` of a stream: the items that are already
    complete, which no later text can change."""

    def __init__(self, source: TextStream | StrippedView, how: str, sep: str | None) -> None:
        self.source = source
        self.root: TextStream = source.root if isinstance(source, StrippedView) else source
        self.how = how
        self.sep = sep

    def complete(self, text: str, finished: bool) -> list[str]:
        if self.how == "splitlines":
            if finished:
                return text.splitlines()
            parts = text.splitlines(keepends=True)
            if parts and parts[-1][-1] not in _LINE_ENDS:
                parts.pop()
            return [p[:-2] if p.endswith("\r\n") else p[:-1] for p in parts]
        if self.sep is None:
            if finished:
                return text.split()
            parts = text.split()
            if parts and text and not text[-1].isspace():
                parts.pop()
            return parts
        parts = text.split(self.sep)
        return parts if finished else parts[:-1]

    def item(self, index: int) -> tuple[str | None, bool]:
        """(item ``index``, True) once it is complete, or (None, False) if the text ended
        with fewer items."""
        while True:
            seen = self.root._length
            text, finished = self.source.current()
            items = self.complete(text, finished)
            if self.root.failed:
                return None, False  # the call failed: the program meets its failure instead
            if index < len(items):
                self.root.consumed = True
                return items[index], True
            if finished:
                return None, False
            self.root.wait_beyond(seen)



class JsonItemsView:
    """``json.loads(text)`` of a stream that holds a JSON array: each element once it and the
    comma or bracket after it have arrived (a number is only complete when followed)."""

    def __init__(self, source: TextStream | StrippedView) -> None:
        import json

        self.source = source
        self.root: TextStream = source.root if isinstance(source, StrippedView) else source
        self._decoder = json.JSONDecoder()

    def complete(self, text: str) -> list[object]:
        items: list[object] = []
        pos = _skip_space(text, 0)
        if pos >= len(text) or text[pos] != "[":
            return items
        pos += 1
        while True:
            pos = _skip_space(text, pos)
            if pos >= len(text) or text[pos] == "]":
                return items
            try:
                item, end = self._decoder.raw_decode(text, pos)
            except ValueError:
                return items
            end = _skip_space(text, end)
            if end >= len(text) or text[end] not in ",]":
                return items
            items.append(item)
            pos = end + 1 if text[end] == "," else end

    def item(self, index: int) -> tuple[object, bool]:
        while True:
            seen = self.root._length
            text, finished = self.source.current()
            if self.root.failed or finished:
                return None, False  # the whole value decides now (or its failure does)
            items = self.complete(text)
            if index < len(items):
                self.root.consumed = True
                return items[index], True
            self.root.wait_beyond(seen)


def _skip_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t\n\r":
        pos += 1
    return pos
