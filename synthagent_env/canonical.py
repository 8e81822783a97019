"""Transition shim: canonical JSON moved to ``mapping_key`` (the key object ``CallKey`` replaces ``call_key``).

Kept only so modules not yet switched keep importing; delete once nothing imports ``synthagent_env.canonical``.
"""

from __future__ import annotations

from typing import Any

from .mapping_key import KEY_SEPARATOR, canonical_json

__all__ = ["call_key", "canonical_json"]


def call_key(tool: str, arguments: dict[str, Any]) -> str:
    """The old string identity of a call (tool plus canonical arguments); new code uses ``CallKey``."""
    return f"{tool}{KEY_SEPARATOR}{canonical_json(arguments)}"
