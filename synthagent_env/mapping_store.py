"""Transition shim: the mapping store is the ``stores`` package (protocol, sqlite and Redis backends).

``MappingStore`` here is the sqlite backend, kept so modules not yet switched keep importing; new code opens a
store with ``store_pool.acquire(spec)`` / ``open_store(spec)`` and types it as ``stores.MappingStore``.
Delete once nothing imports ``synthagent_env.mapping_store``.
"""

from .stores import MappingStoreError
from .stores.sqlite_store import SqliteStore as MappingStore

__all__ = ["MappingStore", "MappingStoreError"]
