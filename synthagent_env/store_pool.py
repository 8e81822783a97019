"""One open MappingStore per file per process, and the default temporary store a process tree shares.

Several envs in one process (a sync vector env) share one connection and one memory cache. The default
store lives in a temporary directory named by an environment variable, so worker processes started after
the first env (an async vector env) inherit it and share the same mapping.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import threading
from pathlib import Path

from .mapping_store import MappingStore

DEFAULT_DIR_VAR = "SYNTHAGENT_TMP_MAPPING_DIR"
_lock = threading.Lock()
_open: dict[tuple[int, Path], list] = {}  # (pid, path) -> [store, refcount]


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


def acquire(path: str | os.PathLike[str] | None) -> MappingStore:
    resolved = Path(path).resolve() if path is not None else default_mapping_path()
    key = (os.getpid(), resolved)
    with _lock:
        slot = _open.get(key)
        if slot is None:
            slot = _open[key] = [MappingStore(resolved), 0]
        slot[1] += 1
        return slot[0]


def release(store: MappingStore) -> None:
    key = (os.getpid(), store.path.resolve())
    with _lock:
        slot = _open.get(key)
        if slot is None or slot[0] is not store:
            return
        slot[1] -= 1
        if slot[1] <= 0:
            del _open[key]
            store.close()
