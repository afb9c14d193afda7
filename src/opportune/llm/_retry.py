"""Retrying transient endpoint failures: 429, 5xx, timeouts and dropped connections.

Backoff is exponential with jitter so that many calls failing together do not return together.
When the server says how long to wait (``Retry-After`` or ``retry-after-ms``), the wait is at least
that long: retrying earlier would only earn another 429. Every wait is recorded so the usage log
can show what retrying cost, without anyone measuring wall-clock time.
"""

from __future__ import annotations

import email.utils
import random
import time
from collections.abc import Callable
from typing import TypeVar

import openai
import tenacity
from tenacity import RetryCallState

T = TypeVar("T")

RETRY_STATUSES = frozenset({408, 409, 429})


def is_retryable(exc: BaseException) -> bool:
    """Whether a failed request may succeed if sent again unchanged."""
    if isinstance(exc, openai.APIConnectionError):  # includes APITimeoutError
        return True
    if isinstance(exc, openai.APIStatusError):
        return exc.status_code in RETRY_STATUSES or exc.status_code >= 500
    return False


def retry_after_seconds(exc: BaseException | None) -> float | None:
    """The wait the server asked for, in seconds, or None if it did not ask."""
    response = getattr(exc, "response", None)
    headers = getattr(response, "headers", None)
    if headers is None:
        return None
    raw_ms = headers.get("retry-after-ms")
    if raw_ms is not None:
        try:
            return max(0.0, float(raw_ms) / 1000.0)
        except ValueError:
            pass
    raw = headers.get("retry-after")
    if raw is None:
        return None
    try:
        return max(0.0, float(raw))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(raw)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


class _WaitHonouringRetryAfter(tenacity.wait.wait_base):
    def __init__(self, initial: float, maximum: float) -> None:
        self._initial = initial
        self._maximum = maximum

    def __call__(self, retry_state: RetryCallState) -> float:
        exponent = max(0, retry_state.attempt_number - 1)
        backoff = min(self._initial * 2**exponent + random.uniform(0, self._initial),
                      self._maximum)
        outcome = retry_state.outcome
        asked = retry_after_seconds(outcome.exception() if outcome is not None else None)
        return backoff if asked is None else max(asked, backoff)


def retrying(
    *,
    max_attempts: int,
    backoff_initial: float,
    backoff_max: float,
    waits: list[float],
) -> tenacity.Retrying:
    """The retry policy itself, for callers that drive attempts one by one.

    A streamed answer can fail after it has started, so its reader cannot be wrapped in one
    function call; it iterates this object instead and reports each attempt's outcome, getting
    the same stop, backoff and ``Retry-After`` handling as :func:`call_with_retries`. ``waits``
    receives each wait in seconds as it is chosen.
    """

    def record(retry_state: RetryCallState) -> None:
        if retry_state.next_action is not None:
            waits.append(retry_state.next_action.sleep)

    return tenacity.Retrying(
        stop=tenacity.stop_after_attempt(max_attempts),
        wait=_WaitHonouringRetryAfter(backoff_initial, backoff_max),
        retry=tenacity.retry_if_exception(is_retryable),
        before_sleep=record,
        reraise=True,
    )


def call_with_retries(
    fn: Callable[[], T],
    *,
    max_attempts: int,
    backoff_initial: float,
    backoff_max: float,
    waits: list[float],
) -> T:
    """Run ``fn`` until it succeeds, a non-transient error occurs, or attempts run out.

    ``waits`` receives each wait in seconds as it is chosen; the last error is re-raised as is, so
    a caller sees the SDK's own exception type.
    """
    try:
        return fn()
    except Exception as exc:  # noqa: BLE001 - the policy below judges it
        first: list[Exception] = [exc]
    # Most calls succeed at once, and building the policy costs as much as a fast request's
    # own Python work, so it is built only after a failure; its first attempt is the failure
    # already met, so attempt numbers, waits and the stop are those of the policy run whole.

    def attempt() -> T:
        if first:
            raise first.pop()
        return fn()

    policy = retrying(max_attempts=max_attempts, backoff_initial=backoff_initial,
                      backoff_max=backoff_max, waits=waits)
    return policy(attempt)
