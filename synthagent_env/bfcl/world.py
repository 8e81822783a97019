"""One episode's BFCL API instances (file system, trading bot, ...), under a name no other episode uses.

BFCL's executor keeps instances in its module globals under ``{model_name}_{entry_id}_{class}_instance``
and never removes them, so two runs with the same model name share state. Each :class:`World` (and each
checker run) uses a fresh ``synthagent_<uuid>`` model name and deletes every global with that prefix on
:meth:`close` (also when it is garbage-collected).

Upstream classes also keep state in the class itself: ``TwitterAPI.post_tweet(..., mentions=[])`` stores its
default list in the tweet, and ``mention`` extends it, so every later tweet posted without mentions, in any
episode, starts with the earlier ones. :func:`isolate` moves each instance onto a per-episode subclass whose
methods carry deep copies of their defaults, so nothing one episode does reaches another.
"""

from __future__ import annotations

import copy
import inspect
import re
import types
import uuid
import weakref
from typing import Any

from bfcl_eval.eval_checker.multi_turn_eval import multi_turn_utils

from .data import BFCLEntry

_EXECUTOR_GLOBALS = vars(multi_turn_utils)  # where BFCL's executor keeps its instances


def unique_name(tag: str = "synthagent") -> str:
    return f"{tag}_{uuid.uuid4().hex}"


def release(name: str) -> int:
    """Delete every executor global created under model name ``name``; returns how many."""
    prefix = re.sub(r"[-./:]", "_", name) + "_"
    keys = [k for k in list(_EXECUTOR_GLOBALS) if k.startswith(prefix)]
    for key in keys:
        _EXECUTOR_GLOBALS.pop(key, None)
    return len(keys)


def live_instances(name: str) -> list[str]:
    prefix = re.sub(r"[-./:]", "_", name) + "_"
    return [k for k in list(_EXECUTOR_GLOBALS) if k.startswith(prefix)]


def _fresh_function(func: types.FunctionType) -> types.FunctionType:
    fresh = types.FunctionType(func.__code__, func.__globals__, func.__name__,
                               copy.deepcopy(func.__defaults__), func.__closure__)
    fresh.__kwdefaults__ = copy.deepcopy(func.__kwdefaults__)
    fresh.__dict__.update(func.__dict__)
    fresh.__qualname__, fresh.__doc__ = func.__qualname__, func.__doc__
    return fresh


def fresh_class(cls: type) -> type:
    """A subclass of ``cls`` (same name) whose methods have their own copies of every default value."""
    methods = {name: _fresh_function(f) for name, f in inspect.getmembers(cls, inspect.isfunction)
               if f.__defaults__ or f.__kwdefaults__}
    return type(cls.__name__, (cls,), {**methods, "__module__": cls.__module__, "__qualname__": cls.__qualname__})


def isolate(instances: dict[str, Any], classes: dict[str, type] | None = None) -> dict[str, type]:
    """Move each instance onto a fresh class (``classes`` to share them, e.g. between the two checker sides)."""
    classes = dict(classes or {})
    for class_name, instance in instances.items():
        if class_name not in classes:
            classes[class_name] = fresh_class(type(instance))
        instance.__class__ = classes[class_name]
    return classes


def execute(calls: list[str], entry: BFCLEntry, name: str, *, eval_run: bool = False) -> tuple[list[str], dict]:
    """BFCL's own executor on already-validated call strings (see ``safe_call``)."""
    return multi_turn_utils.execute_multi_turn_func_call(
        calls, entry.initial_config, entry.involved_classes, name, entry.id,
        long_context=entry.long_context, is_evaL_run=eval_run,
    )


class World:
    def __init__(self, entry: BFCLEntry):
        self.entry = entry
        self.name = unique_name()
        _, self.instances = execute([], entry, self.name)  # builds the instances from the entry's initial config
        isolate(self.instances)
        self._finalizer = weakref.finalize(self, release, self.name)
        self._names = self._instance_names()

    def instance_names(self) -> dict[str, str]:
        """Method name -> the global BFCL's executor will call it on (the same mapping it builds itself)."""
        return self._names

    def _instance_names(self) -> dict[str, str]:
        mapping: dict[str, str] = {}
        for class_name, instance in self.instances.items():
            global_name = re.sub(r"[-./:]", "_", f"{self.name}_{self.entry.id}_{class_name}_instance")
            for method, _ in inspect.getmembers(instance, predicate=inspect.ismethod):
                if not method.startswith("_"):
                    mapping[method] = global_name
        return mapping

    def __getstate__(self) -> dict[str, Any]:
        """Pickled as the entry and each instance's attributes (spawn workers and checkpoints pickle envs)."""
        return {"entry": self.entry, "states": {c: vars(i) for c, i in self.instances.items()}}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["entry"])  # new instances under a new name, then their saved state
        for class_name, attributes in state["states"].items():
            vars(self.instances[class_name]).update(attributes)

    def execute(self, calls: list[str]) -> list[str]:
        results, _ = execute(calls, self.entry, self.name)
        return results

    def close(self) -> None:
        self._finalizer()
