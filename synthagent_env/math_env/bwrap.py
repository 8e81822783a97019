"""``BubblewrapSandbox``: each program in fresh namespaces on a minimal read-only filesystem (Debian's ``bwrap``).

What the program sees: the interpreter the env runs under, its standard library (every ``site-packages`` or
``dist-packages`` inside it hidden under an empty mount), the system's shared libraries (``/usr/lib``,
``/usr/lib64``), the allow-listed packages under ``/.sandbox/python``, a new ``/proc`` of its own PID namespace,
a minimal ``/dev``, and a private tmpfs at ``/tmp`` (its working directory, holding ``main.py``). Nothing else of
the host: no project, task data, home, mapping files or host ``/proc``. See ``sandbox`` for the threat model.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import signal
import site
import sys
import sysconfig
import tempfile
from contextlib import ExitStack
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from . import cgroup
from .sandbox import (
    BWRAP,
    DEFAULT_MODULES,
    Limits,
    RunResult,
    Sandbox,
    SandboxUnavailable,
    boot_command,
    run_command,
)

PACKAGES_DIR = "/.sandbox/python"
SHM_MB = 16  # /dev/shm, for multiprocessing's semaphores
SYSTEM_LIB_DIRS = ("/usr/lib", "/usr/lib64", "/lib", "/lib64", "/usr/lib32", "/lib32")
INSTALL_HINT = "install bubblewrap (Debian/Ubuntu: apt-get install bubblewrap)"
UNSAFE_HINT = ('or, only for trusted code, pass sandbox="unsafe-subprocess" (no isolation; see docs/math.md)')
FIX = ("bubblewrap needs unprivileged user namespaces (sysctl user.max_user_namespaces > 0; on Ubuntu 24.04 "
       "also kernel.apparmor_restrict_unprivileged_userns=0 or an AppArmor profile for bwrap; in Docker, a seccomp "
       "profile that allows them), " + UNSAFE_HINT)
NAMESPACES = ("--unshare-user", "--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts",
              "--unshare-cgroup-try", "--disable-userns", "--die-with-parent", "--new-session")
ENV = {"HOME": "/tmp", "TMPDIR": "/tmp", "LANG": "C.UTF-8", "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1",
       "MKL_NUM_THREADS": "1"}


def _under(path: str, roots: list[str]) -> bool:
    return any(path == r or path.startswith(r.rstrip("/") + "/") for r in roots)


def _package_binds(modules: tuple[str, ...]) -> list[tuple[str, str]]:
    """(host path, sandbox path) for each allow-listed top-level module found, plus its wheel's ``NAME.libs``."""
    binds = []
    for name in modules:
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError):
            continue
        if spec is None or spec.origin in (None, "built-in", "frozen"):
            continue
        if spec.submodule_search_locations:
            src = os.path.realpath(next(iter(spec.submodule_search_locations)))
            binds.append((src, f"{PACKAGES_DIR}/{name}"))
            libs = f"{src}.libs"
            if os.path.isdir(libs):
                binds.append((libs, f"{PACKAGES_DIR}/{name}.libs"))
        else:
            src = os.path.realpath(spec.origin)
            binds.append((src, f"{PACKAGES_DIR}/{os.path.basename(src)}"))
    return binds


@lru_cache(maxsize=8)
def filesystem(modules: tuple[str, ...]) -> tuple[str, tuple[str, ...]]:
    """(interpreter path, bwrap arguments building the sandbox's filesystem)."""
    python = os.path.realpath(sys.executable)
    args: list[str] = []
    bound: list[str] = []
    for path in SYSTEM_LIB_DIRS:
        if os.path.islink(path):
            args += ["--symlink", os.readlink(path), path]
        elif os.path.isdir(path):
            args += ["--ro-bind", path, path]
            bound.append(path)
    stdlib = {os.path.realpath(os.path.dirname(os.__file__))}  # the base interpreter's, also from a venv
    dynload = sysconfig.get_config_var("DESTSHARED")
    if dynload and os.path.isdir(dynload):
        stdlib.add(os.path.realpath(dynload))
    files = {python}
    if sysconfig.get_config_var("Py_ENABLE_SHARED"):
        libdir, soname = sysconfig.get_config_var("LIBDIR"), sysconfig.get_config_var("INSTSONAME")
        if libdir and soname and os.path.exists(os.path.join(libdir, soname)):
            files.add(os.path.realpath(os.path.join(libdir, soname)))
    for path in sorted(stdlib | files):
        if not _under(path, bound):
            args += ["--ro-bind", path, path]
            bound.append(path)
    hidden = {os.path.join(d, sub) for d in stdlib for sub in ("site-packages", "dist-packages")}
    hidden |= {os.path.realpath(p) for p in [*site.getsitepackages(), site.getusersitepackages(), *sys.path]
               if p.endswith(("site-packages", "dist-packages"))}
    hidden.add("/usr/lib/python3/dist-packages")
    for path in sorted(hidden):
        if os.path.isdir(path) and _under(path, bound):
            args += ["--tmpfs", path, "--remount-ro", path]
    for src, dst in _package_binds(modules):
        args += ["--ro-bind", src, dst]
    args += ["--proc", "/proc", "--dev", "/dev", "--chdir", "/tmp", "--clearenv"]
    for key, value in ENV.items():
        args += ["--setenv", key, value]
    return python, tuple(args)


