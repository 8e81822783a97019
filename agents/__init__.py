"""Plug-in agents behind one small protocol (see ``synthagent_env.agent``); ``synthagent_agents.registry`` builds them by name."""

from synthagent_env.agent import Action, Agent, BaseAgent, act_async

from .do_nothing import DoNothingAgent
from .hf_agent import HFAgent, HFChatModel
from .oracle import OracleAgent
from .random_agent import RandomAgent
from .registry import agent_factory

__all__ = [
    "Action", "Agent", "BaseAgent", "DoNothingAgent", "HFAgent", "HFChatModel", "OpenAIAgent", "OracleAgent",
    "RandomAgent", "act_async", "agent_factory",
]


def __getattr__(name: str):
    if name == "OpenAIAgent":  # imported on use: it pulls in the HTTP client
        from .openai_agent import OpenAIAgent

        return OpenAIAgent
    raise AttributeError(name)
