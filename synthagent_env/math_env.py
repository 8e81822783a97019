"""``synthagent/Math-v0``: reasoning tasks with a verifiable final answer, checked by math-verify.

A math task is a ``Task`` with ``kind="math"``, the problem as ``instruction`` and the reference answer in
``answer``. Actions and ``info`` follow ``ToolUse-v0`` exactly (same parser, same keys, ``reward_details`` in the
same shape): the agent may call a ``python`` tool and finishes with ``<answer>...</answer>``; reward is 1 if
math-verify finds the answer equal to the reference, else 0. There is no user: plain text gets a reminder.

The python tool runs each program in a fresh process in an empty temporary directory with a wall-clock
timeout (the whole process group is killed), CPU/memory/file-size limits, a clean environment and output cut
at 4,096 characters. Network: when unprivileged user namespaces work, the program runs under ``unshare -rn``
(a new network namespace with no interfaces: no network at all, loopback included). Otherwise, and in any
case, a Python audit hook refuses sockets, starting processes, loading native libraries through ctypes and
writing or deleting files outside the temporary directory. What it does NOT protect against: reading any
file the user running the env can read (and printing it into the transcript), a determined program that
escapes the audit hook through C extensions where the namespace is unavailable, or CPU/memory use up to
the limits. For untrusted models at scale, run the env inside a container or VM without network.

math-verify is imported lazily (``import synthagent_env`` stays light). Its own time limit uses SIGALRM,
which only works in the main thread; when the env is stepped from another thread (the benchmark loop does),
answers are checked in a small worker process that is killed and restarted if a check hangs.
"""

from __future__ import annotations

import hashlib
import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any, SupportsFloat

import gymnasium as gym

from .env import MAX_CALLS_PER_TURN, MAX_TOOL_OUTPUT_CHARS, STAT_KEYS
from .parsing import ParsedCall, parse_action
from .prompts import render_message, tools_block
from .spaces import UnicodeText
from .task import Task, ToolSpec

MAX_ANSWER_CHARS = 1000
MATH_PERSONA = "A student working through math problems."
PYTHON_TOOL = ToolSpec(
    name="python",
    description="Run a Python 3 program and get back what it prints (stdout and stderr). Each call is a fresh "
                "process: nothing persists between calls. numpy and sympy are available; there is no network.",
    parameters={"type": "object", "properties": {"code": {"type": "string", "description": "The program."}},
                "required": ["code"], "additionalProperties": False},
    output_description="The program's printed output, its error traceback, or a timeout notice.",
)
SYSTEM_PROMPT = """You solve math problems. Reason step by step.{tool}
When you are done, give only the final result (a number, an expression or LaTeX) as <answer>...</answer>;
that ends the episode."""
TOOL_LINE = """
You can run Python to calculate: <tool_call>{"name": "python", "arguments": {"code": "print(2**10)"}}</tool_call>
Its output is what the program prints."""
NO_USER = "[environment] There is no user here: call the python tool or give your final answer as <answer>...</answer>."


# ---- the python tool ----

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


# ---- checking answers ----


def _parse_math(text: str, timeout: int | None) -> list[Any]:
    from math_verify import parse

    text = text.strip()
    if not text or len(text) > MAX_ANSWER_CHARS:
        return []
    tries = [text] if ("$" in text or "\\boxed" in text) else [f"${text}$", text]  # bare LaTeX parses best in $...$
    for attempt in tries:
        parsed = parse(attempt, parsing_timeout=timeout)
        if parsed:
            return parsed
    return []


def verify_answer(gold: str, given: str, timeout: int | None = 5) -> tuple[bool, str]:
    """``(correct, reason)`` by math-verify; ``timeout=None`` only off the main thread (see ``AnswerChecker``)."""
    from math_verify import verify

    expected, got = _parse_math(gold, timeout), _parse_math(given, timeout)
    if not expected:
        return False, f"the reference answer {gold!r} could not be parsed"
    if not got:
        return False, f"the answer {given[:200]!r} could not be read as math"
    if verify(expected, got, timeout_seconds=timeout):
        return True, f"{got[-1]} equals the reference {expected[-1]}"
    return False, f"{got[-1]} is not the reference {expected[-1]}"


