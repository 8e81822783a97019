"""Helpers for tests and benchmarks that need a real (tiny) language model and learnable tasks, with no download."""

from .tiny_model import build_tiny_model, teach_tool_calls
from .tool_choice import tool_choice_tasks, warm_start, weather_tasks

__all__ = ["build_tiny_model", "teach_tool_calls", "tool_choice_tasks", "warm_start", "weather_tasks"]
