"""Retrying a model request: when to retry, how long to wait, and the total deadline. One helper for all HTTP retries.

An attempt returns its result or a ``Retry`` (why it failed, an optional ``Retry-After``, and whether the next
attempt can go at once because it goes to another server). ``with_retries``/``awith_retries`` run attempts until
one succeeds, the tries are used up (``LLMUnavailableError``) or the request's total deadline has passed
(``LLMTimeoutError``): a hung server can stall one request for ``deadline`` seconds at most, retries included.
Waits grow exponentially with jitter (so many clients hitting one server do not retry in lockstep); a
``Retry-After`` header, in seconds or as an HTTP date, overrides the computed wait.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import TypeVar

from .base import LLMTimeoutError, LLMUnavailableError

T = TypeVar("T")
RETRYABLE_STATUS = frozenset({408, 409, 425, 429})
DEFAULT_ATTEMPT_TIMEOUT = 60.0  # seconds one HTTP attempt may wait for the server
DEFAULT_DEADLINE = 120.0  # seconds one request may take in all, retries and waits included


def is_retryable_status(status: int) -> bool:
    return status in RETRYABLE_STATUS or status >= 500


def parse_retry_after(value: str | None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds, possibly fractional, or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return max(0.0, when.timestamp() - time.time())


@dataclass
class RetryPolicy:
    """``max_retries`` tries after the first; waits ``backoff * 2**n`` (capped) scaled by a jitter in [0.5, 1]."""

    max_retries: int = 4
    backoff: float = 0.5
    backoff_max: float = 30.0
    retry_after_max: float = 120.0
    rng: random.Random = field(default_factory=random.Random)

    def __post_init__(self) -> None:
        if self.max_retries < 0 or self.backoff < 0 or self.backoff_max < 0:
            raise ValueError("max_retries, backoff and backoff_max must be >= 0")

    @property
    def attempts(self) -> int:
        return self.max_retries + 1

    def delay(self, retry: int, retry_after: float | None = None) -> float:
        """The wait before retry number ``retry`` (0 = the first retry)."""
        if retry_after is not None:
            return min(retry_after, self.retry_after_max)
        ceiling = min(self.backoff_max, self.backoff * (2 ** retry))
        return ceiling * (0.5 + 0.5 * self.rng.random())


@dataclass
class Retry:
    """An attempt that failed in a way another attempt may fix."""

    reason: str
    retry_after: float | None = None
    at_once: bool = False  # the next attempt goes to another, healthy server: no need to wait


class Deadline:
    """The moment a request must be done by; ``timeout()`` is what one attempt may still wait."""

    def __init__(self, seconds: float, attempt_timeout: float):
        self.seconds, self.attempt_timeout = seconds, attempt_timeout
        self.end = time.monotonic() + seconds

    def left(self) -> float:
        return self.end - time.monotonic()

    def timeout(self) -> float:
        return max(0.001, min(self.attempt_timeout, self.left()))


Describe = Callable[[], str]  # "POST http://host/v1/chat/completions (model 'm')", built only on failure


def _wait(policy: RetryPolicy, deadline: Deadline, retry: int, outcome: Retry, what: Describe) -> float:
    """The wait before the next attempt; ``LLMTimeoutError`` if the deadline passes before it could start."""
    wait = 0.0 if outcome.at_once else policy.delay(retry, outcome.retry_after)
    if deadline.left() - wait <= 0:
        raise _timed_out(what, deadline, retry + 1, outcome.reason)
    return wait


def _timed_out(what: Describe, deadline: Deadline, attempts: int, reason: str) -> LLMTimeoutError:
    return LLMTimeoutError(
        f"{what()} gave no usable answer within the request deadline of {deadline.seconds:g} s "
        f"({attempts} attempt{'s' if attempts != 1 else ''}, at most {deadline.attempt_timeout:g} s each); "
        f"last error: {reason}", attempts, reason, deadline.seconds)


def _gave_up(what: Describe, attempts: int, reason: str) -> LLMUnavailableError:
    return LLMUnavailableError(
        f"{what()} failed after {attempts} attempt{'s' if attempts != 1 else ''}; last error: {reason}",
        attempts, reason)


def with_retries(attempt: Callable[[Deadline], T | Retry], policy: RetryPolicy, deadline: Deadline,
                 what: Describe, on_retry: Callable[[], None] = lambda: None) -> T:
    """Run ``attempt`` until it returns a result; errors it raises pass through untouched."""
    outcome: T | Retry = Retry("no attempt made")
    for n in range(policy.attempts):
        outcome = attempt(deadline)
        if not isinstance(outcome, Retry):
            return outcome
        if deadline.left() <= 0:
            raise _timed_out(what, deadline, n + 1, outcome.reason)
        if n + 1 < policy.attempts:
            on_retry()
            time.sleep(_wait(policy, deadline, n, outcome, what))
    assert isinstance(outcome, Retry)
    raise _gave_up(what, policy.attempts, outcome.reason)


async def awith_retries(attempt: Callable[[Deadline], Awaitable[T | Retry]], policy: RetryPolicy,
                        deadline: Deadline, what: Describe, on_retry: Callable[[], None] = lambda: None) -> T:
    """``with_retries`` for asyncio: waits with ``asyncio.sleep``."""
    outcome: T | Retry = Retry("no attempt made")
    for n in range(policy.attempts):
        outcome = await attempt(deadline)
        if not isinstance(outcome, Retry):
            return outcome
        if deadline.left() <= 0:
            raise _timed_out(what, deadline, n + 1, outcome.reason)
        if n + 1 < policy.attempts:
            on_retry()
            await asyncio.sleep(_wait(policy, deadline, n, outcome, what))
    assert isinstance(outcome, Retry)
    raise _gave_up(what, policy.attempts, outcome.reason)
