"""Talking to language models: one small client protocol and its backends.

``LLMClient`` (``chat``/``achat`` -> ``Completion``) is what the simulator, the judge, the synthesis pipeline
and agents use. Backends: ``OpenAIClient`` (any OpenAI-compatible server over httpx) and
``TransformersClient`` (a local model folder; torch is imported only when one is built). ``make_client``
picks one from a URL, a folder or a dict. ``LLMTestServer`` is a loopback OpenAI-compatible server with
scripted replies, latency and fault injection for tests and benchmarks.
"""

from .base import (
    Completion, LLMClient, LLMError, LLMHTTPError, LLMOutputError, LLMResponseError, LLMTimeoutError,
    LLMUnavailableError, Message, Usage, UsageMeter,
)
from .factory import make_client
from .openai_http import OpenAIClient
from .repair import JSONRepairError, extract_json, extract_tag, strip_reasoning
from .retry import RetryPolicy

__all__ = [
    "Completion", "JSONRepairError", "LLMClient", "LLMError", "LLMHTTPError", "LLMOutputError", "LLMResponseError",
    "LLMTestServer", "LLMTimeoutError", "LLMUnavailableError", "Message", "OpenAIClient", "RetryPolicy", "Usage",
    "UsageMeter", "extract_json", "extract_tag", "make_client", "strip_reasoning",
]


def __getattr__(name: str):  # loaded on first use: torch for TransformersClient; the server module for -m
    if name == "TransformersClient":
        from .transformers_client import TransformersClient

        return TransformersClient
    if name == "LLMTestServer":
        from .loopback_server import LLMTestServer

        return LLMTestServer
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
