"""Ask a model until its reply passes the role's checks: each retry shows it its output and the problem.

A server failure (``LLMError``) is never content: it raises ``SimulatorError`` at once, so nothing the server
said is stored or shown to the agent. Output that stays unusable after ``attempts`` raises ``SimulatorError``
too (the env ends the episode with the reason in ``info``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from ..llm import LLMClient, LLMError
from .base import SimulatorError
from .prompts import CORRECTION_PREFIX

T = TypeVar("T")
SHOWN_OUTPUT_CHARS = 2000  # of a rejected reply, in the correction turn


class InvalidReply(ValueError):
    """The model's output cannot be used; the message says why (and is shown to the model on retry)."""


def ask_until_valid(client: LLMClient, messages: list[dict[str, Any]], sampling: dict[str, Any], attempts: int,
                    parse: Callable[[str], T], what: str) -> T:
    convo = list(messages)
    problem = "no attempt made"
    for _ in range(max(1, attempts)):
        try:
            text = client.chat(convo, **sampling).text
        except LLMError as err:
            raise SimulatorError(f"{what}: the model server failed: {err}") from err
        if not isinstance(text, str):
            text = ""
        try:
            return parse(text)
        except InvalidReply as err:
            problem = str(err)
            convo = [*messages, {"role": "assistant", "content": text[:SHOWN_OUTPUT_CHARS]},
                     {"role": "user", "content": f"{CORRECTION_PREFIX} {problem}"}]
    raise SimulatorError(f"{what}: unusable model output after {attempts} attempts: {problem}")
