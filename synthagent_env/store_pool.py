"""Opening mapping stores from one spec (a file path or a ``redis://`` URL): one open store per spec per
process, the default temporary store a process tree shares, and ``check`` for errors at construction time.

Several envs in one process (a sync vector env) share one store and its memory cache. The default store lives
in a temporary directory named by an environment variable, so worker processes started after the first env (an
async vector env) inherit it and share the same mapping. A pooled store that is pickled (a spawned worker, a
distributed runner) is acquired again from the pool of the process that unpickles it.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import threading
from pathlib import Path

from .stores import DEFAULT_TIMEOUT_S, MappingStoreError
from .stores.cached import CachedStore
from .stores.sqlite_store import SqliteStore, check_integrity, validate_path

DEFAULT_DIR_VAR = "SYNTHAGENT_TMP_MAPPING_DIR"
URL_SCHEMES = ("redis", "rediss", "unix")
Spec = str | os.PathLike[str] | None
_lock = threading.Lock()
_open: dict[tuple[int, str], list] = {}  # (pid, spec) -> [store, refcount]


def default_mapping_path() -> Path:
    directory = os.environ.get(DEFAULT_DIR_VAR)
    if not directory:
        directory = tempfile.mkdtemp(prefix="synthagent-mapping-")
        os.environ[DEFAULT_DIR_VAR] = directory
        owner = os.getpid()

        def _cleanup() -> None:
            if os.getpid() == owner:
                shutil.rmtree(directory, ignore_errors=True)

        atexit.register(_cleanup)
    return Path(directory) / "mapping.sqlite"


def is_url(spec: str) -> bool:
    return "://" in spec


def resolve(spec: Spec) -> str:
    """The canonical spec: an absolute file path, or the URL as given. Rejects what cannot be a store."""
    if spec is None:
        return str(default_mapping_path())
    if not isinstance(spec, (str, os.PathLike)):
        raise MappingStoreError(f"mapping_path must be a file path or a redis:// URL, not {type(spec).__name__}")
    text = os.fspath(spec)
    if isinstance(spec, str) and is_url(text):
        scheme = text.split("://", 1)[0].lower()
        if scheme not in URL_SCHEMES:
            raise MappingStoreError(f"mapping store {text}: unknown URL scheme {scheme!r}; use a file path or "
                                    f"one of {', '.join(s + '://' for s in URL_SCHEMES)}")
        return text
    return str(validate_path(text))


def open_store(spec: Spec, *, timeout: float = DEFAULT_TIMEOUT_S, lazy: bool = False, **options) -> CachedStore:
    """A new store of its own (not pooled): ``SqliteStore`` for a path, ``RedisStore`` for a URL (``options``
    go to the backend, e.g. ``prefix=`` for Redis). ``timeout`` bounds every wait for a lock or a server."""
    resolved = resolve(spec)
    if not is_url(resolved):
        return SqliteStore(resolved, timeout=timeout, lazy=lazy, **options)
    try:
        from .stores.redis_store import RedisStore
    except ImportError as err:
        raise MappingStoreError(f"mapping store {resolved}: the Redis backend needs the `redis` package "
                                f"(pip install 'redis>=5'): {err}") from None
    return RedisStore(resolved, timeout=timeout, lazy=lazy, **options)


def check(spec: Spec, *, timeout: float = DEFAULT_TIMEOUT_S) -> str:
    """Raise ``MappingStoreError`` now for a spec that cannot work (bad path, damaged file, unreachable or unfit
    Redis); return the resolved spec. Creates nothing and keeps nothing open."""
    resolved = resolve(spec)
    if is_url(resolved):
        open_store(resolved, timeout=timeout).close()
        return resolved
    path = Path(resolved)
    if path.exists():
        check_integrity(path, timeout)
        return resolved
    ancestor = path.parent
    while not ancestor.exists():
        ancestor = ancestor.parent
    if not ancestor.is_dir() or not os.access(ancestor, os.W_OK):
        raise MappingStoreError(f"mapping store {path}: the file does not exist and cannot be created "
                                f"({ancestor} is not a writable directory)")
    return resolved


def acquire(spec: Spec = None, *, timeout: float = DEFAULT_TIMEOUT_S, lazy: bool = False, **options) -> CachedStore:
    """The process's shared store for ``spec`` (opened on first acquire, with that call's options); pair each
    with ``release``."""
    resolved = resolve(spec)
    key = (os.getpid(), resolved)
    with _lock:
        slot = _open.get(key)
        if slot is None:
            store = open_store(resolved, timeout=timeout, lazy=lazy, **options)
            store._pooled = True  # pickling it re-acquires from the pool on the other side
            store._pool_key = resolved
            slot = _open[key] = [store, 0]
        slot[1] += 1
        return slot[0]


def release(store: CachedStore) -> None:
    key = (os.getpid(), getattr(store, "_pool_key", store.spec))
    with _lock:
        slot = _open.get(key)
        if slot is None or slot[0] is not store:
            return
        slot[1] -= 1
        if slot[1] <= 0:
            del _open[key]
            store.close()
