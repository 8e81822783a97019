"""The Math-v0 python sandbox (bubblewrap): each escape found by the red team (issue 11, findings 3 and 4), run
through the public env API with real processes, must fail; the env survives and the next call works."""

import hashlib
import json
import os
import pickle
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

import gymnasium as gym
import pytest
from helpers import call

import synthagent_env
from synthagent_env.math_env import (
    BUNDLED_MATH_TASKS,
    Limits,
    SandboxUnavailable,
    make_sandbox,
)
from synthagent_env.math_env.bwrap import BubblewrapSandbox


def _bwrap_problem():
    try:
        make_sandbox("bwrap", Limits(timeout=30), modules=())
    except SandboxUnavailable as err:
        return str(err)
    return None


BWRAP_PROBLEM = _bwrap_problem()
REQUIRED = os.environ.get("SYNTHAGENT_REQUIRE_BWRAP") == "1"  # CI sets it: there, a sandbox that cannot run fails
pytestmark = pytest.mark.skipif(BWRAP_PROBLEM is not None and not REQUIRED,
                                reason=f"bubblewrap cannot run here: {BWRAP_PROBLEM}")
PROJECT = Path(synthagent_env.__file__).resolve().parents[1]
TIMEOUT = 4.0


@pytest.fixture(scope="module")
def env():
    env = gym.make("synthagent/Math-v0", python_timeout=TIMEOUT, max_turns=100)
    env.reset(options={"task_id": "math-lcm"})
    yield env
    env.close()


def run(env, code):
    """The tool response to one python call; the episode goes on (a fresh one if the last ended)."""
    if env.unwrapped.episode is None or env.unwrapped.episode.end_reason is not None:
        env.reset(options={"task_id": "math-lcm"})
    _, _, terminated, truncated, info = env.step(call("python", code=code))
    event = info["trajectory"][-1]
    assert event["type"] == "tool_call" and event["source"] == "python", event
    assert not (terminated or truncated)
    return event["response"]


def still_works(env):
    assert run(env, "print(6 * 7)") == "42"


def processes_with(marker):
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if marker in Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace"):
                found.append(int(pid))
        except OSError:
            pass
    return found


# ---- finding 3: the answer key, the project, task data ----

def test_reading_the_answer_key_pays_nothing():
    """Before: 10/10 by importing the task list from inside the sandbox."""
    env = gym.make("synthagent/Math-v0", python_timeout=TIMEOUT)
    code = ("import json\nfrom synthagent_env.math_env.tasks import BUNDLED_MATH_TASKS as T\n"
            "print(json.dumps({t.instruction: t.answer for t in T}))")
    earned = 0.0
    for i, task in enumerate(BUNDLED_MATH_TASKS):
        env.reset(options={"task_index": i})
        response = run(env, code)
        assert "ModuleNotFoundError: No module named 'synthagent_env'" in response
        try:
            guess = json.loads(response)[task.instruction]
        except (ValueError, KeyError):
            guess = "unknown"
        earned += env.step(f"<answer>{guess}</answer>")[1]
    assert earned == 0.0
    env.close()


def test_project_files_and_task_data_are_not_visible(env, tmp_path):
    secret = f"answer-{uuid.uuid4().hex}"
    tasks = tmp_path / "my-tasks.jsonl"
    tasks.write_text(json.dumps({"problem": "What is the secret?", "answer": secret}) + "\n")
    own = gym.make("synthagent/Math-v0", tasks=tasks, python_timeout=30)
    own.reset()
    targets = [str(tasks), str(PROJECT / "synthagent_env/math_env/tasks.py"), str(PROJECT / "README.md"),
               str(Path.home() / ".bashrc"), "/etc/passwd", f"/proc/{os.getpid()}/environ",
               f"/proc/{os.getpid()}/cmdline", f"/proc/{os.getpid()}/cwd/README.md"]
    code = f"""import glob, os
for path in {targets!r}:
    try:
        print("OPENED", path, open(path).read()[:300])
    except OSError as err:
        print("refused", path, type(err).__name__)
needles = ["{secret[:10]}" + "{secret[10:]}", "math_" + "task("]
paths = [p for pattern in ("/proc/*/cwd/*", "/proc/*/root/*", "/proc/*/fd/*") for p in glob.glob(pattern)]
for root, dirs, files in os.walk("/"):
    dirs[:] = [d for d in dirs if root + d != "/proc"]
    paths += [os.path.join(root, f) for f in files if f.endswith((".jsonl", ".sqlite", ".py", ".md"))
              and "/lib/python3" not in root]
    if "synthagent" in root:
        print("FOUND", root)
for path in paths:
    try:
        text = open(path, errors="replace").read(1_000_000)
    except OSError:
        continue
    if any(n in text for n in needles):
        print("FOUND", path)
print("done")
"""
    response = run(own, code)
    assert response.endswith("done") and "OPENED" not in response and "FOUND" not in response, response
    assert secret not in response and response.count("refused") == len(targets)
    own.close()


