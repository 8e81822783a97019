"""The mapping store contract on both backends (a real sqlite file, a real redis-server), with real processes:
write-once, insertion order, incremental listing, concurrency, pickling/spawn/fork, unreadable entries."""

import json
import multiprocessing as mp
import os
import pickle
import random
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time

import gymnasium as gym
import pytest
from sqlitedict import SqliteDict

import synthagent_env  # noqa: F401
from synthagent_env import store_pool
from synthagent_env.mapping_key import CallKey, MappingEntry
from synthagent_env.mock_tools import MockTools, TaskMapping
from synthagent_env.simulators import Simulator
from synthagent_env.simulators.offline import OfflineUserSimulator
from synthagent_env.stores import MappingStoreError, SqliteStore
from synthagent_env.stores import cached

from helpers import TASK, RandomTool, call
from redis_server import redis_server, redis_url  # noqa: F401  (fixtures)


@pytest.fixture(params=["sqlite", "redis"])
def spec(request, tmp_path):
    """A fresh store spec on each backend: a file path, or the URL of an emptied real redis-server."""
    if request.param == "sqlite":
        return str(tmp_path / "mapping.sqlite")
    return request.getfixturevalue("redis_url")


def K(task, tool, **arguments):
    return CallKey.of(task, tool, arguments)


def test_write_once_seeds_and_insertion_order(spec):
    with store_pool.open_store(spec) as store:
        key = K("t1", "get_order", b=1, a="x")
        assert store.get(key) is None
        assert store.put_if_absent(key, "first") == "first"
        assert store.put_if_absent(key, "second") == "first"
        assert key == K("t1", "get_order", a="x", b=1)  # argument order does not matter
        store.put_if_absent(K("t2", "get_order", b=1, a="x"), "other task")
        store.seed("t1", [MappingEntry("z", {}, "seeded z"), MappingEntry("get_order", {"a": "x", "b": 1}, "nope"),
                          MappingEntry("a", {"n": 2}, "seeded a")])
        # insertion order, not key order; the seed did not overwrite; seeds are inserted once
        assert store.entries("t1") == [MappingEntry("get_order", {"a": "x", "b": 1}, "first"),
                                       MappingEntry("z", {}, "seeded z"), MappingEntry("a", {"n": 2}, "seeded a")]
        store.seed("t1", [MappingEntry("z", {}, "seeded again")])
        assert len(store.entries("t1")) == 3 and store.get(K("t1", "z")) == "seeded z"
        assert store.entries("t2") == [MappingEntry("get_order", {"a": "x", "b": 1}, "other task")]
        with store_pool.open_store(spec) as other:  # another client's new entry shows up in the next listing
            assert other.put_if_absent(K("t1", "y"), "from elsewhere") == "from elsewhere"
            assert other.put_if_absent(key, "late") == "first"
        assert store.entries("t1")[-1] == MappingEntry("y", {}, "from elsewhere") and len(store.entries("t1")) == 4
        assert sorted(store.task_ids()) == ["t1", "t2"]
    with store_pool.open_store(spec) as store:  # a restart sees the same entries in the same order
        assert store.get(key) == "first"
        assert [e.tool for e in store.entries("t1")] == ["get_order", "z", "a", "y"]


def test_odd_task_ids_and_arguments_round_trip(spec):
    odd = ["a}b{c", "x:l:{y}", "naïve task ✓", "t*?[]"]
    with store_pool.open_store(spec) as store:
        for t in odd:
            store.put_if_absent(K(t, "tool", text="\x00\u2028 ✓", n=[1, {"z": None}]), f"answer {t}")
        assert sorted(store.task_ids()) == sorted(odd)
        for t in odd:
            assert store.entries(t) == [MappingEntry("tool", {"n": [1, {"z": None}], "text": "\x00\u2028 ✓"},
                                                     f"answer {t}")]
    for bad in ("", "a\x1fb", None):  # the key parts are joined with \x1f by the backends
        with pytest.raises(ValueError, match="non-empty string without"):
            CallKey.of(bad, "tool", {})
        with pytest.raises(ValueError):
            CallKey.of("t", bad, {})


