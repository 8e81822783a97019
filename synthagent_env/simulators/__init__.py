"""Who plays the mock world: the tool and user simulators behind one interface, chosen by ``make_simulator``."""

from .base import Simulator, SimulatorError, ToolSimulator, UserReply, UserSimulator, make_simulator, register_backend

__all__ = ["Simulator", "SimulatorError", "ToolSimulator", "UserReply", "UserSimulator", "make_simulator", "register_backend"]
