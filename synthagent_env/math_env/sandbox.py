"""Running an untrusted Python program: the interface, its limits, and the explicitly unsafe fallback.

Threat model. The program comes from a policy under RL, which will use anything that pays: reading the answer
key, the project's files, the task data or other envs' mapping files; the parent's environment variables (API
keys); the network; signalling or outliving the env process; exhausting the machine. A check inside the
interpreter (an audit hook) is no boundary, since the program controls the interpreter. The boundary is the
operating system: ``BubblewrapSandbox`` (``bwrap.py``) runs each program in new user, PID, network, IPC, UTS and
mount namespaces, on a read-only filesystem that holds only the Python runtime, its shared libraries and the
allow-listed packages, with a private size-limited tmpfs as working directory, an empty environment, rlimits set
before the program starts, and a wall-clock limit after which every process it started is killed.
What is left: CPU and memory use up to the limits, whatever the kernel exposes to an unprivileged process
(kernel bugs; ``/proc/cpuinfo``), and the program's own output, which goes into the transcript.

``UnsafeSubprocess`` is a plain child process with the same limits and a temporary directory. It is NOT a
security boundary (it reads every file the env's user can read, reaches the network, and a ``setsid``
grandchild survives it): for trusted code, or machines where the whole env already runs in a throwaway VM.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

DEFAULT_MODULES = ("numpy", "sympy", "mpmath")
BWRAP, UNSAFE = "bwrap", "unsafe-subprocess"
KILL_GRACE_S = 5.0


class SandboxUnavailable(RuntimeError):
    """The requested isolation cannot be had on this machine; the message says why and what to do."""


@dataclass(frozen=True)
class Limits:
    """What one program may use. ``timeout`` is wall-clock seconds; the rest are rlimits set inside."""

    timeout: float = 10.0
    memory_mb: int = 1024
    max_processes: int = 32  # the program's processes and threads, itself included
    file_size_mb: int = 16
    open_files: int = 64
    tmpfs_mb: int = 64
    max_output_bytes: int = 1 << 16

    def rlimits(self, nproc: int | None = None) -> dict[str, int]:
        """The rlimits to set; ``RLIMIT_NPROC`` only where it counts the sandbox's own processes (see ``bwrap``)."""
        limits = {"RLIMIT_AS": self.memory_mb << 20, "RLIMIT_CPU": int(self.timeout) + 1,
                  "RLIMIT_FSIZE": self.file_size_mb << 20, "RLIMIT_NOFILE": self.open_files, "RLIMIT_CORE": 0}
        return limits if nproc is None else {**limits, "RLIMIT_NPROC": nproc}


@dataclass(frozen=True)
class RunResult:
    output: str  # stdout and stderr together, in order, cut to ``Limits.max_output_bytes``
    exit_code: int | None  # None when the program was stopped at the time limit
    timed_out: bool


# Runs first in the sandboxed interpreter (``python -c BOOT CONFIG``): limits that the program cannot raise
# (hard = soft), the allow-listed packages on sys.path, then main.py as __main__ with its own traceback.
BOOT = r"""
import json, resource, signal, sys, traceback
_cfg = json.loads(sys.argv[1])
for _name, _value in _cfg["rlimits"].items():
    resource.setrlimit(getattr(resource, _name), (_value, _value))
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
sys.path[:0] = _cfg["path"]
sys.argv = ["main.py"]
with open("main.py", encoding="utf-8") as _fh:
    _src = _fh.read()
try:
    exec(compile(_src, "main.py", "exec"), {"__name__": "__main__", "__file__": "main.py", "__builtins__": __builtins__})
except SystemExit:
    raise
except BaseException:
    _type, _value, _tb = sys.exc_info()
    traceback.print_exception(_type, _value, _tb.tb_next)
    sys.exit(1)
"""


def boot_command(python: str, rlimits: dict[str, int], path: list[str], flags: tuple[str, ...]) -> list[str]:
    return [python, *flags, "-u", "-c", BOOT, json.dumps({"rlimits": rlimits, "path": path})]


