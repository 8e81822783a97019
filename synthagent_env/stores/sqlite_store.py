"""The embedded mapping store: one sqlite file shared by every process on a machine.

The file is a plain sqlitedict file (table ``mapping``, key TEXT PRIMARY KEY, JSON values; it opens as
``SqliteDict(path, tablename="mapping", journal_mode="WAL")``), keyed ``task \\x1f tool \\x1f canonical args``,
plus one expression index on the task part so that listing a task reads only rows added since the last
listing (by rowid, which is insertion order: nothing is ever deleted). sqlitedict's own write path is
fire-and-forget and does get-then-set (see ../../shared/PITFALLS.md), so statements run here on plain sqlite3
connections (one per thread per process), each write one insert-if-absent statement in autocommit mode: a write
that returned is committed (WAL with ``synchronous=NORMAL``: survives a SIGKILL of any process; a crash of the
machine or a power loss can undo the last commits, as Redis's ``appendfsync everysec`` can; ``synchronous="FULL"``
fsyncs every commit and survives those too, at the price of holding the write lock for an fsync per write),
a race between processes has exactly one winner, and errors are raised on the call that caused them.

Failure modes are errors that name the file, never silent misses: a lock held by another process is waited for
at most ``timeout`` seconds (default 10); a damaged file is found by ``PRAGMA quick_check`` when a process
opens it, and a stored value that does not decode raises; a file or directory that cannot be written opens
read-only (stored calls answered, new calls refused).
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import threading
from pathlib import Path
from urllib.parse import quote

from ..mapping_key import KEY_SEPARATOR, CallKey, MappingEntry
from .cached import CachedStore, decode_value
from .protocol import DEFAULT_TIMEOUT_S, MappingStoreError

TABLE = "mapping"
INDEX = "mapping_by_task"
_TASK_EXPR = f"substr(key, 1, instr(key, char({ord(KEY_SEPARATOR)})) - 1)"  # the task part of a key
_SEED_CHUNK = 400  # rows per statement, well under sqlite's bound-variable limit
_checked: set[tuple] = set()  # files found intact by this process (by identity, size and time)
_checked_lock = threading.Lock()


def validate_path(path: str | os.PathLike[str]) -> Path:
    """The absolute path of a mapping file; rejects what cannot be one before anything is created."""
    text = os.fspath(path)
    if not str(text).strip():
        raise MappingStoreError("mapping_path is empty: give a file path (created if missing, e.g. "
                                "runs/mapping.sqlite) or a redis:// URL")
    resolved = Path(text).expanduser().resolve()
    if resolved.exists() and not resolved.is_file():
        kind = "a directory" if resolved.is_dir() else "not a regular file (a device, pipe or socket)"
        raise MappingStoreError(f"mapping_path {text} is {kind}: give the path of a mapping file "
                                f"(e.g. {Path(text) / 'mapping.sqlite' if resolved.is_dir() else 'mapping.sqlite'})")
    return resolved


def _writable(path: Path) -> bool:
    return os.access(path.parent, os.W_OK) and (not path.exists() or os.access(path, os.W_OK))


def _connect(path: Path, timeout: float, read_only: bool, synchronous: str = "NORMAL") -> sqlite3.Connection:
    if read_only:
        uri = f"file:{quote(str(path))}?mode=ro"
        conn = sqlite3.connect(uri, uri=True, timeout=timeout, isolation_level=None, check_same_thread=False)
        try:
            conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall()
        except sqlite3.OperationalError:
            # a WAL file on a read-only mount: sqlite cannot make its -shm. With no WAL content to replay, the
            # file is all there is, and nothing can change it from here: open it as immutable.
            conn.close()
            wal = Path(f"{path}-wal")
            if wal.exists() and wal.stat().st_size > 0:
                raise MappingStoreError(
                    f"mapping store {path}: read-only, and its latest entries are still in {wal.name}, which "
                    "sqlite cannot read without writing beside it. Open it once where it is writable (that folds "
                    "the WAL in), or copy the file and its -wal to a writable folder.") from None
            conn = sqlite3.connect(f"{uri}&immutable=1", uri=True, timeout=timeout, isolation_level=None,
                                   check_same_thread=False)
    else:
        conn = sqlite3.connect(path, timeout=timeout, isolation_level=None, check_same_thread=False)
        conn.execute(f"PRAGMA synchronous={synchronous}")
    return conn


def describe(err: sqlite3.Error, path: Path, timeout: float) -> MappingStoreError:
    """A sqlite error as an error that names the file and says what to do."""
    text = str(err)
    low = text.lower()
    if "locked" in low or "busy" in low:
        advice = (f"another process has held a write lock on it for more than {timeout:g} s. Stop that process, "
                  "or raise the store's timeout")
    elif "malformed" in low or "not a database" in low or "corrupt" in low or "short read" in low:
        advice = ("the file is damaged. Restore it from a backup, or move it aside (a new mapping starts empty; "
                  "`sqlite3 FILE .recover` may salvage entries)")
    elif "readonly" in low or "read-only" in low or "unable to open" in low:
        advice = "it cannot be opened for writing. Check the permissions of the file and its directory"
    else:
        advice = "see the sqlite error"
    return MappingStoreError(f"mapping store {path}: {text}: {advice}.")


def _prepare(path: Path, timeout: float) -> bool:
    """Make the file ready (WAL, table, index) and return whether it must be opened read-only."""
    if path.exists() and not _writable(path):
        return True
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise MappingStoreError(f"mapping store {path}: cannot create its directory: {err}") from None
    if not _writable(path):
        raise MappingStoreError(f"mapping store {path}: the file does not exist and its directory is not writable")
    if path.exists() and path.stat().st_size > 0 and _is_ready(path, timeout):
        return False
    # first open: create it in WAL mode once, under a file lock (concurrent first opens can hang otherwise)
    with open(f"{path}.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            conn = _connect(path, timeout, read_only=False)
            try:
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute(f'CREATE TABLE IF NOT EXISTS "{TABLE}" (key TEXT PRIMARY KEY, value BLOB)')
                conn.execute(f'CREATE INDEX IF NOT EXISTS "{INDEX}" ON "{TABLE}" ({_TASK_EXPR})')
            finally:
                conn.close()
        except sqlite3.Error as err:
            raise describe(err, path, timeout) from None
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return False


def _is_ready(path: Path, timeout: float) -> bool:
    try:
        conn = _connect(path, timeout, read_only=True)
        try:
            wal = conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            names = {n for (n,) in conn.execute("SELECT name FROM sqlite_master")}
        finally:
            conn.close()
    except sqlite3.Error as err:
        raise describe(err, path, timeout) from None
    return wal and {TABLE, INDEX} <= names


def check_integrity(path: Path, timeout: float = DEFAULT_TIMEOUT_S) -> None:
    """Raise ``MappingStoreError`` unless ``PRAGMA quick_check`` finds the file intact (once per file state)."""
    if not path.exists():
        return
    wal = Path(f"{path}-wal")
    stamp = tuple((s.st_dev, s.st_ino, s.st_size, s.st_mtime_ns) for s in
                  (p.stat() for p in (path, wal) if p.exists()))
    with _checked_lock:
        if stamp in _checked:
            return
    try:
        conn = _connect(path, timeout, read_only=True)
        try:
            problems = [row[0] for row in conn.execute("PRAGMA quick_check(5)")]
            names = {n for (n,) in conn.execute("SELECT name FROM sqlite_master")}
        finally:
            conn.close()
    except sqlite3.Error as err:
        raise describe(err, path, timeout) from None
    if problems != ["ok"]:
        raise MappingStoreError(
            f"mapping store {path}: the file is damaged ({'; '.join(problems)}). Restore it from a backup, or move "
            "it aside (a new mapping starts empty; `sqlite3 FILE .recover` may salvage entries).")
    if names and TABLE not in names:  # no tables at all: a file another process is creating right now
        raise MappingStoreError(f"mapping store {path}: the file is a sqlite database without a {TABLE!r} table, "
                                "not a mapping. Give another path.")
    with _checked_lock:
        _checked.add(stamp)


class SqliteStore(CachedStore):
    """A mapping file shared by many processes; opens (and checks) lazily in each process that uses it."""

    def __init__(self, path: str | os.PathLike[str], *, timeout: float = DEFAULT_TIMEOUT_S,
                 synchronous: str = "NORMAL", lazy: bool = False):
        self.path = validate_path(path)
        super().__init__(str(self.path))
        if synchronous not in ("NORMAL", "FULL"):
            raise ValueError(f"synchronous must be NORMAL or FULL, not {synchronous!r}")
        self.timeout, self.synchronous = float(timeout), synchronous
        self._lock = threading.Lock()
        self._pid = -1
        self._closed = False
        if not lazy:
            self._open_here()  # errors surface now, not on the first call

    def _open_here(self) -> None:
        with self._lock:
            if self._pid == os.getpid():
                return
            self._local = threading.local()  # connections made by another process are that process's
            self._conns: list[sqlite3.Connection] = []
            self.read_only = _prepare(self.path, self.timeout)
            check_integrity(self.path, self.timeout)
            self._pid = os.getpid()

    def _conn(self) -> sqlite3.Connection:
        if self._closed:
            raise MappingStoreError(f"mapping store {self.path} was closed")
        if self._pid != os.getpid():
            self._open_here()
        conn = getattr(self._local, "conn", None)
        if conn is None:
            try:
                conn = self._local.conn = _connect(self.path, self.timeout, self.read_only, self.synchronous)
            except sqlite3.Error as err:
                raise describe(err, self.path, self.timeout) from None
            with self._lock:
                self._conns.append(conn)
        return conn

    def _run(self, sql: str, args: tuple = ()) -> list[tuple]:
        try:
            return self._conn().execute(sql, args).fetchall()
        except sqlite3.Error as err:
            raise describe(err, self.path, self.timeout) from None

    def _key(self, key: CallKey) -> str:
        return KEY_SEPARATOR.join((key.task_id, key.tool, key.arguments_json))

    def _where(self, key: CallKey) -> str:
        return f"mapping store {self.path}, task {key.task_id!r}, tool {key.tool!r}"

    def _fetch(self, key: CallKey) -> str | None:
        rows = self._run(f'SELECT value FROM "{TABLE}" WHERE key = ?', (self._key(key),))
        return decode_value(rows[0][0], self._where(key)) if rows else None

    def _insert(self, key: CallKey, value: str) -> str | None:
        inserted = self._run(
            f'INSERT INTO "{TABLE}" (key, value) VALUES (?, ?) ON CONFLICT(key) DO NOTHING RETURNING key',
            (self._key(key), value))
        if inserted:
            return None
        stored = self._fetch(key)
        if stored is None:
            raise MappingStoreError(f"{self._where(key)}: an entry vanished right after it was written")
        return stored

    def _insert_many(self, rows: list[tuple[CallKey, str]]) -> None:
        flat = [(self._key(k), v) for k, v in rows]
        conn = self._conn()
        try:
            conn.execute("BEGIN IMMEDIATE")  # all of a task's seeds, or none
            try:
                for start in range(0, len(flat), _SEED_CHUNK):
                    chunk = flat[start:start + _SEED_CHUNK]
                    values = ", ".join("(?, ?)" for _ in chunk)
                    conn.execute(f'INSERT OR IGNORE INTO "{TABLE}" (key, value) VALUES {values}',
                                 tuple(x for row in chunk for x in row))
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        except sqlite3.Error as err:
            raise describe(err, self.path, self.timeout) from None

    def _fetch_since(self, task_id: str, cursor: int) -> tuple[list[MappingEntry], int]:
        rows = self._run(f'SELECT rowid, key, value FROM "{TABLE}" WHERE {_TASK_EXPR} = ? AND rowid > ? '
                         "ORDER BY rowid", (task_id, cursor))
        fresh = []
        for rowid, key, value in rows:
            tool, _, args = key[len(task_id) + 1:].partition(KEY_SEPARATOR)
            where = f"mapping store {self.path}, task {task_id!r}, tool {tool!r}"
            try:
                arguments = CallKey(task_id, tool, args).arguments
            except ValueError as err:
                raise MappingStoreError(f"{where}: a stored key is damaged ({err}). Restore the file from a backup "
                                        "or move it aside.") from None
            fresh.append(MappingEntry(tool, arguments, decode_value(value, where)))
            cursor = rowid
        return fresh, cursor

    def _task_ids(self) -> list[str]:
        return [t for (t,) in self._run(f'SELECT DISTINCT {_TASK_EXPR} FROM "{TABLE}"')]

    def __len__(self) -> int:
        return self._run(f'SELECT COUNT(*) FROM "{TABLE}"')[0][0]

    def _close(self) -> None:
        with self._lock:
            if self._pid == os.getpid():
                for conn in self._conns:
                    conn.close()
            self._conns = []
            self._closed = True

    def _reopen_args(self) -> tuple[tuple, dict]:
        return (str(self.path),), {"timeout": self.timeout, "synchronous": self.synchronous}