def _serve_checks() -> None:
    """The worker process: one JSON ``[gold, given, timeout]`` per line in, ``[correct, reason]`` out."""
    for line in sys.stdin:
        gold, given, timeout = json.loads(line)
        try:
            result = verify_answer(gold, given, timeout)
        except Exception as err:  # noqa: BLE001  (a verdict, never a dead worker)
            result = (False, f"the check failed: {type(err).__name__}")
        print(json.dumps(result), flush=True)


class AnswerChecker:
    """math-verify with a hard time limit in any thread: in-process on the main thread, else in a worker."""

    def __init__(self, timeout: int = 5):
        self.timeout = timeout
        self._worker: subprocess.Popen | None = None
        self._lock = threading.Lock()

    def check(self, gold: str, given: str) -> tuple[bool, str]:
        if threading.current_thread() is threading.main_thread():
            return verify_answer(gold, given, self.timeout)
        with self._lock:
            return self._in_worker(gold, given)

    def _in_worker(self, gold: str, given: str) -> tuple[bool, str]:
        if self._worker is None or self._worker.poll() is not None:
            root = str(Path(__file__).resolve().parents[1])
            env = {**os.environ, "PYTHONPATH": os.pathsep.join([root, os.environ.get("PYTHONPATH", "")])}
            self._worker = subprocess.Popen(
                [sys.executable, "-c", "from synthagent_env.math_env import _serve_checks; _serve_checks()"],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env)
        worker = self._worker
        assert worker.stdin is not None and worker.stdout is not None
        worker.stdin.write(json.dumps([gold, given, self.timeout]) + "\n")
        worker.stdin.flush()
        # two parses and a comparison, each with its own limit, plus the worker's start-up (imports)
        ready, _, _ = select.select([worker.stdout], [], [], 3 * self.timeout + 30)
        line = worker.stdout.readline() if ready else ""
        if not line:
            self.close()
            return False, "the answer check did not finish in time"
        correct, reason = json.loads(line)
        return bool(correct), str(reason)

    def close(self) -> None:
        if self._worker is not None:
            self._worker.kill()
            self._worker.wait()
            self._worker = None


# ---- tasks ----


def math_task(problem: str, answer: Any, *, id: str | None = None, source: str | None = None) -> Task:
    """A math task from a problem and its reference answer (e.g. a row of a math dataset)."""
    return Task(id=id or "math-" + hashlib.sha1(problem.encode()).hexdigest()[:10], kind="math", domain="math",
                persona=MATH_PERSONA, instruction=problem, answer=str(answer),
                reference_solution=[{"kind": "answer", "content": str(answer)}],  # so OracleAgent plays math too
                metadata={"source": source} if source else {})


BUNDLED_MATH_TASKS = [
    math_task("What is the sum of all positive divisors of 360?", "1170", id="math-divisor-sum-360"),
    math_task(r"Compute $\frac{1}{2} + \frac{1}{3} + \frac{1}{6} + \frac{1}{12}$.", r"\frac{13}{12}",
              id="math-fraction-sum"),
    math_task("How many positive integers less than 1000 are divisible by 7 but not by 11?", "130",
              id="math-divisible-7-not-11"),
    math_task("Find the remainder when $2^{100}$ is divided by 13.", "3", id="math-power-mod-13"),
    math_task("Solve for $x$: $3x - 7 = 2x + 5$.", "12", id="math-linear-equation"),
    math_task("A right triangle has hypotenuse 10 and one leg 6. What is its area?", "24",
              id="math-right-triangle-area"),
    math_task(r"Simplify $\sqrt{50} - \sqrt{8}$.", r"3\sqrt{2}", id="math-radicals"),
    math_task("In how many ways can 5 different books be arranged on a shelf if two particular books must be "
              "next to each other?", "48", id="math-books-adjacent"),
    math_task("What is the probability of rolling a sum of 7 with two fair six-sided dice? Express your answer as "
              "a common fraction.", r"\frac{1}{6}", id="math-dice-seven"),
    math_task("Find the least common multiple of 84 and 120.", "840", id="math-lcm"),
]


