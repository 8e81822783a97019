"""When to retry a model request and how long to wait: one policy shared by the sync and async HTTP paths.

Retryable: connection errors, timeouts, dropped connections, 408/409/429 and 5xx, and bodies that are not a
chat completion. Waits grow exponentially with jitter (so many clients hitting one server do not retry in
lockstep); a ``Retry-After`` header, in seconds or as an HTTP date, overrides the computed wait.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime

RETRYABLE_STATUS = frozenset({408, 409, 425, 429})


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
