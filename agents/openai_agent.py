"""An agent served by any OpenAI-compatible chat endpoint: ``openai_factory`` builds one shared client and one
``OpenAIAgent`` (``synthagent_env.chat_agent``, the class the synthesis teacher plays too) per episode."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from synthagent_env.chat_agent import OpenAIAgent, ToolMode
from synthagent_env.llm import OpenAIClient

__all__ = ["DEFAULT_BASE_URL", "OpenAIAgent", "openai_factory"]
DEFAULT_BASE_URL = "https://api.openai.com/v1"


def openai_factory(model: str | None = None, base_url: str | None = None, *,
                   api_key_env: str | None = "OPENAI_API_KEY", tool_mode: ToolMode = "tools",
                   client_options: dict[str, Any] | None = None, **sampling: Any) -> Callable[[], OpenAIAgent]:
    """One client for the endpoint (``base_url``, else ``$OPENAI_BASE_URL``, else OpenAI's), one agent per episode.

    ``model=None`` uses the first model the server lists at ``GET /models``. ``sampling`` holds OpenAI request
    options (``temperature``, ``max_tokens``, ``extra_body``, ...).
    """
    url = base_url or os.environ.get("OPENAI_BASE_URL") or DEFAULT_BASE_URL
    client = OpenAIClient(url, model, api_key_env=api_key_env, **(client_options or {}))
    return lambda: OpenAIAgent(client, tool_mode=tool_mode, **sampling)