def load_math_tasks(source: str | Path | Iterable[Task | dict] | None = None) -> list[Task]:
    """Math tasks from a JSONL path or an iterable: ``Task`` dicts, or rows ``{"problem", "answer"[, "id"]}``."""
    if source is None:
        return list(BUNDLED_MATH_TASKS)
    if isinstance(source, (str, Path)):
        with open(source, encoding="utf-8") as fh:
            source = [json.loads(line) for line in fh if line.strip()]
    tasks = []
    for row in source:
        if isinstance(row, dict) and "problem" in row:
            task = math_task(row["problem"], row["answer"], id=row.get("id"), source=row.get("source"))
        else:
            task = row if isinstance(row, Task) else Task.model_validate(row)
        if task.answer is None:
            raise ValueError(f"math task {task.id!r} has no answer")
        tasks.append(task)
    return tasks


# ---- the environment ----


def _reward_details(correct: bool, reason: str) -> dict[str, Any]:
    """The rubric-reward shape of ``ToolUse-v0``, with one item: the answer."""
    item = {"id": "correct_answer", "section": "sub_goal", "description": "The final answer equals the reference.",
            "passed": correct, "reason": reason, "decided_by": "math_verify"}
    return {"reward": float(correct), "sub_goal_fraction": float(correct), "interaction_fraction": None,
            "compliance": None, "violated": False, "items": [item]}