# ---- finding 4: writing outside, the parent's secrets, network, processes ----

def test_another_envs_mapping_file_cannot_be_read_or_changed(env, tmp_path):
    mapping = tmp_path / "tool-use-mapping.sqlite"
    with sqlite3.connect(mapping) as db:
        db.execute("CREATE TABLE unnamed (key TEXT PRIMARY KEY, value BLOB)")
        db.execute("INSERT INTO unnamed VALUES ('k', 'the stored tool response')")
    before = hashlib.sha256(mapping.read_bytes()).hexdigest(), sorted(os.listdir(tmp_path))
    code = f"""import os, sqlite3
folder, path = {str(tmp_path)!r}, {str(mapping)!r}
def attempt(label, fn):
    try:
        fn()
        print("SUCCEEDED", label)
    except Exception as err:
        print("failed", label, type(err).__name__)
def sql():
    db = sqlite3.connect(path)
    db.execute("UPDATE unnamed SET value = 'poisoned'")
    db.commit()
attempt("sqlite3.connect", sql)
attempt("read", lambda: open(path, "rb").read())
attempt("open dir_fd", lambda: os.open("planted", os.O_CREAT | os.O_WRONLY, dir_fd=os.open(folder, os.O_RDONLY)))
attempt("mkfifo", lambda: os.mkfifo(os.path.join(folder, "fifo")))
open("local.txt", "w").write("x")
attempt("rename dst_dir_fd", lambda: os.rename("local.txt", "moved.txt", dst_dir_fd=os.open(folder, os.O_RDONLY)))
attempt("replace", lambda: os.replace("local.txt", path))
"""
    response = run(env, code)
    assert "SUCCEEDED" not in response and response.count("failed") == 6, response
    assert (hashlib.sha256(mapping.read_bytes()).hexdigest(), sorted(os.listdir(tmp_path))) == before
    still_works(env)


def test_the_parents_environment_is_not_visible(env, monkeypatch):
    secret = f"sk-{uuid.uuid4().hex}"
    monkeypatch.setenv("OPENAI_API_KEY", secret)
    code = """import glob, os
print(dict(os.environ))
for path in [f"/proc/{os.getppid()}/environ", *glob.glob("/proc/*/environ")]:
    try:
        print(path, open(path, "rb").read())
    except OSError as err:
        print(path, type(err).__name__)
"""
    response = run(env, code)
    assert secret not in response and "OPENAI_API_KEY" not in response and "'HOME': '/tmp'" in response
    still_works(env)


def test_no_network_not_even_loopback(env):
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.5)
    port = server.getsockname()[1]
    code = f"""import socket
for address in [("127.0.0.1", {port}), ("1.1.1.1", 80)]:
    try:
        socket.create_connection(address, timeout=2)
        print("CONNECTED", address)
    except OSError as err:
        print("failed", address, type(err).__name__)
"""
    try:
        response = run(env, code)
        with pytest.raises(TimeoutError):
            server.accept()
    finally:
        server.close()
    assert "CONNECTED" not in response and response.count("failed") == 2, response
    still_works(env)


def test_no_shell_and_no_host_programs(env):
    code = """import os, subprocess
print("system", os.system("id"))
try:
    subprocess.run(["/bin/sh", "-c", "id"])
except OSError as err:
    print("refused", type(err).__name__)
"""
    response = run(env, code)
    assert "uid=" not in response and "refused FileNotFoundError" in response, response
    still_works(env)


def test_a_fork_bomb_is_bounded(env):
    limit = env.unwrapped.sandbox.limits.max_processes
    marker = f"bomb-{uuid.uuid4().hex}"
    code = f"""import os, sys, time
started = 0
try:
    while True:
        if os.fork() == 0:
            os.execv(sys.executable, [sys.executable, "-c", "import time; time.sleep(60)", "{marker}"])
        started += 1
except OSError as err:
    print("refused after", started, type(err).__name__)
"""
    began = time.monotonic()
    response = run(env, code)
    assert time.monotonic() - began < TIMEOUT + 5
    assert response.startswith("refused after") and int(response.split()[2]) < limit, response
    assert processes_with(marker) == []
    still_works(env)


