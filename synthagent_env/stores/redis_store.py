"""The networked mapping store: one Redis (>= 7.0) shared by every process on every machine.

Selected by a URL (``mapping_path="redis://host:6379/0"``, ``rediss://`` for TLS). Same contract as the sqlite
file: write-once, seeds inserted once, a task's entries listed in insertion order. Layout, under a prefix
(default ``synthagent:mapping``): one string per entry, ``PREFIX:e:{TASK}:TOOL\\x1fARGS`` -> JSON response, and
one list per task, ``PREFIX:l:{TASK}``, of the entries' ``TOOL\\x1fARGS`` in insertion order (``{TASK}`` is a hash
tag: a task's keys live in one cluster slot). A write is one Lua script, so one round trip and atomic:
``SET entry value NX GET`` and, only when that stored the value, ``RPUSH`` to the task's list — the list can
neither miss a winner nor hold a loser. Listing reads ``LRANGE list N -1`` (only what is new) and ``MGET``.

Durability: an acknowledged write is as durable as the server's persistence makes it. Run Redis with
``appendonly yes`` and choose ``appendfsync``:
- ``always``: the AOF is fsynced before the reply; an acknowledged entry survives a crash of Redis or of the
  machine (power loss). Slowest (one fsync per write; writes are simulator misses, so rarely a bottleneck).
- ``everysec`` (Redis's default when AOF is on): survives a crash of the Redis process; a machine crash or power
  loss can lose up to about 1-2 s of acknowledged entries, which later calls then answer differently.
- ``no``: the OS flushes when it likes (about 30 s on Linux): a machine crash can lose that much.
Without AOF (RDB snapshots only) a crash loses everything since the last snapshot. Eviction must be off for our
keys: ``maxmemory-policy noeviction`` (or a ``volatile-*`` policy; entries carry no TTL); an ``allkeys-*`` policy
is refused at open, since an evicted entry would be answered anew. A Redis that goes away raises
``MappingStoreError`` on the call; the client reconnects by itself once the server is back.
"""

from __future__ import annotations

import logging
import os
import threading
from urllib.parse import urlsplit, urlunsplit

from ..mapping_key import KEY_SEPARATOR, CallKey, MappingEntry
from .cached import CachedStore, decode_value
from .protocol import DEFAULT_TIMEOUT_S, MappingStoreError

PREFIX = "synthagent:mapping"
_PUT = """
local old = redis.call('SET', KEYS[1], ARGV[1], 'NX', 'GET')
if old then return old end
redis.call('RPUSH', KEYS[2], ARGV[2])
return false
"""
_log = logging.getLogger(__name__)
_warned: set[str] = set()


