"""Talking to language models: one small client protocol and its backends.

``LLMClient`` (``chat``/``achat`` -> ``Completion``) is what the simulator, the judge, the synthesis pipeline
and agents use. Backends: ``OpenAIClient`` (any OpenAI-compatible server, or a pool of them, over httpx) and
``TransformersClient`` (a local model folder; torch is imported only when one is built). ``make_client``
picks one from a URL (several: a pool), a folder or a dict. ``LoopbackServer`` (``loopback_server``, also
``LLMTestServer``) is an OpenAI-compatible server on loopback with given replies, latency and fault injection:
try the pipeline without a model, and test and benchmark against it.
"""

from .base import (
    Completion,
    LLMClient,
    LLMError,
    LLMHTTPError,
    LLMOutputError,
    LLMResponseError,
    LLMTimeoutError,
    LLMUnavailableError,
    Message,
    Usage,
    UsageMeter,
)
from .factory import make_client
from .openai_http import OpenAIClient
from .repair import JSONRepairError, extract_json, extract_tag, strip_reasoning
from .retry import RetryPolicy

__all__ = [
    "Completion", "JSONRepairError", "LLMClient", "LLMError", "LLMHTTPError", "LLMOutputError", "LLMResponseError",
    "LLMTestServer", "LLMTimeoutError", "LLMUnavailableError", "LoopbackServer", "Message", "OpenAIClient",
    "RetryPolicy", "Usage", "UsageMeter", "extract_json", "extract_tag", "make_client", "strip_reasoning",
]


def __getattr__(name: str):  # loaded on first use: torch for TransformersClient; the server module for -m
    if name == "TransformersClient":
        from .transformers_client import TransformersClient

        return TransformersClient
    if name in ("LoopbackServer", "LLMTestServer"):
        from .loopback_server import LoopbackServer

        return LoopbackServer
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