def test_signals_do_not_reach_the_env_or_other_processes(env):
    victim = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    try:
        code = f"""import os, signal
for label, target in [("victim", {victim.pid}), ("env", {os.getpid()}), ("parent", os.getppid())]:
    try:
        os.kill(target, signal.SIGKILL)
        print("sent", label, target)
    except OSError as err:
        print("refused", label, type(err).__name__)
os.kill(-1, signal.SIGKILL)
"""
        response = run(env, code)
        assert victim.poll() is None, "a process outside the sandbox was killed"
        assert "sent victim" not in response and "sent env" not in response, response
        assert "[exit code" in response  # kill(-1) took down only the sandbox itself
        still_works(env)
    finally:
        victim.kill()
        victim.wait()


@pytest.mark.parametrize("stays", [True, False], ids=["timeout", "normal-exit"])
def test_a_setsid_grandchild_dies_with_the_call(env, stays):
    marker = f"orphan-{uuid.uuid4().hex}"
    code = f"""import os, sys, time
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        os.execv(sys.executable, [sys.executable, "-c", "import time; time.sleep(60)", "{marker}"])
    os._exit(0)
time.sleep(0.5)
print("spawned", flush=True)
while {stays}:
    pass
"""
    response = run(env, code)
    assert response.startswith("spawned")
    assert ("ran longer than" in response) is stays
    assert processes_with(marker) == []
    still_works(env)


def test_rewriting_main_changes_nothing(env):
    code = f"""import sys
main = sys.modules["__main__"]
for name in list(vars(main)):
    if not name.startswith("__"):
        setattr(main, name, None)
main._cfg = {{"rlimits": {{}}, "path": ["/"]}}
import resource
try:
    resource.setrlimit(resource.RLIMIT_NPROC, (10_000, 10_000))
    print("RAISED")
except (ValueError, OSError) as err:
    print("limit kept", type(err).__name__)
try:
    print(open({str(PROJECT / 'README.md')!r}).read()[:100])
except OSError as err:
    print("refused", type(err).__name__)
"""
    response = run(env, code)
    assert "limit kept" in response and "refused FileNotFoundError" in response and "RAISED" not in response
    still_works(env)


@pytest.mark.parametrize("code, needle", [
    ("b = bytearray(2 * 1024 ** 3)", "MemoryError"),
    ("open('big', 'wb').write(b'x' * (64 << 20))", "OSError"),
    ("fs = [open(f'f{i}', 'w') for i in range(200)]", "Too many open files"),
    ("while True: pass", "ran longer than"),
])
def test_resource_limits(env, code, needle):
    assert needle in run(env, code)
    still_works(env)


def test_the_sandbox_pickles_and_runs_after_unpickling():
    sandbox = make_sandbox("bwrap", Limits(timeout=TIMEOUT), modules=())
    copy = pickle.loads(pickle.dumps(sandbox))
    assert isinstance(copy, BubblewrapSandbox) and copy == sandbox
    assert copy.run("print('hi')").output == "hi\n"


def test_a_killed_env_takes_its_sandboxes_with_it(tmp_path):
    """--die-with-parent: SIGKILL the process that runs the env mid-call; the program must not live on."""
    marker = f"parentless-{uuid.uuid4().hex}"
    script = f"""
import sys
sys.path.insert(0, {str(PROJECT / 'tests')!r})
from synthagent_env.math_env import Limits, make_sandbox
print("ready", flush=True)
make_sandbox("bwrap", Limits(timeout=60), modules=()).run(
    "import os, sys\\nos.execv(sys.executable, [sys.executable, '-c', 'import time; time.sleep(60)', "
    "'{marker[:9]}' + '{marker[9:]}'])")
"""
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "ready"
    deadline = time.monotonic() + 20
    while not processes_with(marker) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert processes_with(marker), "the sandboxed program never started"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 5
    while processes_with(marker) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert processes_with(marker) == []


def test_only_the_size_limited_scratch_space_is_writable(env):
    code = """import os
for folder in ["/", "/dev", "/usr/lib", "/.sandbox/python", os.path.dirname(os.__file__), "/tmp", "/dev/shm"]:
    try:
        open(os.path.join(folder, "probe"), "w").write("x")
        print("writable", folder)
    except OSError as err:
        print("refused", folder, err.strerror)
written = 0
try:
    for i in range(100):  # 15 MiB files, under the file-size limit, until the tmpfs is full
        with open(f"/tmp/fill{i}", "wb") as fh:
            fh.write(b"x" * (15 << 20))
        written += 15
except OSError as err:
    print("full after", written, "MiB", err.strerror)
"""
    response = run(env, code)
    lines = response.splitlines()
    assert [line.split()[0] for line in lines[:7]] == ["refused"] * 5 + ["writable"] * 2, response
    assert lines[7].startswith("full after") and int(lines[7].split()[2]) <= 64, response
    still_works(env)


