"""Token-level rendering of an episode: the prompt, and the environment's turns spliced between model turns.

The model's own tokens are kept exactly as sampled; only what the environment says (tool responses, user replies,
error notes) is rendered with the chat template. Environment chunks are cut from a small dummy conversation the way
TRL's own tool loop does it (render with and without the new messages, keep the difference, aligned at the end-of-turn
token), so any chat template that can render a tool conversation works, and earlier turns are never re-tokenised.
"""

from __future__ import annotations

from typing import Any


class ChatFormat:
    def __init__(self, tokenizer: Any, chat_template: str | None = None):
        self.tokenizer = tokenizer
        self.chat_template = chat_template
        self.eos_id: int = tokenizer.eos_token_id
        self.stop_ids: list[int] = [self.eos_id]

    def _render(self, messages: list[dict[str, Any]], tools: list[dict] | None, generation_prompt: bool) -> list[int]:
        ids = self.tokenizer.apply_chat_template(
            messages, tools=tools or None, add_generation_prompt=generation_prompt, tokenize=True,
            return_dict=False, chat_template=self.chat_template,
        )
        return list(ids["input_ids"] if isinstance(ids, dict) else ids)

    def prompt_ids(self, messages: list[dict[str, Any]], tools: list[dict] | None) -> list[int]:
        """The episode's opening (system prompt with tools, the instruction) up to the assistant header."""
        return self._render(messages, tools, generation_prompt=True)

    def env_ids(self, env_messages: list[dict[str, Any]], turn_closed: bool = True) -> list[int]:
        """Tokens from the end of a model turn to the start of the next one (all carry zero loss weight).

        ``turn_closed`` is False when the model ran out of tokens mid-turn: then an end-of-turn token is added first
        so the transcript stays well formed (it is an environment token too).
        """
        tool_names = [m.get("name") or "tool" for m in env_messages if m["role"] == "tool"]
        assistant: dict[str, Any] = {"role": "assistant", "content": "" if tool_names else "ok"}
        if tool_names:
            assistant["tool_calls"] = [{"type": "function", "function": {"name": n, "arguments": {}}}
                                       for n in tool_names]
        dummy = [{"role": "user", "content": "hi"}, assistant]
        prefix = self._render(dummy, None, generation_prompt=False)
        full = self._render(dummy + list(env_messages), None, generation_prompt=True)
        ends = [i for i, t in enumerate(prefix) if t == self.eos_id]
        if ends:  # templates write "<|im_end|>\n" after a turn; the model stops at "<|im_end|>"
            prefix = prefix[: ends[-1] + 1]
        if full[: len(prefix)] != prefix:
            raise ValueError("the chat template is not prefix-preserving; pass a training chat template")
        chunk = full[len(prefix):]
        return chunk if turn_closed else [self.eos_id, *chunk]

    def decode(self, ids: list[int]) -> str:
        """A model turn as the text action the env parses (special tokens such as EOS dropped)."""
        return self.tokenizer.decode(ids, skip_special_tokens=True)