def run_command(cmd: list[str], limits: Limits, *, cwd: str | None = None, env: dict[str, str] | None = None,
                pass_fds: tuple[int, ...] = (), kill: Callable[[], None] | None = None) -> RunResult:
    """Run ``cmd`` in its own session; at the time limit call ``kill()`` (if given) and give ``cmd`` a moment to
    exit by itself, then kill its process group and wait for it."""
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen(cmd, cwd=cwd, env=env if env is not None else {}, stdin=subprocess.DEVNULL,
                                stdout=out, stderr=subprocess.STDOUT, pass_fds=pass_fds, start_new_session=True)
        try:
            code: int | None = proc.wait(timeout=limits.timeout)
        except subprocess.TimeoutExpired:
            code = None
            if kill is not None:
                kill()
                try:  # let the command finish its own way (bwrap exits once its namespace is empty)
                    proc.wait(timeout=KILL_GRACE_S)
                except subprocess.TimeoutExpired:
                    pass
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.wait()
        out.seek(0)
        raw = out.read(limits.max_output_bytes)
    return RunResult(raw.decode("utf-8", errors="replace"), code, code is None)


class Sandbox(ABC):
    """Runs one Python program per call: ``run(code)``; ``modules()`` says which packages it can import."""

    kind: str
    limits: Limits
    requested_modules: tuple[str, ...]
    fix: str = "see docs/math.md"  # what to do when it cannot run here

    @abstractmethod
    def run(self, code: str) -> RunResult: ...

    def modules(self) -> tuple[str, ...]:
        """The requested packages that import inside (asked once per process and configuration)."""
        return _importable(self)


@lru_cache(maxsize=16)
def _importable(sandbox: Sandbox) -> tuple[str, ...]:
    probe = (f"import importlib, json\nok = []\nfor m in {list(sandbox.requested_modules)!r}:\n    try:\n"
             "        importlib.import_module(m)\n        ok.append(m)\n    except Exception:\n        pass\n"
             "print(json.dumps(ok))")
    result = sandbox.run(probe)
    try:
        return tuple(json.loads(result.output.strip().splitlines()[-1]))
    except (ValueError, IndexError):
        raise SandboxUnavailable(f"the {sandbox.kind} sandbox could not run Python here: "
                                 f"{result.output.strip()[-1000:]!r}; {sandbox.fix}") from None


@dataclass(frozen=True)
class UnsafeSubprocess(Sandbox):
    """A plain child process: limits and a temporary directory, but NO isolation (see the module docstring)."""

    limits: Limits = field(default_factory=Limits)
    requested_modules: tuple[str, ...] = DEFAULT_MODULES
    kind: str = UNSAFE

    def run(self, code: str) -> RunResult:
        with tempfile.TemporaryDirectory(prefix="synthagent-python-") as tmp:
            Path(tmp, "main.py").write_bytes(code.encode("utf-8", errors="replace"))
            env = {"HOME": tmp, "TMPDIR": tmp, "LANG": "C.UTF-8", "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
            cmd = boot_command(sys.executable, self.limits.rlimits(), [], ("-I",))
            return run_command(cmd, self.limits, cwd=tmp, env=env)


def make_sandbox(kind: str | Sandbox = BWRAP, limits: Limits | None = None,
                 modules: tuple[str, ...] = DEFAULT_MODULES) -> Sandbox:
    """A sandbox by name (``"bwrap"`` or ``"unsafe-subprocess"``), checked to work here; raises
    ``SandboxUnavailable`` with the reason and the fix when isolation cannot be had."""
    if isinstance(kind, Sandbox):
        return kind
    limits = limits or Limits()
    if kind == BWRAP:
        from .bwrap import BubblewrapSandbox

        sandbox: Sandbox = BubblewrapSandbox(limits, tuple(modules))
    elif kind == UNSAFE:
        sandbox = UnsafeSubprocess(limits, tuple(modules))
    else:
        raise ValueError(f"unknown sandbox {kind!r}: use {BWRAP!r} (isolated) or {UNSAFE!r} (no isolation)")
    sandbox.modules()  # starts one program: fails here, not at the first tool call
    return sandbox