def redact(url: str) -> str:
    """The URL without its password (what errors and ``spec`` show)."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{parts.username or ''}:***@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


class RedisStore(CachedStore):
    """A mapping in Redis; connects lazily in each process and reconnects after the server comes back."""

    def __init__(self, url: str, *, timeout: float = DEFAULT_TIMEOUT_S, prefix: str = PREFIX, lazy: bool = False):
        super().__init__(redact(url))
        self.url, self.timeout, self.prefix = url, float(timeout), prefix
        self._lock = threading.Lock()
        self._client = None
        self._pid = -1
        self._closed = False
        if not lazy:
            self._ready()

    # ---- connection ----
    def _ready(self):
        """This process's client, made and checked on first use (again after a fork or an unpickling)."""
        import redis
        from redis.backoff import ExponentialBackoff
        from redis.retry import Retry

        if self._closed:
            raise MappingStoreError(f"mapping store {self.spec} was closed")
        with self._lock:
            if self._pid == os.getpid() and self._client is not None:
                return self._client
            client = redis.Redis.from_url(
                self.url, socket_timeout=self.timeout, socket_connect_timeout=self.timeout,
                retry=Retry(ExponentialBackoff(cap=0.5, base=0.05), 3,
                            supported_errors=(redis.exceptions.ConnectionError,)))
            self._guard(lambda: self._check_server(client))
            self._client, self._pid = client, os.getpid()
            self._put = client.register_script(_PUT)
            return client

    def _check_server(self, client) -> None:
        import redis

        version = str(client.info("server").get("redis_version", "0"))
        if tuple(int(x) for x in version.split(".")[:2] if x.isdigit()) < (7, 0):
            raise MappingStoreError(f"mapping store {self.spec}: Redis {version} lacks SET ... NX GET; use Redis 7.0+")
        try:
            config = {**client.config_get("maxmemory-policy"), **client.config_get("appendonly")}
        except redis.exceptions.ResponseError:  # CONFIG disabled (managed services): nothing to check
            return
        policy = str(config.get("maxmemory-policy", "noeviction"))
        if policy.startswith("allkeys"):
            raise MappingStoreError(
                f"mapping store {self.spec}: maxmemory-policy is {policy}, which evicts entries (a call would then "
                "be answered anew). Set maxmemory-policy noeviction, or use a Redis of its own for the mapping.")
        if str(config.get("appendonly")) == "no" and self.spec not in _warned:
            _warned.add(self.spec)
            _log.warning("mapping store %s: Redis runs without AOF (appendonly no): a crash loses entries written "
                         "since the last snapshot. Set appendonly yes (see synthagent_env.stores.redis_store).",
                         self.spec)

    def _guard(self, call):
        """Run one Redis call, turning its failures into ``MappingStoreError`` that names the server."""
        import redis

        try:
            return call()
        except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError) as err:
            raise MappingStoreError(
                f"mapping store {self.spec}: Redis did not answer ({type(err).__name__}: {err}); the call was not "
                "answered. Check the server; the store reconnects by itself once it is back.") from None
        except redis.exceptions.RedisError as err:
            raise MappingStoreError(f"mapping store {self.spec}: Redis refused the request: {err}") from None

    def _run(self, call):
        client = self._client  # the made-and-checked client of this process, without the lock and imports
        if client is None or self._pid != os.getpid() or self._closed:
            client = self._ready()
        return self._guard(lambda: call(client))

    # ---- keys ----
    def _list_key(self, task_id: str) -> str:
        return f"{self.prefix}:l:{{{task_id}}}"

    def _entry_key(self, task_id: str, member: str) -> str:
        return f"{self.prefix}:e:{{{task_id}}}:{member}"

    @staticmethod
    def _member(key: CallKey) -> str:
        return f"{key.tool}{KEY_SEPARATOR}{key.arguments_json}"

    def _where(self, task_id: str, tool: str) -> str:
        return f"mapping store {self.spec}, task {task_id!r}, tool {tool!r}"

    # ---- the backend hooks ----
    def _fetch(self, key: CallKey) -> str | None:
        raw = self._run(lambda c: c.get(self._entry_key(key.task_id, self._member(key))))
        return None if raw is None else decode_value(raw, self._where(key.task_id, key.tool))

    def _insert(self, key: CallKey, value: str) -> str | None:
        member = self._member(key)
        keys = [self._entry_key(key.task_id, member), self._list_key(key.task_id)]
        old = self._run(lambda c: self._put(keys=keys, args=[value, member], client=c))
        return None if old is None else decode_value(old, self._where(key.task_id, key.tool))

    def _insert_many(self, rows: list[tuple[CallKey, str]]) -> None:
        def run(client):
            pipe = client.pipeline(transaction=True)  # MULTI/EXEC: all of the seeds, in order, or none
            for key, value in rows:
                member = self._member(key)
                self._put(keys=[self._entry_key(key.task_id, member), self._list_key(key.task_id)],
                          args=[value, member], client=pipe)
            pipe.execute()

        self._run(run)

    def _fetch_since(self, task_id: str, cursor: int) -> tuple[list[MappingEntry], int]:
        members = self._run(lambda c: c.lrange(self._list_key(task_id), cursor, -1))
        if not members:
            return [], cursor
        names = [m.decode("utf-8") for m in members]
        values = self._run(lambda c: c.mget([self._entry_key(task_id, m) for m in names]))
        fresh = []
        for member, raw in zip(names, values):
            tool, _, args = member.partition(KEY_SEPARATOR)
            where = self._where(task_id, tool)
            if raw is None:
                raise MappingStoreError(f"{where}: the task's list names an entry that is gone (evicted or deleted); "
                                        "the store lost data. Restore it from a backup (or its AOF).")
            try:
                arguments = CallKey(task_id, tool, args).arguments
            except ValueError as err:
                raise MappingStoreError(f"{where}: a listed key is damaged ({err})") from None
            fresh.append(MappingEntry(tool, arguments, decode_value(raw, where)))
        return fresh, cursor + len(names)

    def _task_ids(self) -> list[str]:
        start = len(self.prefix) + 4  # after "PREFIX:l:{"
        keys = self._run(lambda c: list(c.scan_iter(match=f"{self.prefix}:l:*", count=1000)))
        return sorted(k.decode("utf-8")[start:-1] for k in keys)

    def _close(self) -> None:
        with self._lock:
            if self._client is not None and self._pid == os.getpid():
                self._client.close()
            self._client, self._closed = None, True

    def _reopen_args(self) -> tuple[tuple, dict]:
        return (self.url,), {"timeout": self.timeout, "prefix": self.prefix}
