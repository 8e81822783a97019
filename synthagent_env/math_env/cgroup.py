"""A pids cgroup per sandboxed run, for when the env runs as root.

The kernel never applies ``RLIMIT_NPROC`` to processes of the real root user, and a user namespace made by root
maps to root: a fork bomb inside bubblewrap would be unbounded. A pids cgroup bounds it regardless of user.
Unprivileged users need none of this (their ``RLIMIT_NPROC`` counts per user namespace, i.e. per sandbox).
"""

from __future__ import annotations

import os
import signal
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

CGROUP_ROOT = Path("/sys/fs/cgroup")


def _own_paths() -> dict[str, str]:
    """This process's cgroup path per hierarchy, keyed by controller list ("" for cgroup v2)."""
    paths = {}
    for line in Path("/proc/self/cgroup").read_text().splitlines():
        _, controllers, path = line.split(":", 2)
        paths[controllers] = path
    return paths


@lru_cache(maxsize=1)
def pids_parent() -> Path | None:
    """A directory where this process can create child cgroups with a ``pids.max``, or None."""
    try:
        own = _own_paths()
    except OSError:
        return None
    candidates = [CGROUP_ROOT / c / p.lstrip("/") for c, p in own.items() if "pids" in c.split(",")]  # v1
    if "" in own:  # v2: our own cgroup, if it delegates the pids controller
        candidates.append(CGROUP_ROOT / own[""].lstrip("/"))
    for parent in candidates:
        try:
            with pids_cgroup(8, parent):
                return parent
        except OSError:
            continue
    return None


@contextmanager
def pids_cgroup(max_pids: int, parent: Path | None = None) -> Iterator[Path]:
    """A fresh cgroup allowing ``max_pids`` tasks; on exit its tasks are killed and it is removed."""
    parent = parent or pids_parent()
    if parent is None:
        raise OSError("no pids cgroup can be created here")
    group = parent / f"synthagent-sandbox-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    group.mkdir()
    try:
        (group / "pids.max").write_text(str(max_pids))
        yield group
    finally:
        _remove(group)


def kill_all(group: Path) -> None:
    """SIGKILL every task in ``group``, whatever session or namespace it moved to."""
    try:
        pids = (group / "cgroup.procs").read_text().split()
    except OSError:
        return
    for pid in pids:
        try:
            os.kill(int(pid), signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


def _remove(group: Path, timeout: float = 2.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        kill_all(group)
        try:
            group.rmdir()
            return
        except FileNotFoundError:
            return
        except OSError:
            if time.monotonic() > deadline:
                return  # left behind empty-ish; harmless, and named so it can be found
            time.sleep(0.01)


def enter_command(group: Path, cmd: list[str]) -> list[str]:
    """``cmd`` wrapped so that it joins ``group`` before it starts (its children are born inside)."""
    return ["/bin/sh", "-c", 'echo $$ > "$0/cgroup.procs" && exec "$@"', str(group), *cmd]