def test_the_tool_promises_only_packages_that_import_inside():
    assert make_sandbox("bwrap", Limits(timeout=30), modules=("sympy", "mpmath")).modules() == ("sympy", "mpmath")
    assert make_sandbox("bwrap", Limits(timeout=30), modules=("sympy",)).modules() == ()  # mpmath not mounted


UNPRIVILEGED_CHECK = r'''
import json, os, sys, time, uuid
sys.path.insert(0, sys.argv[1])
from math_env_copy.bwrap import BubblewrapSandbox
from math_env_copy.sandbox import Limits

def alive(marker):
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            found += [pid] if marker in open(f"/proc/{pid}/cmdline", "rb").read().decode(errors="replace") else []
        except OSError:
            pass
    return found

sandbox = BubblewrapSandbox(Limits(timeout=3), ())
bomb = "import os, time\nn = 0\ntry:\n    while True:\n        if os.fork() == 0:\n            time.sleep(20)\n            os._exit(0)\n        n += 1\nexcept OSError:\n    print(n)\n"
marker = "orphan" + uuid.uuid4().hex
orphan = ("import os, sys, time\nif os.fork() == 0:\n    os.setsid()\n    if os.fork() == 0:\n"
          f"        os.execv(sys.executable, [sys.executable, '-c', 'import time; time.sleep(60)', '{marker}'])\n"
          "    os._exit(0)\ntime.sleep(0.5)\nwhile True:\n    pass\n")
result = sandbox.run(orphan)
orphans = alive(marker)  # right after the call returned
print(json.dumps({"uid": os.getuid(), "forked": sandbox.run(bomb).output.strip(), "orphan_timed_out": result.timed_out,
                  "orphans": orphans, "root_fs": sandbox.run("open('/x', 'w')").output.strip().splitlines()[-1]}))
'''


@pytest.mark.skipif(os.geteuid() != 0 or not Path("/usr/bin/setpriv").exists() or not Path("/usr/bin/python3").exists(),
                    reason="checks the unprivileged path from root (setpriv, the system python); CI runs unprivileged")
def test_the_unprivileged_path_bounds_processes_and_kills_orphans(tmp_path):
    """Run as root here, the tests above use the root path (a pids cgroup); this runs the same sandbox code as an
    unprivileged user (RLIMIT_NPROC per user namespace, no cgroup), with the system interpreter it can read."""
    import shutil
    import tempfile

    root = Path(tempfile.mkdtemp(prefix="synthagent-unprivileged-"))
    try:
        package = root / "math_env_copy"
        package.mkdir()
        for name in ("__init__.py", "sandbox.py", "bwrap.py", "cgroup.py"):
            source = Path(synthagent_env.__file__).parent / "math_env" / name
            (package / name).write_text("" if name == "__init__.py" else source.read_text())
        os.chmod(root, 0o755)
        out = subprocess.run(["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                              "/usr/bin/python3", "-c", UNPRIVILEGED_CHECK, str(root)],
                             capture_output=True, text=True, timeout=120, check=False)
    finally:
        shutil.rmtree(root)
    assert out.returncode == 0, out.stderr[-2000:]
    report = json.loads(out.stdout.strip().splitlines()[-1])
    limit = Limits().max_processes
    assert report["uid"] == 65534 and int(report["forked"]) < limit
    assert report["orphan_timed_out"] is True and report["orphans"] == []
    assert "Read-only file system" in report["root_fs"]


def test_concurrent_calls_from_threads_stay_separate():
    """The eval loop steps envs from threads: each call gets its own namespaces, tmpfs and (as root) cgroup."""
    from concurrent.futures import ThreadPoolExecutor

    from synthagent_env.math_env import cgroup

    sandbox = make_sandbox("bwrap", Limits(timeout=30), modules=())
    code = "import os, sys\nopen('mine', 'w').write(sys.argv[0])\nprint(sorted(os.listdir('.')), os.getpid())"
    with ThreadPoolExecutor(6) as pool:
        results = list(pool.map(lambda _: sandbox.run(code), range(12)))
    assert all(r.exit_code == 0 and r.output.startswith("['main.py', 'mine'] 2") for r in results), results
    parent = cgroup.pids_parent() if os.geteuid() == 0 else None
    if parent is not None:
        assert not [p for p in parent.iterdir() if p.name.startswith(f"synthagent-sandbox-{os.getpid()}-")]
