"""One episode's BFCL API instances (file system, trading bot, ...), under a name no other episode uses.

BFCL's executor keeps instances in its module globals under ``{model_name}_{entry_id}_{class}_instance``
and never removes them, so two runs with the same model name share state. Each :class:`World` (and each
checker run) uses a fresh ``synthagent_<uuid>`` model name and deletes every global with that prefix on
:meth:`close` (also when it is garbage-collected).
"""

from __future__ import annotations

import inspect
import re
import uuid
import weakref

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
        self._finalizer = weakref.finalize(self, release, self.name)

    def instance_names(self) -> dict[str, str]:
        """Method name -> the global BFCL's executor will call it on (the same mapping it builds itself)."""
        mapping: dict[str, str] = {}
        for class_name, instance in self.instances.items():
            global_name = re.sub(r"[-./:]", "_", f"{self.name}_{self.entry.id}_{class_name}_instance")
            for method, _ in inspect.getmembers(instance, predicate=inspect.ismethod):
                if not method.startswith("_"):
                    mapping[method] = global_name
        return mapping

    def execute(self, calls: list[str]) -> list[str]:
        results, _ = execute(calls, self.entry, self.name)
        return results

    def close(self) -> None:
        self._finalizer()
