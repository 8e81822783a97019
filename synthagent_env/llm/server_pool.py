"""Several OpenAI-compatible servers behind one client: least-outstanding routing and a circuit breaker.

Each request goes to the server with the fewest requests in flight (ties: the one used least recently), among
servers whose breaker is closed. A server that fails ``failures_to_open`` times in a row (connection error,
timeout, 429/502/503/504, an unusable body) is taken out for ``cooldown`` seconds; after that it gets requests
again, and one more failure takes it out again. If every server is out, the one that comes back first is used:
a pool never refuses a request on its own, so a one-server pool behaves like a plain client.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

DEFAULT_COOLDOWN = 10.0
DEFAULT_FAILURES_TO_OPEN = 2


@dataclass
class Server:
    """One server's live state (read it through ``ServerPool.snapshot``)."""

    url: str
    outstanding: int = 0
    sent: int = 0
    failures: int = 0  # consecutive failures
    open_until: float = 0.0  # monotonic time until which the breaker keeps it out
    times_opened: int = 0
    last_pick: int = field(default=0, repr=False)


class ServerPool:
    def __init__(self, urls: list[str], cooldown: float = DEFAULT_COOLDOWN,
                 failures_to_open: int = DEFAULT_FAILURES_TO_OPEN):
        if not urls:
            raise ValueError("a server pool needs at least one base URL")
        if len(set(urls)) != len(urls):
            raise ValueError("the same base URL is listed twice")
        if cooldown < 0 or failures_to_open < 1:
            raise ValueError("cooldown must be >= 0 and failures_to_open >= 1")
        self.servers = [Server(u) for u in urls]
        self.cooldown, self.failures_to_open = cooldown, failures_to_open
        self._lock = threading.Lock()
        self._picks = 0

    def acquire(self, avoid: frozenset[str] = frozenset()) -> Server:
        """The server for the next attempt (its outstanding count taken): healthy servers first, those this
        request has not failed on (``avoid``) before the others."""
        now = time.monotonic()
        with self._lock:
            up = [s for s in self.servers if s.open_until <= now]
            fresh = [s for s in up if s.url not in avoid]
            if up:
                server = min(fresh or up, key=lambda s: (s.outstanding, s.last_pick))
            else:
                server = min(self.servers, key=lambda s: s.open_until)
            self._picks += 1
            server.last_pick = self._picks
            server.outstanding += 1
            server.sent += 1
            return server

    def release(self, server: Server, ok: bool | None) -> None:
        """The attempt ended: ``ok`` True (the server answered), False (the server failed), None (no verdict)."""
        with self._lock:
            server.outstanding -= 1
            if ok:
                server.failures, server.open_until = 0, 0.0
            elif ok is False:
                server.failures += 1
                if server.failures >= self.failures_to_open:
                    server.open_until = time.monotonic() + self.cooldown
                    server.times_opened += 1

    def healthy_other_than(self, avoid: frozenset[str]) -> bool:
        now = time.monotonic()
        with self._lock:
            return any(s.open_until <= now and s.url not in avoid for s in self.servers)

    def snapshot(self) -> list[dict[str, object]]:
        """Per server: url, outstanding, sent, consecutive failures, whether it is out and for how long."""
        now = time.monotonic()
        with self._lock:
            return [{"url": s.url, "outstanding": s.outstanding, "sent": s.sent, "failures": s.failures,
                     "out_for_s": round(max(0.0, s.open_until - now), 3), "times_opened": s.times_opened}
                    for s in self.servers]
