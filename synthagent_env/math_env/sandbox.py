"""The math env's ``python`` tool: each program runs in a fresh, limited process with no network.

Each program runs in a fresh process in an empty temporary directory with a wall-clock timeout (the whole
process group is killed), CPU/memory/file-size limits, a clean environment and output cut at 4,096 characters.
Network: when unprivileged user namespaces work, the program runs under ``unshare -rn`` (a new network
namespace with no interfaces: no network at all, loopback included). Otherwise, and in any case, a Python
audit hook refuses sockets, starting processes, loading native libraries through ctypes and writing or
deleting files outside the temporary directory. What it does NOT protect against: reading any file the user
running the env can read (and printing it into the transcript), a determined program that escapes the audit
hook through C extensions where the namespace is unavailable, or CPU/memory use up to the limits. For
untrusted models at scale, run the env inside a container or VM without network.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from functools import lru_cache
from pathlib import Path

from ..task import ToolSpec
from ..text_env import MAX_TOOL_OUTPUT_CHARS

PYTHON_TOOL = ToolSpec(
    name="python",
    description="Run a Python 3 program and get back what it prints (stdout and stderr). Each call is a fresh "
                "process: nothing persists between calls. numpy and sympy are available; there is no network.",
    parameters={"type": "object", "properties": {"code": {"type": "string", "description": "The program."}},
                "required": ["code"], "additionalProperties": False},
    output_description="The program's printed output, its error traceback, or a timeout notice.",
)

_PREAMBLE = r'''
import os, resource, signal, sys
for limit, value in ((resource.RLIMIT_AS, {memory}), (resource.RLIMIT_CPU, {cpu}), (resource.RLIMIT_FSIZE, {fsize}),
                     (resource.RLIMIT_CORE, 0)):
    resource.setrlimit(limit, (value, value))
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
import ctypes, _posixsubprocess  # loaded before the hook; loading more native code afterwards is refused
def _refuse(*args, **kwargs):
    raise PermissionError("starting processes is not allowed here")
_posixsubprocess.fork_exec = _refuse
_HERE = os.path.realpath(os.getcwd()) + os.sep
_BLOCKED = ("socket.", "subprocess.", "os.system", "os.exec", "os.posix_spawn", "os.fork", "os.forkpty", "os.kill",
            "os.killpg", "pty.", "ctypes.dlopen", "ctypes.dlsym", "ctypes.call_function", "webbrowser.")
_PATHS = ("os.remove", "os.rename", "os.rmdir", "os.mkdir", "os.chmod", "os.chown", "os.truncate", "os.link",
          "os.symlink", "os.utime", "shutil.")
_WRITE = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
def _inside(path):
    return not isinstance(path, (str, bytes, os.PathLike)) or os.path.realpath(os.fsdecode(path)).startswith(_HERE)
def _hook(event, args):
    if event.startswith(_BLOCKED):
        raise PermissionError(f"{{event}} is not allowed here")
    if event == "open":
        path, mode, flags = args
        if isinstance(mode, str):
            writing = any(c in mode for c in "wax+")
        else:
            writing = bool(isinstance(flags, int) and flags & _WRITE)
        if writing and not _inside(path):
            raise PermissionError(f"writing outside the working directory is not allowed: {{path}}")
    elif event.startswith(_PATHS) and not all(_inside(a) for a in args if isinstance(a, (str, bytes, os.PathLike))):
        raise PermissionError(f"{{event}} outside the working directory is not allowed")
with open("main.py", encoding="utf-8") as _fh:
    _code = compile(_fh.read(), "main.py", "exec")
sys.addaudithook(_hook)
try:
    exec(_code, {{"__name__": "__main__"}})
except SystemExit:
    raise
except BaseException:
    import traceback
    _type, _value, _tb = sys.exc_info()
    traceback.print_exception(_type, _value, _tb.tb_next)
    sys.exit(1)
'''


@lru_cache(maxsize=1)
def network_namespace_prefix() -> tuple[str, ...]:
    """``("unshare", "-rn")`` if this machine lets us drop the network that way, else ``()``."""
    unshare = shutil.which("unshare")
    if unshare is None:
        return ()
    try:
        ok = subprocess.run([unshare, "-rn", "true"], capture_output=True, timeout=5).returncode == 0
    except (OSError, subprocess.SubprocessError):
        ok = False
    return (unshare, "-rn") if ok else ()


def run_python(code: str, *, timeout: float = 10.0, memory_mb: int = 1024,
               max_chars: int = MAX_TOOL_OUTPUT_CHARS) -> str:
    """Run ``code`` in the sandbox described in the module docstring; return what it printed (cut to ``max_chars``)."""
    with tempfile.TemporaryDirectory(prefix="synthagent-python-") as tmp:
        Path(tmp, "main.py").write_text(code, encoding="utf-8")
        Path(tmp, "_run.py").write_text(_PREAMBLE.format(memory=memory_mb << 20, cpu=max(1, int(timeout) + 1),
                                                         fsize=1 << 20), encoding="utf-8")
        env = {"PATH": "/usr/bin:/bin", "HOME": tmp, "LANG": "C.UTF-8", "OMP_NUM_THREADS": "1", "TMPDIR": tmp}
        cmd = [*network_namespace_prefix(), sys.executable, "-I", "-u", "_run.py"]  # -u: output in order
        with open(Path(tmp, "output.txt"), "wb") as out:
            proc = subprocess.Popen(cmd, cwd=tmp, env=env, stdin=subprocess.DEVNULL, stdout=out,
                                    stderr=subprocess.STDOUT, start_new_session=True)
            try:
                proc.wait(timeout=timeout)
                timed_out = False
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, 9)
                proc.wait()
                timed_out = True
        with open(Path(tmp, "output.txt"), "rb") as fh:
            raw = fh.read(max_chars * 4 + 1)
    text = raw.decode("utf-8", errors="replace")
    notes = []
    if len(text) > max_chars:
        text = text[: max_chars - 200] + "\n...[output truncated]"
    if timed_out:
        notes.append(f"[the program ran longer than {timeout:g} s and was stopped]")
    elif proc.returncode:
        notes.append(f"[exit code {proc.returncode}]")
    return "\n".join(x for x in [text.rstrip("\n"), *notes] if x) or "[no output: print() what you want to see]"
