"""The teacher as the stages use it: a per-item token meter and "ask for JSON until it parses" with repair.

Every item gets its own ``Teacher`` over the shared client, so the tokens an item cost are known exactly (they
go into its stage record and from there into the per-kept-task accounting). ``ask_json`` repairs what
``extract_json`` can (fences, prose, trailing commas, cut-off objects) and otherwise shows the model its reply
and the problem and asks again; after ``max_attempts`` the item is rejected with the last problem as reason.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TypeVar

from ..llm import Completion, LLMClient, Message, UsageMeter, extract_json, strip_reasoning
from .stage import Invalid, Rejected

T = TypeVar("T")
CORRECTION_PREFIX = "[rejected]"


class MeteredClient:
    """An ``LLMClient`` view of a shared client that counts only the usage of calls made through it."""

    def __init__(self, client: LLMClient):
        self._client = client
        self.usage = UsageMeter()
        self.model: str | None = None  # as the server names it in its replies (recorded in task metadata)

    def _seen(self, completion: Completion) -> Completion:
        self.usage.record(completion.usage)
        self.model = completion.model or getattr(self._client, "model", None) or self.model
        return completion

    def chat(self, messages: list[Message], **sampling: Any) -> Completion:
        return self._seen(self._client.chat(messages, **sampling))

    async def achat(self, messages: list[Message], **sampling: Any) -> Completion:
        return self._seen(await self._client.achat(messages, **sampling))

    def close(self) -> None:
        """The shared client belongs to the pipeline; a view closes nothing."""


def usage_dict(meter: UsageMeter) -> dict[str, int]:
    snap = meter.snapshot()
    return {k: snap[k] for k in ("requests", "prompt_tokens", "completion_tokens", "total_tokens")}


class Teacher:
    def __init__(self, client: LLMClient, *, sampling: dict[str, Any] | None = None, max_attempts: int = 3):
        self.client = MeteredClient(client)
        self.sampling = dict(sampling or {})
        self.max_attempts = max(1, max_attempts)
        self.notes: list[str] = []  # repairs and retries, kept in the item's record

    def ask_json(self, messages: list[Message], parse: Callable[[Any], T], what: str,
                 **sampling: Any) -> T:
        """``parse(extract_json(reply))``; ``parse`` raises ``ValueError``/``Invalid`` with what is wrong."""
        convo = list(messages)
        code, problem = "malformed_reply", "no attempt made"
        for attempt in range(1, self.max_attempts + 1):
            completion = self.client.chat(convo, **{**self.sampling, **sampling})
            text = completion.text
            try:
                if completion.finish_reason == "length":  # a cut-off object may still "repair" into valid JSON
                    raise Invalid("the reply was cut off by the token limit; reply again, more concisely",
                                  code="truncated_reply")
                value = extract_json(text)
                if not _plain_json(text):
                    self.notes.append(f"{what}: JSON repaired (prose, fences or broken syntax around it)")
                result = parse(value)
            except ValueError as err:  # JSONRepairError, pydantic's ValidationError and Invalid are ValueErrors
                code = err.code if isinstance(err, Invalid) else "malformed_reply"
                problem = _short(err)
                self.notes.append(f"{what}: attempt {attempt} rejected ({code}): {problem}")
                convo = [*messages, {"role": "assistant", "content": text[:6000]},
                         {"role": "user", "content": f"{CORRECTION_PREFIX} {problem}\nReply again with the whole "
                                                     "JSON object, corrected."}]
                continue
            if attempt > 1:
                self.notes.append(f"{what}: repaired on attempt {attempt}")
            return result
        raise Rejected(code, f"{what}: {problem} (after {self.max_attempts} attempts)")


def _plain_json(text: str) -> bool:
    try:
        json.loads(strip_reasoning(text))
    except ValueError:
        return False
    return True


def _short(err: ValueError) -> str:
    """A compact problem statement (pydantic errors are verbose; the first three locations say enough)."""
    errors = getattr(err, "errors", None)
    if callable(errors) and not isinstance(err, Invalid):
        try:
            parts = [f"{'.'.join(map(str, e['loc'])) or '(top level)'}: {e['msg']}" for e in errors()[:3]]
            return "; ".join(parts)
        except Exception:  # noqa: BLE001  (not a pydantic error after all)
            pass
    return str(err)[:600]
