"""synthagent: synthetic tool-use tasks as Gymnasium environments with simulated tools and users.

Importing this package registers its gym ids (``synthagent/ToolUse-v0``, ...). It never imports torch or
transformers; those load only in the parts that need a local model.
"""

from .pack import TaskPackError, load_tasks, save_tasks
from .registration import register_envs
from .task import Rubric, RubricItem, Task, ToolSpec

register_envs()

__all__ = ["Rubric", "RubricItem", "Task", "TaskPackError", "ToolSpec", "load_tasks", "save_tasks"]
__version__ = "0.1.0"
