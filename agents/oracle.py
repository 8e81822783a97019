"""The oracle agent: plays a task's reference solution (its one home is ``synthagent_env.reference``)."""

from synthagent_env.reference import OracleAgent, step_action

__all__ = ["OracleAgent", "step_action"]
