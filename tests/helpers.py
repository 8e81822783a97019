"""Small things several test modules share."""

import json
import uuid

TASK = "retail-damaged-blender-return"  # a bundled task whose details the env tests rely on


def call(name, **arguments):
    """A Hermes tool-call block, as a model would write it."""
    return f"<tool_call>{json.dumps({'name': name, 'arguments': arguments})}</tool_call>"


class RandomTool:
    """A tool simulator whose answers are pure chance: only the mapping can make them agree."""

    def respond(self, task, tool, arguments, mapping):
        return json.dumps({"token": uuid.uuid4().hex})
