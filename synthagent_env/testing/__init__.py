"""Helpers for tests and benchmarks that need a real (tiny) language model without any download."""

from .tiny_model import build_tiny_model, teach_tool_calls

__all__ = ["build_tiny_model", "teach_tool_calls"]