def test_listing_fetches_only_entries_added_since_the_last_listing(spec):
    with store_pool.open_store(spec) as store:
        for i in range(50):
            store.put_if_absent(K("t", "x", i=i), f"r{i}")
        fetched = []
        original = store._fetch_since

        def spy(task_id, cursor):
            fresh, cursor = original(task_id, cursor)
            fetched.append(len(fresh))
            return fresh, cursor

        store._fetch_since = spy
        assert len(store.entries("t")) == 50
        store.put_if_absent(K("t", "x", i=50), "r50")
        assert store.entries("t")[-1] == MappingEntry("x", {"i": 50}, "r50")
        assert len(store.entries("t")) == 51
        assert fetched == [50, 1, 0]
        store.put_if_absent(K("t", "x", i=51), "r51")
        assert store.entries_since("t", 50) == [MappingEntry("x", {"i": 50}, "r50"), MappingEntry("x", {"i": 51}, "r51")]
        assert store.entries_since("t", 52) == [] and fetched == [50, 1, 0, 1, 0]


def test_memory_caches_stay_bounded(spec, monkeypatch):
    monkeypatch.setattr(cached, "CACHE_ENTRIES", 10)
    monkeypatch.setattr(cached, "CACHE_TASK_LISTINGS", 3)
    with store_pool.open_store(spec) as store:
        for i in range(25):
            store.put_if_absent(K(f"t{i % 5}", "x", i=i), f"r{i}")
            store.entries(f"t{i % 5}")
        assert len(store._cache) <= 10 and len(store._listed) <= 3
        assert [store.get(K(f"t{i % 5}", "x", i=i)) for i in range(25)] == [f"r{i}" for i in range(25)]
        assert len(store.entries("t0")) == 5


def _hammer(spec, worker, keys, queue):
    """One process inserting (insert-if-absent) and reading every key in its own random order."""
    try:
        store = store_pool.open_store(spec)
        order = list(range(keys))
        random.Random(worker).shuffle(order)
        winners = {}
        for k in order:
            key = K(f"task{k % 3}", "tool", k=k)
            winners[k] = store.put_if_absent(key, f"worker{worker}:{k}")
            assert store.get(key) == winners[k]
        store.close()
        queue.put((worker, winners, None))
    except BaseException as err:  # report, do not hang the parent
        queue.put((worker, None, repr(err)))


