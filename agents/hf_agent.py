"""A local Hugging Face causal LM as an agent: chat template with ``tools=``, generate, parse the tool calls.

``HFChatModel`` holds the model and tokenizer once per run; every concurrent ``HFAgent`` (one per episode in
flight) shares it, and generation is serialised by a lock (one model, one forward at a time). The prompt is the
env's message list rendered by the tokenizer's own chat template with the task's tools, as the model was trained;
``mode="text"`` renders tools and calls as plain Hermes text instead, for templates without tool support.
torch and transformers are imported only when a model is loaded.
"""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path
from typing import Any, Literal

from synthagent_env.agent import Action, BaseAgent
from synthagent_env.chat_messages import action_from_text, to_template_messages, to_text_messages

OUT_OF_CONTEXT_ANSWER = "<answer>I have to stop here: the conversation no longer fits in my context.</answer>"


class HFChatModel:
    def __init__(self, model: Any, tokenizer: Any, *, max_new_tokens: int = 512, temperature: float = 0.0,
                 top_p: float = 1.0, max_prompt_tokens: int | None = None,
                 mode: Literal["template", "text"] = "template", chat_template_kwargs: dict[str, Any] | None = None):
        self.model, self.tokenizer = model, tokenizer
        self.max_new_tokens, self.temperature, self.top_p = max_new_tokens, temperature, top_p
        limit = getattr(model.config, "max_position_embeddings", None) or 32768
        self.max_prompt_tokens = max_prompt_tokens or max(1, limit - max_new_tokens)
        self.mode = mode
        self.chat_template_kwargs = chat_template_kwargs or {}
        self._lock = threading.Lock()

    @classmethod
    def load(cls, path: str | Path, *, device: str | None = None, dtype: str = "auto", **options: Any) -> HFChatModel:
        """Load a model folder (or anything ``from_pretrained`` accepts that is already on disk)."""
        import torch
        from transformers import AutoModelForCausalLM, AutoTokenizer

        device = device or ("cuda" if torch.cuda.is_available() else "cpu")
        tokenizer = AutoTokenizer.from_pretrained(path)
        model = AutoModelForCausalLM.from_pretrained(path, dtype=dtype).to(device)
        model.eval()
        return cls(model, tokenizer, **options)

    def prompt(self, messages: list[dict[str, Any]], tools: list[dict[str, Any]]) -> str:
        """The generation prompt for the env's ``info["messages"]`` and ``info["tools"]``."""
        if self.mode == "text":
            chat, tool_arg = to_text_messages(messages, tools), None
        else:
            chat, tool_arg = to_template_messages(messages), tools or None
        return self.tokenizer.apply_chat_template(chat, tools=tool_arg, add_generation_prompt=True, tokenize=False,
                                                  **self.chat_template_kwargs)

    def generate(self, prompt: str, seed: int = 0) -> str | None:
        """The completion text (special tokens removed), or None when the prompt does not fit the context."""
        import torch

        inputs = self.tokenizer(prompt, return_tensors="pt", add_special_tokens=False).to(self.model.device)
        n_prompt = inputs["input_ids"].shape[1]
        if n_prompt > self.max_prompt_tokens:
            return None
        sample = self.temperature > 0
        options: dict[str, Any] = {"max_new_tokens": self.max_new_tokens, "do_sample": sample}
        if sample:
            options.update(temperature=self.temperature, top_p=self.top_p)
        else:
            options.update(temperature=None, top_p=None, top_k=None)
        if self.tokenizer.pad_token_id is not None:
            options["pad_token_id"] = self.tokenizer.pad_token_id
        with self._lock, torch.no_grad():
            torch.manual_seed(seed)
            output = self.model.generate(**inputs, **options)
        return self.tokenizer.decode(output[0, n_prompt:], skip_special_tokens=True)


class HFAgent(BaseAgent):
    """One episode's agent on a shared ``HFChatModel`` (pass a folder path to load one just for this agent)."""

    def __init__(self, model: HFChatModel | str | Path, **options: Any):
        self.model = model if isinstance(model, HFChatModel) else HFChatModel.load(model, **options)
        self.last_prompt: str | None = None
        self.last_output: str | None = None
        self._seed = 0

    def reset(self, info: dict[str, Any]) -> None:
        self._seed = int(info.get("episode_seed", 0))
        self.last_prompt = self.last_output = None

    def act(self, observation: str, info: dict[str, Any]) -> Action:
        turn = int(info.get("turn", 0)) + 1
        self.last_prompt = self.model.prompt(info["messages"], info.get("tools") or [])
        seed = int.from_bytes(hashlib.sha256(f"{self._seed}:{turn}".encode()).digest()[:4], "big")
        text = self.last_output = self.model.generate(self.last_prompt, seed=seed)
        if text is None:
            return OUT_OF_CONTEXT_ANSWER
        return action_from_text(text, id_prefix=f"call_{turn}")
