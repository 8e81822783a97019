"""Mapping store backends behind one protocol: a sqlite file (embedded default) and Redis (by URL)."""

from .protocol import DEFAULT_TIMEOUT_S, MappingStore, MappingStoreError
from .sqlite_store import SqliteStore

__all__ = ["DEFAULT_TIMEOUT_S", "MappingStore", "MappingStoreError", "SqliteStore"]