class MathEnv(gym.Env[str, Any]):
    metadata = {"render_modes": ["ansi"], "render_fps": 1}

    def __init__(self, tasks: str | Path | Iterable[Task | dict] | None = None, python_tool: bool = True,
                 max_turns: int = 8, python_timeout: float = 10.0, answer_timeout: int = 5,
                 max_tool_output_chars: int = MAX_TOOL_OUTPUT_CHARS, max_context_chars: int = 200_000,
                 render_mode: str | None = None):
        self.tasks = load_math_tasks(tasks)
        if not self.tasks:
            raise ValueError("the task pack is empty")
        self._by_id = {t.id: t for t in self.tasks}
        self.python_tool, self.python_timeout = python_tool, python_timeout
        self.max_turns, self.max_context_chars = max_turns, max_context_chars
        self.max_tool_output_chars = max_tool_output_chars
        self.checker = AnswerChecker(answer_timeout)
        self.render_mode = render_mode
        self.observation_space = UnicodeText(max_length=max(10 * max_context_chars, 1_000_000))
        self.action_space = UnicodeText(max_length=max(10 * max_context_chars, 1_000_000))
        self._tool_schemas = [PYTHON_TOOL.openai_schema()] if python_tool else []
        self.system_prompt = SYSTEM_PROMPT.format(tool=TOOL_LINE if python_tool else "")
        self.task: Task | None = None
        self._done = True

    def reset(self, *, seed: int | None = None, options: dict[str, Any] | None = None) -> tuple[str, dict[str, Any]]:
        super().reset(seed=seed)
        options = options or {}
        if "task_id" in options:
            if options["task_id"] not in self._by_id:
                raise KeyError(f"no task {options['task_id']!r} in this pack")
            task = self._by_id[options["task_id"]]
        elif "task_index" in options:
            task = self.tasks[int(options["task_index"]) % len(self.tasks)]
        else:
            task = self.tasks[int(self.np_random.integers(len(self.tasks)))]
        self.task = task
        self._messages = [{"role": "system", "content": self.system_prompt},
                          {"role": "user", "content": task.instruction}]
        self._events: list[dict[str, Any]] = []
        self._stats = dict.fromkeys(STAT_KEYS, 0)
        self._turn, self._context_chars = 0, len(self.system_prompt) + len(task.instruction)
        self._done = self._terminated = self._truncated = False
        self._end_reason: str | None = None
        tools = f"\n\n{tools_block(self._tool_schemas)}" if self._tool_schemas else ""
        return f"{self.system_prompt}{tools}\n\nUser: {task.instruction}", self._info()

    def _info(self) -> dict[str, Any]:
        assert self.task is not None
        return {"task_id": self.task.id, "turn": self._turn, "tools": self._tool_schemas,
                "messages": list(self._messages), "trajectory": list(self._events), "stats": dict(self._stats),
                "end_reason": self._end_reason, "failure": None}

    def _append(self, message: dict[str, Any]) -> None:
        self._messages.append(message)
        self._context_chars += len(message.get("content") or "")

    def _end(self, reason: str, terminated: bool) -> None:
        self._done, self._end_reason, self._terminated, self._truncated = True, reason, terminated, not terminated

    def step(self, action: Any) -> tuple[str, SupportsFloat, bool, bool, dict[str, Any]]:
        if self.task is None:
            raise RuntimeError("call reset() before step()")
        if self._done:
            info = self._info()
            info["error"] = "the episode has ended; call reset()"
            return "The episode has ended; call reset().", 0.0, True, False, info
        self._turn += 1
        parsed = parse_action(action, id_prefix=f"call_{self._turn}")
        calls = [{"id": c.id, "type": "function", "function": {"name": c.name or "", "arguments": json.dumps(
            c.arguments, ensure_ascii=False) if c.arguments is not None else ""}} for c in parsed.tool_calls]
        self._append({"role": "assistant", "content": parsed.content, **({"tool_calls": calls} if calls else {})})
        start = len(self._messages)
        if parsed.error is not None or (not parsed.tool_calls and parsed.answer is None and not parsed.text):
            self._note_format_error(parsed.error or "empty message: call the python tool or give an <answer>")
        else:
            for i, call in enumerate(parsed.tool_calls):
                self._run_call(call, over_limit=i >= MAX_CALLS_PER_TURN)
            if parsed.answer is not None:
                self._events.append({"type": "answer", "turn": self._turn, "content": parsed.answer})
                self._end("answer", terminated=True)
            elif not parsed.tool_calls:
                self._stats["format_errors"] += 1
                self._events.append({"type": "format_error", "turn": self._turn, "error": "no user to talk to"})
                self._append({"role": "user", "content": NO_USER})
        if not self._done and self._turn >= self.max_turns:
            self._end("max_turns", terminated=False)
        if not self._done and self._context_chars > self.max_context_chars:
            self._end("context_limit", terminated=False)
        obs = "\n\n".join(render_message(m) for m in self._messages[start:])
        info, reward = self._info(), 0.0
        if self._done:
            answer = next((e["content"] for e in reversed(self._events) if e["type"] == "answer"), None)
            correct, reason = (False, "the agent gave no final answer") if answer is None else \
                self.checker.check(self.task.answer or "", answer)
            info["reward_details"] = _reward_details(correct, reason)
            reward = float(correct)
        return obs, reward, self._terminated, self._truncated, info

    def _note_format_error(self, error: str) -> None:
        self._stats["format_errors"] += 1
        self._events.append({"type": "format_error", "turn": self._turn, "error": error})
        self._append({"role": "user", "content": f"[environment] Error: {error}"})

    def _call_problem(self, call: ParsedCall, over_limit: bool) -> tuple[str, str] | None:
        """``(error_kind, message)`` if the call cannot run, as ``ToolUse-v0`` names them."""
        if over_limit:
            return "too_many_calls", f"at most {MAX_CALLS_PER_TURN} tool calls per turn"
        if call.error is not None:
            return "malformed", call.error
        if not self.python_tool or call.name != PYTHON_TOOL.name:
            names = ", ".join(t["function"]["name"] for t in self._tool_schemas) or "none"
            return "unknown_tool", f"unknown tool {call.name!r}; available tools: {names}"
        if set(call.arguments or {}) != {"code"} or not isinstance((call.arguments or {})["code"], str):
            return "invalid_arguments", "invalid arguments for python: give exactly one string argument 'code'"
        return None

    def _run_call(self, call: ParsedCall, over_limit: bool) -> None:
        self._stats["tool_calls"] += 1
        error = self._call_problem(call, over_limit)
        event = {"type": "tool_call", "turn": self._turn, "id": call.id, "name": call.name, "arguments": call.arguments,
                 "status": "ok", "error_kind": None, "error": None, "response": None, "source": "python"}
        if error is not None:
            self._stats["tool_errors"] += 1
            event.update(status="error", error_kind=error[0], error=error[1], source=None)
            content = f"Error: {error[1]}"
        else:
            content = event["response"] = run_python((call.arguments or {})["code"], timeout=self.python_timeout,
                                                     max_chars=self.max_tool_output_chars)
        self._events.append(event)
        self._append({"role": "tool", "tool_call_id": call.id, "name": call.name or "", "content": content})

    def render(self) -> str | None:
        if self.render_mode != "ansi" or self.task is None:
            return None
        return "\n\n".join(f"[{m['role']}] {render_message(m)}" for m in self._messages)

    def close(self) -> None:
        self.checker.close()
        super().close()