def _check_host() -> str | None:
    """Why bubblewrap cannot be used here (before trying it), or None."""
    if shutil.which("bwrap") is None:
        return f"bubblewrap (bwrap) is not installed: {INSTALL_HINT}"
    if os.geteuid() == 0 and cgroup.pids_parent() is None:
        return ("the env runs as root, where the kernel does not apply the process limit (RLIMIT_NPROC), and no "
                "pids cgroup can be created to bound a fork bomb: run the env as an unprivileged user")
    return None


@dataclass(frozen=True)
class BubblewrapSandbox(Sandbox):
    limits: Limits = field(default_factory=Limits)
    requested_modules: tuple[str, ...] = DEFAULT_MODULES
    kind: str = field(default=BWRAP)
    fix: str = field(default=FIX, repr=False)

    def __post_init__(self) -> None:
        problem = _check_host()
        if problem is not None:
            raise SandboxUnavailable(f"the python tool's sandbox is unavailable: {problem}; {UNSAFE_HINT}")

    def __setstate__(self, state: dict[str, Any]) -> None:
        for key, value in state.items():
            object.__setattr__(self, key, value)
        self.__post_init__()  # unpickled on another machine: refuse there too, not at the first call

    def command(self, source_fd: int, info_fd: int) -> list[str]:
        """The bwrap command line: ``main.py`` is copied from ``source_fd``; bwrap reports its PID 1 on ``info_fd``."""
        python, fs = filesystem(self.requested_modules)
        # the working tmpfs first: binds below may lie under /tmp and then sit on top of it
        tmp = ["--perms", "1777", "--size", str(self.limits.tmpfs_mb << 20), "--tmpfs", "/tmp"]
        shm = ["--perms", "1777", "--size", str(SHM_MB << 20), "--tmpfs", "/dev/shm"]
        # the rest read-only: bwrap's own root and /dev are tmpfs without a size limit
        sealed = ["--remount-ro", "/dev", "--remount-ro", "/"]
        # RLIMIT_NPROC counts per user namespace: the program's processes plus bwrap's PID 1
        boot = boot_command(python, self.limits.rlimits(nproc=self.limits.max_processes + 1), [PACKAGES_DIR],
                            ("-I", "-S", "-B"))
        return [shutil.which("bwrap") or "bwrap", "--info-fd", str(info_fd), *NAMESPACES, *tmp, *fs, *shm,
                "--file", str(source_fd), "/tmp/main.py", *sealed, "--", *boot]

    def run(self, code: str) -> RunResult:
        with ExitStack() as stack:
            source = stack.enter_context(tempfile.TemporaryFile())
            source.write(code.encode("utf-8", errors="replace"))  # a lone surrogate is the program's error
            source.seek(0)
            info_r, info_w = os.pipe()
            stack.callback(os.close, info_r)
            stack.callback(os.close, info_w)
            cmd = self.command(source.fileno(), info_w)
            group = None
            if os.geteuid() == 0:  # the program's processes plus bwrap and its PID 1
                group = stack.enter_context(cgroup.pids_cgroup(self.limits.max_processes + 2))
                cmd = cgroup.enter_command(group, cmd)

            def kill() -> None:
                _kill_namespace(info_r)
                if group is not None:
                    cgroup.kill_all(group)

            return run_command(cmd, self.limits, pass_fds=(source.fileno(), info_w), kill=kill)


def _kill_namespace(info_fd: int) -> None:
    """SIGKILL the sandbox's PID 1: the kernel then kills every process in its PID namespace, and bwrap exits
    only once they are all gone (a ``setsid`` or double-forked grandchild included)."""
    os.set_blocking(info_fd, False)
    try:
        pid = int(json.loads(os.read(info_fd, 4096))["child-pid"])
        os.kill(pid, signal.SIGKILL)
    except (OSError, ValueError, KeyError, TypeError):
        pass  # not started yet: killing bwrap's process group is enough (--die-with-parent)
