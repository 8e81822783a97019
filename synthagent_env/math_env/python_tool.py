"""The ``python`` tool of ``Math-v0``: its schema (which promises only the packages that really import inside
the sandbox) and how a run's result reads to the agent."""

from __future__ import annotations

from ..task import ToolSpec
from .sandbox import RunResult

NO_OUTPUT = "[no output: print() what you want to see]"
TRUNCATED = "\n...[output truncated]"


def python_tool_spec(modules: tuple[str, ...]) -> ToolSpec:
    shown = [m for m in modules if m != "mpmath"] or list(modules)
    packages = (f"Besides the standard library you can import {' and '.join(shown)}" if shown
                else "Only the standard library can be imported")
    return ToolSpec(
        name="python",
        description="Run a Python 3 program and get back what it prints (stdout and stderr). Each call is a fresh "
                    f"process: nothing persists between calls. {packages}; there is no network.",
        parameters={"type": "object", "properties": {"code": {"type": "string", "description": "The program."}},
                    "required": ["code"], "additionalProperties": False},
        output_description="The program's printed output, its error traceback, or a timeout notice.",
    )


def describe(result: RunResult, timeout: float, max_chars: int) -> str:
    """The tool response: the output (cut to ``max_chars``) and a note on a timeout or a non-zero exit."""
    text = result.output
    if len(text) > max_chars:
        text = text[: max_chars - 200] + TRUNCATED
    notes = []
    if result.timed_out:
        notes.append(f"[the program ran longer than {timeout:g} s and was stopped]")
    elif result.exit_code:
        notes.append(f"[exit code {result.exit_code}]")
    return "\n".join(x for x in [text.rstrip("\n"), *notes] if x) or NO_OUTPUT
