"""``synthagent/Math-v0``: math tasks with verifiable answers, an optional sandboxed Python tool."""

from .answers import AnswerChecker, verify_answer
from .env import NO_USER, MathEnv
from .sandbox import PYTHON_TOOL, network_namespace_prefix, run_python
from .tasks import BUNDLED_MATH_TASKS, load_math_tasks, math_task

__all__ = [
    "AnswerChecker", "BUNDLED_MATH_TASKS", "MathEnv", "NO_USER", "PYTHON_TOOL", "load_math_tasks", "math_task",
    "network_namespace_prefix", "run_python", "verify_answer",
]
