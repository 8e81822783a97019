"""``synthagent/Math-v0``: math tasks with verifiable answers, an optional python tool in an OS sandbox."""

from .answers import AnswerChecker, require_math_verify, verify_answer
from .env import MathEnv
from .python_tool import python_tool_spec
from .sandbox import (
    BWRAP,
    UNSAFE,
    Limits,
    RunResult,
    Sandbox,
    SandboxUnavailable,
    UnsafeSubprocess,
    make_sandbox,
)
from .tasks import BUNDLED_MATH_TASKS, load_math_tasks, math_task

__all__ = [
    "BUNDLED_MATH_TASKS",
    "BWRAP",
    "UNSAFE",
    "AnswerChecker",
    "Limits",
    "MathEnv",
    "RunResult",
    "Sandbox",
    "SandboxUnavailable",
    "UnsafeSubprocess",
    "load_math_tasks",
    "make_sandbox",
    "math_task",
    "python_tool_spec",
    "require_math_verify",
    "verify_answer",
]
