"""A local Hugging Face model behind the client protocol: a model folder, its own chat template, batched generation.

torch and transformers are imported when a client is built, never when this package is imported. Calls
from many threads are batched: the thread that gets the model serves every queued request with the same
sampling options in one ``generate`` (up to ``max_batch_size``), so a vector env's simulator calls share
forward passes. ``chat_batch`` does the same explicitly. Hermes ``<tool_call>`` blocks in the output become
OpenAI ``tool_calls`` when the request passed ``tools`` (read by ``parsing.parse_text``, the env's own parser;
if any block is malformed the text is returned as written, so the env gives the agent its error). Reasoning is
stripped (``Completion.reasoning`` keeps the raw text); ``thinking=False`` asks the chat template for none.
A reply that is only reasoning or empty raises ``LLMResponseError`` from ``chat``, never empty content.
"""

from __future__ import annotations

import asyncio
import json
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..parsing import parse_text, strip_reasoning
from .base import Completion, LLMError, LLMResponseError, Message, Usage, UsageMeter

_KNOWN = {"temperature", "top_p", "max_tokens", "max_completion_tokens", "stop", "seed", "tools", "tool_choice",
          "n", "response_format", "chat_template_kwargs"}


@dataclass
class _Pending:
    messages: list[Message]
    sampling: dict[str, Any]
    key: str
    done: threading.Event = field(default_factory=threading.Event)
    result: Completion | None = None
    error: BaseException | None = None


def _tool_calls(text: str) -> tuple[str, list[dict[str, Any]]]:
    """Split Hermes tool-call blocks out of generated text; with any malformed block, nothing is split out."""
    parsed = parse_text(text)
    if not parsed.tool_calls or any(c.error for c in parsed.tool_calls):
        return text, []
    calls = [{"id": c.id, "type": "function", "function": {
        "name": c.name, "arguments": json.dumps(c.arguments, ensure_ascii=False)}} for c in parsed.tool_calls]
    kept = parsed.text if parsed.answer is None else f"{parsed.text}<answer>{parsed.answer}</answer>".strip()
    return kept, calls


def _completion(raw: str, tools: bool, usage: Usage, finish: str, model: str) -> Completion:
    """The reply without reasoning, its tool calls split out when the request passed tools; ``reasoning`` keeps
    the raw text whenever something was cut from it."""
    body, calls = _tool_calls(raw) if tools else (raw, [])
    text = strip_reasoning(body)
    return Completion(text=text, tool_calls=calls, usage=usage, finish_reason="tool_calls" if calls else finish,
                      model=model, reasoning=raw if text != raw.strip() else None)


def _usable(result: Completion) -> Completion:
    if not result.text and not result.tool_calls:
        what = "only reasoning" if result.reasoning else "nothing"
        raise LLMResponseError(f"the local model wrote {what} (finish_reason {result.finish_reason!r}); "
                               "raise max_tokens or pass thinking=False")
    return result


