"""BFCL-v4 multi-turn as ``synthagent/BFCL-v0``: BFCL's data, API classes and checker behind our env contract.

Needs the optional ``bfcl-eval`` wheel (``pip install --no-deps bfcl-eval mpmath``); importing this package
without it raises an ImportError that says so. Modules: ``data`` (entries), ``schemas`` (docs -> OpenAI
tools), ``safe_call`` (call strings BFCL may eval), ``world`` (per-episode instances), ``checker`` (verdict),
``env`` (the gym env), ``gold`` (the ground-truth replay agent), ``report`` (per-category and overall scores).
"""

from .data import CATEGORIES, BFCLEntry, load_category
from .env import BFCLEnv
from .gold import GoldReplayAgent

__all__ = ["CATEGORIES", "BFCLEntry", "BFCLEnv", "GoldReplayAgent", "load_category"]
