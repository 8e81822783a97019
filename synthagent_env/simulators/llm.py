"""The mock world played by a language model (the paper's simulator): the LLM mock tool and mock user.

``llm_simulator`` builds both on one client and registers the ``llm``, ``openai`` and ``transformers``
backends. The parts live in their own modules: ``llm_tool`` (the tool), ``llm_user`` (the user), ``prompts``
(every role's template), ``mapping_section`` and ``reuse_guard`` (what the tool sees and may reuse),
``user_guards`` (what a user reply may not be), ``retrying`` (ask until a reply passes).
"""

from __future__ import annotations

from typing import Any

from ..llm import LLMClient, make_client
from .base import Simulator, register_backend
from .llm_tool import LLMToolSimulator
from .llm_user import LLMUserSimulator
from .prompts import CORRECTION_PREFIX, STOP_MARKER, TOOL_ROLE, USER_ROLE

__all__ = ["CORRECTION_PREFIX", "STOP_MARKER", "TOOL_ROLE", "USER_ROLE", "LLMToolSimulator", "LLMUserSimulator",
           "llm_simulator"]


def llm_simulator(client: LLMClient | str | dict[str, Any] | None = None, *, tool: dict[str, Any] | None = None,
                  user: dict[str, Any] | None = None, name: str = "llm", **client_options: Any) -> Simulator:
    """A simulator whose tool and user are played by one model.

    ``client`` is a ready ``LLMClient`` (the caller keeps it: closing the simulator does not close it) or what
    ``make_client`` takes (a URL, a model folder, a dict), possibly as keyword options (``base_url=...``).
    ``tool``/``user`` hold options of ``LLMToolSimulator``/``LLMUserSimulator`` (e.g. ``sampling``,
    ``mapping_chars``).
    """
    if isinstance(client, LLMClient):
        if client_options:
            raise TypeError(f"unexpected options with a ready client: {', '.join(sorted(client_options))}")
        model: LLMClient = client
    else:
        role = client_options.pop("role", "simulator")  # no thinking by default (see llm.factory)
        model = _SharedClose(make_client(client if client is not None else client_options, role=role,
                                         **(client_options if client is not None else {})))
    owns = model is not client
    return Simulator(
        tool=LLMToolSimulator(model, **(tool or {}), owns_client=owns),
        user=LLMUserSimulator(model, **(user or {}), owns_client=owns),
        name=name,
    )


class _SharedClose:
    """One client shared by the tool and the user, closed once when both have let go."""

    def __init__(self, client: LLMClient):
        self._client, self._users = client, 2
        self.usage = client.usage

    def chat(self, messages: list[dict], **sampling: Any) -> Any:
        return self._client.chat(messages, **sampling)

    async def achat(self, messages: list[dict], **sampling: Any) -> Any:
        return await self._client.achat(messages, **sampling)

    def close(self) -> None:
        self._users -= 1
        if self._users == 0:
            self._client.close()


register_backend("llm", lambda client=None, **kw: llm_simulator(client, name="llm", **kw))
register_backend("openai", lambda **kw: llm_simulator(None, name="openai", backend="openai", **kw))
register_backend("transformers", lambda **kw: llm_simulator(None, name="transformers", backend="transformers", **kw))