class TransformersClient:
    def __init__(
        self,
        model_path: str | Path,
        *,
        device: str | None = None,
        dtype: str = "auto",
        max_batch_size: int = 8,
        max_new_tokens: int = 512,
        sampling: dict[str, Any] | None = None,
        chat_template_kwargs: dict[str, Any] | None = None,
        thinking: bool | None = None,
    ):
        import torch
        from transformers import AutoModelForCausalLM, AutoTokenizer

        path = Path(model_path)
        if not (path / "config.json").exists():
            raise ValueError(f"not a model folder (no config.json): {path}")
        self.model_path = str(path)
        self.device = device or ("cuda" if torch.cuda.is_available() else "cpu")
        torch_dtype: Any = dtype
        if dtype == "auto" and self.device == "cpu":
            torch_dtype = torch.float32  # bf16 matmuls are slow on most CPUs
        elif dtype != "auto":
            torch_dtype = getattr(torch, dtype)
        self.tokenizer = AutoTokenizer.from_pretrained(path)
        if self.tokenizer.chat_template is None:
            raise ValueError(f"the tokenizer in {path} has no chat template")
        if self.tokenizer.pad_token_id is None:
            self.tokenizer.pad_token = self.tokenizer.eos_token
        self.model = AutoModelForCausalLM.from_pretrained(path, dtype=torch_dtype).to(self.device).eval()
        self.max_batch_size = max_batch_size
        self.max_new_tokens = max_new_tokens
        self.sampling = dict(sampling or {})
        self.thinking = thinking
        self.chat_template_kwargs = {**({"enable_thinking": thinking} if thinking is not None else {}),
                                     **(chat_template_kwargs or {})}
        self.usage = UsageMeter()
        self._torch = torch
        self._queue: list[_Pending] = []
        self._queue_lock = threading.Lock()
        self._model_lock = threading.Lock()

    def __repr__(self) -> str:
        return f"TransformersClient(model_path={self.model_path!r}, device={self.device!r})"

    # ---- the protocol ----

    def chat(self, messages: list[Message], **sampling: Any) -> Completion:
        sampling = {**self.sampling, **sampling}
        request = _Pending(messages, sampling, json.dumps(sampling, sort_keys=True, default=str))
        with self._queue_lock:
            self._queue.append(request)
        with self._model_lock:  # whoever holds the model serves everyone waiting with the same options
            if not request.done.is_set():
                with self._queue_lock:
                    batch = [r for r in self._queue if r.key == request.key][: self.max_batch_size]
                    if request not in batch:
                        batch[-1] = request
                    self._queue = [r for r in self._queue if r not in batch]
                self._serve(batch)
        request.done.wait()
        if request.error is not None:
            raise request.error
        assert request.result is not None
        return _usable(request.result)

    async def achat(self, messages: list[Message], **sampling: Any) -> Completion:
        return await asyncio.to_thread(self.chat, messages, **sampling)

    def chat_batch(self, conversations: list[list[Message]], **sampling: Any) -> list[Completion]:
        """One completion per conversation, generated in batches of ``max_batch_size``; ``LLMResponseError`` if
        any of them holds nothing but reasoning or whitespace."""
        sampling = {**self.sampling, **sampling}
        out: list[Completion] = []
        with self._model_lock:
            for start in range(0, len(conversations), self.max_batch_size):
                out.extend(self._generate(conversations[start:start + self.max_batch_size], sampling))
        return [_usable(c) for c in out]

    def close(self) -> None:
        return None

    # ---- generation ----

    def _serve(self, batch: list[_Pending]) -> None:
        try:
            results = self._generate([r.messages for r in batch], batch[0].sampling)
            for request, result in zip(batch, results, strict=True):
                request.result = result
        except Exception as err:  # every waiter gets the error, none hangs
            for request in batch:
                request.error = err if isinstance(err, LLMError) else LLMError(f"local generation failed: {err}")
        finally:
            for request in batch:
                request.done.set()

    def _generate(self, conversations: list[list[Message]], sampling: dict[str, Any]) -> list[Completion]:
        torch = self._torch
        unknown = set(sampling) - _KNOWN
        if unknown:
            raise LLMError(f"unsupported sampling options for a local model: {', '.join(sorted(unknown))}")
        tools = sampling.get("tools")
        template_kwargs = {**self.chat_template_kwargs, **(sampling.get("chat_template_kwargs") or {})}
        prompts = [self.tokenizer.apply_chat_template(conv, tools=tools, add_generation_prompt=True, tokenize=False,
                                                      **template_kwargs) for conv in conversations]
        enc = self.tokenizer(prompts, return_tensors="pt", padding=True, padding_side="left",
                             add_special_tokens=False).to(self.device)
        temperature = float(sampling.get("temperature", 1.0))
        max_new = int(sampling.get("max_tokens") or sampling.get("max_completion_tokens") or self.max_new_tokens)
        options: dict[str, Any] = {"max_new_tokens": max_new, "do_sample": temperature > 0,
                                   "pad_token_id": self.tokenizer.pad_token_id}
        if temperature > 0:
            options.update(temperature=temperature, top_p=float(sampling.get("top_p", 1.0)))
        if sampling.get("seed") is not None:
            torch.manual_seed(int(sampling["seed"]))
        with torch.inference_mode():
            output = self.model.generate(**enc, **options)
        new_tokens = output[:, enc["input_ids"].shape[1]:]
        stops = sampling.get("stop") or []
        stops = [stops] if isinstance(stops, str) else list(stops)
        eos = self.model.generation_config.eos_token_id
        eos_ids = set(eos if isinstance(eos, list) else [eos]) | {self.tokenizer.pad_token_id}
        results = []
        for row, prompt_len in zip(new_tokens.tolist(), enc["attention_mask"].sum(dim=1).tolist(), strict=True):
            length = next((i for i, t in enumerate(row) if t in eos_ids), len(row))
            text = self.tokenizer.decode(row[:length], skip_special_tokens=True)
            finish = "stop" if length < len(row) else "length"
            for stop in stops:
                if stop and stop in text:
                    text, finish = text[: text.index(stop)], "stop"
            usage = Usage(int(prompt_len), length)
            self.usage.record(usage)
            self.usage.add(attempts=1)
            results.append(_completion(text, bool(tools), usage, finish, self.model_path))
        return results