def test_four_processes_hammering_one_store(spec):
    store_pool.open_store(spec).close()
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    keys, workers = 600, 4
    procs = [ctx.Process(target=_hammer, args=(spec, w, keys, queue)) for w in range(workers)]
    for p in procs:
        p.start()
    results = [queue.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(timeout=30)
    assert [err for _, _, err in results if err] == []
    with store_pool.open_store(spec) as store:
        listed = [e for t in ("task0", "task1", "task2") for e in store.entries(t)]
    stored = {e.arguments["k"]: e.response for e in listed}
    assert len(listed) == len(stored) == keys  # nothing lost, and each winner listed exactly once
    for _, winners, _ in results:  # nothing conflicting: every process saw the stored winner for every key
        assert winners == stored


class Holder:
    """Something a runner pickles (an env, an actor) that holds a pooled store and MockTools over it."""

    def __init__(self, spec):
        self.store = store_pool.acquire(spec)
        self.mock = MockTools(self.store, RandomTool())


def _use_pickled(blob, queue):
    try:
        holder = pickle.loads(blob)
        assert holder.mock.store is holder.store  # one store per spec per process, shared again after unpickling
        queue.put((holder.store.get(K("p", "x")), holder.store.put_if_absent(K("p", "child"), "from child"), None))
    except BaseException as err:
        queue.put((None, None, repr(err)))


@pytest.mark.parametrize("method", ["spawn", "fork"])
def test_holder_survives_pickling_spawn_and_fork(spec, method):
    holder = Holder(spec)
    holder.store.put_if_absent(K("p", "x"), "stored")
    holder.store.entries("p")  # a live connection, caches and locks: what broke pickling before
    clone = pickle.loads(pickle.dumps(holder))  # same process: joins the same pooled store
    assert clone.store is holder.store and clone.store.get(K("p", "x")) == "stored"
    ctx = mp.get_context(method)
    queue = ctx.Queue()
    proc = ctx.Process(target=_use_pickled, args=(pickle.dumps(holder), queue))
    proc.start()
    got = queue.get(timeout=60)
    proc.join(timeout=30)
    assert got == ("stored", "from child", None)
    assert holder.store.get(K("p", "child")) == "from child"
    if method == "fork":  # the inherited object itself also works in a forked child (it reopens there)
        pid = os.fork()
        if pid == 0:
            try:
                ok = holder.store.put_if_absent(K("p", "forked"), "f") == "f" and holder.store.get(K("p", "x")) == "stored"
            finally:
                os._exit(0 if ok else 1)
        assert os.waitpid(pid, 0)[1] == 0 and holder.store.get(K("p", "forked")) == "f"
    store_pool.release(holder.store)
    store_pool.release(clone.store)


def _damage_value(spec, task, tool, raw):
    """Overwrite one stored value behind the store's back, as a bug or a disk might."""
    if "://" in spec:
        import redis

        client = redis.Redis.from_url(spec)
        client.set(f"synthagent:mapping:e:{{{task}}}:{tool}\x1f{{}}", raw)
        client.close()
    else:
        with sqlite3.connect(spec) as conn:
            conn.execute("UPDATE mapping SET value = ? WHERE key = ?", (raw, f"{task}\x1f{tool}\x1f{{}}"))


@pytest.mark.parametrize("raw", ["not json {", "123", '{"a": 1}', b"\xff\xfe"])
def test_an_unreadable_entry_is_an_error_never_a_miss(spec, raw):
    with store_pool.open_store(spec) as store:
        store.put_if_absent(K("t", "x"), "the answer")
    _damage_value(spec, "t", "x", raw)
    with store_pool.open_store(spec) as store:
        for attempt in (lambda: store.get(K("t", "x")), lambda: store.put_if_absent(K("t", "x"), "a new answer"),
                        lambda: store.entries("t")):
            with pytest.raises(MappingStoreError, match="damaged|not a string") as err:
                attempt()
            assert spec.split("://")[-1].split("/")[0] in str(err.value) or spec in str(err.value)


class EchoView:
    """A tool simulator that records what the mapping view shows it."""

    def __init__(self):
        self.seen = []

    def respond(self, task, tool, arguments, mapping):
        self.seen.append((mapping.entries(), mapping.episode))
        return json.dumps({"n": len(self.seen)})


def test_mock_tools_answer_from_the_store_then_the_simulator(spec):
    from synthagent_env import load_tasks

    task = next(t for t in load_tasks() if t.id == TASK)
    sim = EchoView()
    with store_pool.open_store(spec) as store:
        tools = MockTools(store, sim)
        tools.prepare(task)
        tools.prepare(task)
        seeded = store.entries(task.id)
        assert len(seeded) == len(task.seed_mapping)
        seed = task.seed_mapping[0]
        assert tools.call(task, task.tool(seed.tool), seed.arguments, []) == (seed.response_text(), "mapping")
        earlier = [MappingEntry(seed.tool, seed.arguments, seed.response_text())]
        tool = task.tools[0]
        response, source = tools.call(task, tool, {"fresh": 1}, earlier)
        assert (response, source) == ('{"n": 1}', "simulator")
        view = TaskMapping(store, task.id)
        assert view.entries_since(1) == view.entries()[1:] and len(view.entries()) == len(seeded) + 1
        assert sim.seen == [(seeded, earlier)]  # the task's entries in order, and this episode's own calls
        assert tools.call(task, tool, {"fresh": 1}, []) == ('{"n": 1}', "mapping") and len(sim.seen) == 1


def test_identical_calls_identical_responses_across_episodes_instances_and_restarts(mapping_path):
    sim = Simulator(tool=RandomTool(), user=OfflineUserSimulator())
    seen = []
    for _ in range(2):  # two env instances, the second after the first closed (a restart)
        env = gym.make("synthagent/ToolUse-v0", mapping_path=mapping_path, simulator=sim)
        for _ in range(2):  # two episodes each
            env.reset(options={"task_id": TASK})
            obs, *_, info = env.step(call("get_order", order_id="NEW-7") + call("get_order", order_id="NEW-8"))
            seen.append(obs)
        env.close()
    assert len(set(seen)) == 1 and seen[0].count('"token"') == 2
    assert info["stats"] == {**info["stats"], "mapping_hits": 2, "simulator_calls": 0}


def test_the_file_is_a_plain_sqlitedict_file_both_ways(mapping_path):
    with SqliteDict(str(mapping_path), tablename="mapping", encode=json.dumps, decode=json.loads,
                    autocommit=True) as old:  # a file written by sqlitedict alone (default journal mode)
        old["t\x1fx\x1f{}"] = "written by sqlitedict"
    with SqliteStore(mapping_path) as store:
        assert store.get(K("t", "x")) == "written by sqlitedict"
        store.put_if_absent(K("t", "y", a=1), "written by the store")
    with SqliteDict(str(mapping_path), tablename="mapping", decode=json.loads, journal_mode="WAL") as plain:
        assert dict(plain) == {"t\x1fx\x1f{}": "written by sqlitedict", 't\x1fy\x1f{"a":1}': "written by the store"}


WRITER = textwrap.dedent("""
    import sys
    from synthagent_env.mapping_key import CallKey
    from synthagent_env.store_pool import open_store
    store = open_store(sys.argv[1])
    i = 0
    while True:
        store.put_if_absent(CallKey.of("crash", "w", {"i": i}), "v" * 2000 + str(i))
        print(i, flush=True)  # only after the write returned
        i += 1
""")


def test_sigkill_while_writing_loses_nothing_that_returned(mapping_path):
    SqliteStore(mapping_path).close()
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(mapping_path)], stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": os.getcwd()})
    acknowledged = []
    for line in proc.stdout:
        acknowledged.append(int(line))
        if len(acknowledged) >= 300:
            break
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    acknowledged += [int(line) for line in proc.stdout.read().split()]
    with sqlite3.connect(mapping_path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    with SqliteStore(mapping_path) as store:
        for i in acknowledged:
            assert store.get(K("crash", "w", i=i)) == "v" * 2000 + str(i)
        assert len(store.entries("crash")) >= len(acknowledged)


# ---- hardening of the sqlite file (issue 11 findings 8, 9) ----

HOLD_LOCK = textwrap.dedent("""
    import sqlite3, sys, time
    conn = sqlite3.connect(sys.argv[1], isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("INSERT INTO mapping (key, value) VALUES ('held\\x1fx\\x1f{}', '\\"held\\"')")
    print("locked", flush=True)
    time.sleep(60)
""")


def test_a_locked_file_fails_fast_with_an_error_naming_it(mapping_path):
    with SqliteStore(mapping_path) as store:
        store.put_if_absent(K("t", "stored"), "yes")
        assert store.timeout == 10.0  # the default bound (it was 60 s, and reset() hung that long)
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(mapping_path)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        store = SqliteStore(mapping_path, timeout=1)  # opening and reading do not wait for the writer (WAL)
        assert store.get(K("t", "stored")) == "yes"
        for write in (lambda: store.put_if_absent(K("t", "new"), "r"),
                      lambda: store.seed("t", [MappingEntry("s", {}, "r")])):
            started = time.monotonic()
            with pytest.raises(MappingStoreError, match="write lock") as err:
                write()
            assert time.monotonic() - started < 5 and str(mapping_path) in str(err.value)
        store.close()
    finally:
        holder.kill()
        holder.wait()
    with SqliteStore(mapping_path) as store:  # the lock gone, the store works and lost nothing
        assert store.put_if_absent(K("t", "new"), "r") == "r" and store.get(K("t", "stored")) == "yes"


def _filled(path, n=3000):
    with SqliteStore(path) as store:
        store.seed("t", [MappingEntry("tool", {"i": i}, "v" * 200 + str(i)) for i in range(n)])
    return os.path.getsize(path)


def _garbage_pages(path, seed):
    size = os.path.getsize(path)
    rnd = random.Random(seed)
    with open(path, "r+b") as f:
        for page in rnd.sample(range(2, size // 4096), 3):
            f.seek(page * 4096)
            f.write(rnd.randbytes(4096))


@pytest.mark.parametrize("damage", ["garbage_pages_1", "garbage_pages_2", "truncated", "garbage_header", "text"])
def test_a_damaged_file_is_detected_when_opened_and_named(mapping_path, damage):
    size = _filled(mapping_path)
    if damage.startswith("garbage_pages"):
        _garbage_pages(mapping_path, int(damage[-1]))
    elif damage == "truncated":
        os.truncate(mapping_path, size // 2)
    elif damage == "garbage_header":
        with open(mapping_path, "r+b") as f:
            f.write(b"\x00" * 100)
    else:
        mapping_path.write_text("this is not a database\n" * 100)
    before = sorted(os.listdir(mapping_path.parent))
    for attempt in (lambda: store_pool.check(mapping_path), lambda: SqliteStore(mapping_path),
                    lambda: store_pool.acquire(mapping_path)):
        with pytest.raises(MappingStoreError, match="damaged") as err:
            attempt()
        assert str(mapping_path) in str(err.value) and "backup" in str(err.value)
    after = set(os.listdir(mapping_path.parent)) - {"mapping.sqlite-wal", "mapping.sqlite-shm"}  # sqlite's own
    assert after == set(before)  # nothing else created beside it


def test_damage_after_open_is_an_error_never_a_different_answer(mapping_path):
    _filled(mapping_path, 2000)
    store = SqliteStore(mapping_path)  # opened (and checked) while intact
    _garbage_pages(mapping_path, 7)
    outcomes = set()
    for i in range(2000):
        try:
            got = store.get(K("t", "tool", i=i))
        except MappingStoreError as err:
            assert str(mapping_path) in str(err)
            outcomes.add("error")
            continue
        assert got == "v" * 200 + str(i)  # never None (a miss) and never another answer
        outcomes.add("right")
    assert "error" in outcomes
    with pytest.raises(MappingStoreError):
        store.entries("t")
    store.close()


@pytest.mark.parametrize("bad", ["", ".", "/dev/null"])
def test_paths_that_cannot_be_a_mapping_are_rejected_creating_nothing(tmp_path, monkeypatch, bad):
    monkeypatch.chdir(tmp_path)
    for attempt in (SqliteStore, store_pool.check, store_pool.acquire, store_pool.open_store):
        with pytest.raises(MappingStoreError, match="empty|directory|not a regular file"):
            attempt(bad)
    assert os.listdir(tmp_path) == [] and not os.path.exists("/dev/null.lock")


def test_check_validates_and_keeps_nothing_open(tmp_path):
    fresh = tmp_path / "sub" / "new.sqlite"
    assert store_pool.check(fresh) == str(fresh) and not (tmp_path / "sub").exists()  # creates nothing
    (tmp_path / "file").write_text("x")
    with pytest.raises(MappingStoreError, match="cannot be created"):
        store_pool.check(tmp_path / "file" / "mapping.sqlite")
    existing = tmp_path / "m.sqlite"
    _filled(existing, 10)
    assert store_pool.check(existing) == str(existing)
    fds = [os.readlink(f"/proc/self/fd/{fd}") for fd in os.listdir("/proc/self/fd") if os.path.exists(f"/proc/self/fd/{fd}")]
    assert not [f for f in fds if f.startswith(str(existing))]
    with pytest.raises(MappingStoreError, match="unknown URL scheme"):
        store_pool.check("http://127.0.0.1:1/0")


READ_ONLY_PROBE = textwrap.dedent("""
    import json, sys
    from synthagent_env import store_pool
    from synthagent_env.mapping_key import CallKey, MappingEntry
    from synthagent_env.stores import MappingStoreError
    out = {"check": store_pool.check(sys.argv[1])}
    store = store_pool.acquire(sys.argv[1])
    out["read_only"] = store.read_only
    out["stored"] = store.get(CallKey.of("t", "tool", {"i": 1}))
    out["listed"] = len(store.entries("t"))
    store.seed("t", [MappingEntry("tool", {"i": 1}, "ignored: already stored")])
    for name, write in (("new", lambda: store.put_if_absent(CallKey.of("t", "tool", {"i": -1}), "r")),
                        ("seed", lambda: store.seed("t", [MappingEntry("tool", {"i": -2}, "r")]))):
        try:
            write()
            out[name] = "stored"
        except MappingStoreError as err:
            out[name] = str(err)
    print(json.dumps(out))
""")


@pytest.mark.parametrize("mount", ["directory", "file"])
def test_a_read_only_mount_replays_stored_calls_and_refuses_new_ones(tmp_path, mount):
    if subprocess.run(["bwrap", "--dev-bind", "/", "/", "true"], capture_output=True).returncode != 0:
        pytest.skip("bubblewrap cannot make a read-only mount here")
    path = tmp_path / "ro" / "mapping.sqlite"
    _filled(path, 5)
    before = sorted(os.listdir(path.parent))
    target = path.parent if mount == "directory" else path
    result = subprocess.run(["bwrap", "--dev-bind", "/", "/", "--ro-bind", str(target), str(target),
                             sys.executable, "-c", READ_ONLY_PROBE, str(path)],
                            capture_output=True, text=True, env={**os.environ, "PYTHONPATH": os.getcwd()})
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["read_only"] is True and out["stored"] == "v" * 200 + "1" and out["listed"] == 5
    for name in ("new", "seed"):
        assert "is read-only" in out[name] and str(path) in out[name] and "writable copy" in out[name]
    after = set(os.listdir(path.parent))
    if mount == "file":  # the folder is writable: sqlite may keep its -wal/-shm there, but no lock file appears
        after -= {"mapping.sqlite-wal", "mapping.sqlite-shm"}
    assert after == set(before)
