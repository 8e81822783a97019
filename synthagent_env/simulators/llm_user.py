"""The LLM mock user: one customer with private notes, answering the agent one short turn at a time.

The prompt (``prompts.USER_SYSTEM``) holds the persona, the opening request and the notes (background and
facts, each revealed only when asked; never the rubric); the agent's messages reach the model quoted as JSON
(``prompts.USER_TURN``), the model speaking as the user (roles flipped). Each reply passes
``user_guards`` (junk, length, echoing or obeying the agent, pasting the notes, naming tools) or is retried
with the problem pointed out; a server failure or a reply still refused after ``max_attempts`` raises
``SimulatorError`` (the env ends the episode; nothing is recorded as the user's words). ``###STOP###`` ends
the conversation, ``###TRANSFER###`` and ``###OUT-OF-SCOPE###`` end it with that signal (τ²-bench's
markers); a stop in reply to a question is not honoured (the user answers it and the agent goes on). The
filled-in messages of this thread's last request are ``last_prompt``.
"""

from __future__ import annotations

import json
import re
import threading
from typing import Any

from ..llm import LLMClient, strip_reasoning
from ..task import Task
from .base import UserReply
from .prompts import (
    OUT_OF_SCOPE_MARKER,
    STOP_MARKER,
    TRANSFER_MARKER,
    USER_SYSTEM,
    USER_TURN,
)
from .retrying import InvalidReply, ask_until_valid
from .user_guards import junk_problem, steering_problem

SIGNALS = {STOP_MARKER: "stop", TRANSFER_MARKER: "transfer", OUT_OF_SCOPE_MARKER: "out_of_scope"}
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_SPEAKER = re.compile(r"^(user|customer)\s*:\s*", re.IGNORECASE)


def user_prompt(task: Task, conversation: list[dict[str, str]]) -> list[dict[str, str]]:
    """The messages asking for the user's next turn: the model speaks as the user, the agent's text quoted."""
    facts = "\n".join(f"- {f.statement} (give it only when asked about: {'; '.join(f.keywords)})"
                      for f in task.hidden_facts) or "- (none)"
    system = USER_SYSTEM.substitute(persona=task.persona, instruction=json.dumps(task.instruction, ensure_ascii=False),
                                    background=task.hidden_context or "(none)", facts=facts)
    turns: list[dict[str, str]] = []
    for m in conversation[1:]:
        if m["role"] == "assistant":
            turns.append({"role": "user", "content": USER_TURN.substitute(
                message=json.dumps(m["content"], ensure_ascii=False))})
        elif m["role"] == "user":
            turns.append({"role": "assistant", "content": m["content"]})
    return [{"role": "system", "content": system}, *turns]


def first_sentences(text: str, n: int = 2) -> str:
    return " ".join(_SENTENCE_END.split(text.strip())[:n])


class LLMUserSimulator:
    def __init__(self, client: LLMClient, *, max_attempts: int = 3, max_sentences: int = 2,
                 sampling: dict[str, Any] | None = None, owns_client: bool = False):
        self.client = client
        self.max_attempts = max_attempts
        self.max_sentences = max_sentences
        self.sampling = {"temperature": 0.7, "max_tokens": 256, **(sampling or {})}
        self.owns_client = owns_client
        self.stats = {"replies": 0, "refused": 0}
        self._lock = threading.Lock()
        self._local = threading.local()

    @property
    def last_prompt(self) -> list[dict[str, str]] | None:
        return getattr(self._local, "prompt", None)

    def _parse(self, text: str, task: Task, agent_message: str, conversation_text: str = "") -> UserReply:
        body = strip_reasoning(text)
        signal = next((name for marker, name in SIGNALS.items() if marker in body), None)
        for marker in SIGNALS:
            body = body.replace(marker, "")
        body = _SPEAKER.sub("", body.strip().strip('"').strip())
        if not body and signal is not None:
            return UserReply("Thanks, goodbye.", stop=True, signal=signal)
        problem = junk_problem(body) or steering_problem(body, agent_message, task, conversation_text)
        if problem is not None:
            with self._lock:
                self.stats["refused"] += 1
            raise InvalidReply(f"{problem}. Write one or two sentences as the customer"
                               f"{'' if signal is None else f', then {STOP_MARKER} if you are done'}.")
        if signal == "stop" and "?" in agent_message:
            signal = None  # the assistant asked something: answer it, the conversation goes on
        return UserReply(first_sentences(body, self.max_sentences), stop=signal is not None, signal=signal)

    def reply(self, task: Task, conversation: list[dict[str, str]]) -> UserReply:
        agent_message = next((m["content"] for m in reversed(conversation) if m["role"] == "assistant"), "")
        said = " ".join(m["content"] for m in conversation)
        messages = user_prompt(task, conversation)
        self._local.prompt = messages
        reply = ask_until_valid(self.client, messages, self.sampling, self.max_attempts,
                                lambda text: self._parse(text, task, agent_message, said), "user simulator")
        with self._lock:
            self.stats["replies"] += 1
        return reply

    def close(self) -> None:
        if self.owns_client:
            self.client.close()
