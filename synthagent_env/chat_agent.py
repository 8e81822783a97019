"""An agent played by a chat model behind any ``LLMClient``: the teacher in synthesis demonstrations and
``synthagent_agents.OpenAIAgent`` (vLLM, SGLang, Ollama, llama.cpp, hosted APIs) are this one class.

It speaks through the common LLM client (retries, timeouts, bounded concurrency, usage counts), so one client is
shared by every concurrent episode. ``tool_mode="tools"`` sends the task's tools as OpenAI ``tools=``;
``tool_mode="text"`` sends a plain chat with the tools in the system prompt and expects Hermes ``<tool_call>``
blocks, for servers without a tool-call parser. Either way, calls the server already parsed into ``tool_calls``
are used (some servers parse Hermes blocks even when no ``tools`` were sent), else the text is parsed.
"""

from __future__ import annotations

from typing import Any, Literal

from .agent import Action, BaseAgent
from .chat_messages import action_from_text, to_openai_messages, to_text_messages
from .llm import Completion, LLMClient

ToolMode = Literal["tools", "text"]


class OpenAIAgent(BaseAgent):
    def __init__(self, client: LLMClient, *, tool_mode: ToolMode = "tools", **sampling: Any):
        if tool_mode not in ("tools", "text"):
            raise ValueError(f"tool_mode must be 'tools' or 'text', not {tool_mode!r}")
        self.client, self.tool_mode, self.sampling = client, tool_mode, sampling
        self.last_completion: Completion | None = None
        self._ids: set[str] = set()

    def reset(self, info: dict[str, Any]) -> None:
        self._ids = set()
        self.last_completion = None

    def request(self, info: dict[str, Any]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
        """The messages and sampling options for the next reply (what ``act`` sends)."""
        tools = info.get("tools") or []
        if self.tool_mode == "text":
            return to_text_messages(info["messages"], tools), dict(self.sampling)
        sampling = {**self.sampling, **({"tools": tools} if tools else {})}
        return to_openai_messages(info["messages"]), sampling

    def act(self, observation: str, info: dict[str, Any]) -> Action:
        messages, sampling = self.request(info)
        return self._action(self.client.chat(messages, **sampling), info)

    async def aact(self, observation: str, info: dict[str, Any]) -> Action:
        messages, sampling = self.request(info)
        return self._action(await self.client.achat(messages, **sampling), info)

    def _action(self, completion: Completion, info: dict[str, Any]) -> Action:
        self.last_completion = completion
        prefix = f"call_{int(info.get('turn', 0)) + 1}"
        if not completion.tool_calls:
            return action_from_text(completion.text, prefix)
        calls = []
        for i, call in enumerate(completion.tool_calls):  # ids must be unique in the episode's history
            call_id = call.get("id") or f"{prefix}_{i}"
            if call_id in self._ids:
                call_id = f"{prefix}_{i}"
            self._ids.add(call_id)
            calls.append({**call, "id": call_id})
        return {"content": completion.text, "tool_calls": calls}
