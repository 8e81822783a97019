"""``make_client``: one value picks a model backend, the same way for the simulator, the judge and agents.

Accepted: a ready client; an ``http(s)://`` URL, several separated by commas, or a list of URLs (an
OpenAI-compatible server or a pool of them; the model is asked from ``/models`` unless given); a local model
folder (transformers); or a dict ``{"backend": "openai" | "transformers", **options}`` (``base_url`` implies
openai, ``model_path`` implies transformers).

``role`` sets defaults that the spec can override: the simulator and the judge (``role="simulator"`` or
``"judge"``) ask for no thinking (``thinking=False``), because a reasoning model that thinks by default spends
its token budget in ``<think>`` and answers nothing; an agent (the default role) gets the server's default.
"""

from __future__ import annotations

import os
from typing import Any

from .base import LLMClient

BACKENDS = ("openai", "transformers")
ROLE_DEFAULTS: dict[str, dict[str, Any]] = {"agent": {}, "simulator": {"thinking": False}, "judge": {"thinking": False},
                                            "teacher": {}}


def make_client(spec: Any, *, role: str = "agent", **options: Any) -> LLMClient:
    if role not in ROLE_DEFAULTS:
        raise ValueError(f"unknown role {role!r}; known: {', '.join(ROLE_DEFAULTS)}")
    if isinstance(spec, LLMClient):
        if options:
            raise TypeError("options cannot be applied to a ready client")
        return spec
    if isinstance(spec, (list, tuple)):
        spec = {"backend": "openai", "base_url": list(spec)}
    if isinstance(spec, str):
        if spec.strip().startswith(("http://", "https://")):
            spec = {"backend": "openai", "base_url": spec}
        elif os.path.isdir(spec):
            spec = {"backend": "transformers", "model_path": spec}
        else:
            raise ValueError(f"not a URL, a comma-separated list of URLs or a model folder: {spec!r}")
    if not isinstance(spec, dict):
        raise TypeError(f"a model backend is a URL, a model folder, a dict or a client, not {type(spec).__name__}")
    options = {**ROLE_DEFAULTS[role], **spec, **options}
    backend = options.pop("backend", None) or ("transformers" if "model_path" in options else "openai")
    if backend == "openai":
        from .openai_http import OpenAIClient

        if "base_url" not in options:
            raise ValueError("the openai backend needs base_url (e.g. http://127.0.0.1:8000/v1)")
        return OpenAIClient(**options)
    if backend == "transformers":
        from .transformers_client import TransformersClient

        if "model_path" not in options:
            raise ValueError("the transformers backend needs model_path (a local model folder)")
        return TransformersClient(**options)
    raise ValueError(f"unknown model backend {backend!r}; known: {', '.join(BACKENDS)}")
