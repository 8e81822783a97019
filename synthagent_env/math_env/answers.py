"""Checking a final answer against the reference with math-verify, with a hard time limit in any thread.

math-verify is imported lazily (``import synthagent_env`` stays light). Its own time limit uses SIGALRM,
which only works in the main thread; when the env is stepped from another thread (the benchmark loop does),
answers are checked in a small worker process that is killed and restarted if a check hangs.
"""

from __future__ import annotations

import importlib.util
import json
import os
import select
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

from .final_form import PERCENT, unfinished

MAX_ANSWER_CHARS = 1000
MISSING = ('synthagent/Math-v0 checks answers with math-verify, which is not installed: '
           'pip install "synthagent[math]"')


def require_math_verify() -> None:
    """Fail at construction, naming the extra, rather than at the first ``<answer>``."""
    try:
        found = importlib.util.find_spec("math_verify") is not None
    except (ImportError, ValueError):
        found = False
    if not found:
        raise ModuleNotFoundError(MISSING, name="math_verify")

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

    gold, given = PERCENT.sub("", gold), PERCENT.sub("", given)
    expected, got = _parse_math(gold, timeout), _parse_math(given, timeout)
    if not expected:
        return False, f"the reference answer {gold!r} could not be parsed"
    if not got:
        return False, f"the answer {given[:200]!r} could not be read as math"
    left = unfinished(str(expected[-1]), str(got[-1]))
    if left:
        return False, f"{got[-1]} is not a final value: it leaves {', '.join(sorted(left))} to be worked out"
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
        """A verdict, never an exception (an uncheckable answer is a wrong one, with the reason)."""
        try:
            if threading.current_thread() is threading.main_thread():
                return verify_answer(gold, given, self.timeout)
            with self._lock:
                return self._in_worker(gold, given)
        except ImportError:
            return False, MISSING
        except Exception as err:  # noqa: BLE001  (math-verify's own failures on odd input)
            return False, f"the check failed: {type(err).__name__}"

    def __getstate__(self) -> dict[str, Any]:
        return {"timeout": self.timeout}  # the worker and the lock belong to this process

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["timeout"])  # type: ignore[misc]

    def _in_worker(self, gold: str, given: str) -> tuple[bool, str]:
        if self._worker is None or self._worker.poll() is not None:
            root = str(Path(__file__).resolve().parents[2])
            env = {**os.environ, "PYTHONPATH": os.pathsep.join([root, os.environ.get("PYTHONPATH", "")])}
            self._worker = subprocess.Popen(
                [sys.executable, "-c", "from synthagent_env.math_env.answers import _serve_checks; _serve_checks()"],
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
