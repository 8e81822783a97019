"""Plug-in agents behind one small protocol (see ``agents.base``)."""

from .base import Action, Agent, BaseAgent
from .oracle import OracleAgent

__all__ = ["Action", "Agent", "BaseAgent", "OracleAgent"]
