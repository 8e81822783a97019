"""The mapping store with real sqlite files and real processes: consistency, concurrency, crash safety."""

import json
import multiprocessing as mp
import os
import random
import signal
import sqlite3
import subprocess
import sys
import textwrap

import gymnasium as gym
from sqlitedict import SqliteDict

import synthagent_env  # noqa: F401
from synthagent_env.canonical import call_key
from synthagent_env.mapping_store import MappingStore
from synthagent_env.simulators import Simulator
from synthagent_env.simulators.offline import OfflineUserSimulator

from helpers import TASK, RandomTool, call


def test_write_once_and_listing(mapping_path):
    with MappingStore(mapping_path) as store:
        key = call_key("get_order", {"b": 1, "a": "x"})
        assert store.get("t1", key) is None
        assert store.put_if_absent("t1", key, "first") == "first"
        assert store.put_if_absent("t1", key, "second") == "first"
        assert key == call_key("get_order", {"a": "x", "b": 1})  # argument order does not matter
        store.put_if_absent("t2", key, "other task")
        store.seed("t1", [(call_key("x", {}), "seeded"), (key, "seed must not overwrite")])
        assert store.entries("t1") == [(key, "first"), (call_key("x", {}), "seeded")]
        assert store.entries("t2") == [(key, "other task")]
        # entries another process adds later show up in the next listing
        with MappingStore(mapping_path) as other:
            other.put_if_absent("t1", call_key("y", {}), "from elsewhere")
        assert store.entries("t1")[-1] == (call_key("y", {}), "from elsewhere") and len(store.entries("t1")) == 3
    # a restart sees the same entries, and the file is a plain sqlitedict file
    with MappingStore(mapping_path) as store:
        assert store.get("t1", key) == "first" and len(store) == 4
    plain = SqliteDict(str(mapping_path), tablename="mapping", decode=json.loads, journal_mode="WAL")
    with plain:
        assert len(plain) == 4


def test_memory_caches_stay_bounded(mapping_path, monkeypatch):
    import synthagent_env.mapping_store as ms

    monkeypatch.setattr(ms, "CACHE_ENTRIES", 10)
    monkeypatch.setattr(ms, "CACHE_TASK_LISTINGS", 3)
    with MappingStore(mapping_path) as store:
        for i in range(25):
            store.put_if_absent(f"t{i % 5}", call_key("x", {"i": i}), f"r{i}")
            store.entries(f"t{i % 5}")
        assert len(store._cache) <= 10 and len(store._listed) <= 3
        assert [store.get(f"t{i % 5}", call_key("x", {"i": i})) for i in range(25)] == [f"r{i}" for i in range(25)]
        assert len(store.entries("t0")) == 5


def test_identical_calls_identical_responses_across_episodes_instances_and_restarts(mapping_path):
    sim = Simulator(tool=RandomTool(), user=OfflineUserSimulator())
    seen = []
    for _ in range(2):  # two env instances, the second after the first closed (a restart)
        env = gym.make("synthagent/ToolUse-v0", mapping_path=mapping_path, simulator=sim)
        for _ in range(2):  # two episodes each
            env.reset(options={"task_id": TASK})
            obs, *_ , info = env.step(call("get_order", order_id="NEW-7") + call("get_order", order_id="NEW-8"))
            seen.append(obs)
        env.close()
    assert len(set(seen)) == 1 and seen[0].count('"token"') == 2
    # the first episode produced the entries; every later one was answered from the mapping
    assert info["stats"] == {**info["stats"], "mapping_hits": 2, "simulator_calls": 0}


def _hammer(path, worker, keys, queue):
    """One process inserting (insert-if-absent) and reading every key in its own random order."""
    try:
        store = MappingStore(path)
        order = list(range(keys))
        random.Random(worker).shuffle(order)
        winners = {}
        for k in order:
            call = call_key("tool", {"k": k})
            winners[k] = store.put_if_absent(f"task{k % 3}", call, f"worker{worker}:{k}")
            assert store.get(f"task{k % 3}", call) == winners[k]
        store.close()
        queue.put((worker, winners, None))
    except BaseException as err:  # report, do not hang the parent
        queue.put((worker, None, repr(err)))


def test_four_processes_hammering_one_store(mapping_path):
    MappingStore(mapping_path).close()
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    keys, workers = 1000, 4
    procs = [ctx.Process(target=_hammer, args=(str(mapping_path), w, keys, queue)) for w in range(workers)]
    for p in procs:
        p.start()
    results = [queue.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(timeout=30)
    assert [err for _, _, err in results if err] == []
    winners = [w for _, w, _ in results]
    with MappingStore(mapping_path) as store:
        stored = {int(json.loads(c.split("\x1f", 1)[1])["k"]): v
                  for t in ("task0", "task1", "task2") for c, v in store.entries(t)}
    assert len(stored) == keys  # nothing lost
    for w in winners:  # nothing conflicting: every process saw the stored winner for every key
        assert w == stored


WRITER = textwrap.dedent("""
    import sys
    from synthagent_env.mapping_store import MappingStore
    store = MappingStore(sys.argv[1])
    i = 0
    while True:
        store.put_if_absent("crash", f"k{i}", "v" * 2000 + str(i))
        print(i, flush=True)  # only after the write returned
        i += 1
""")


def test_sigkill_while_writing_loses_nothing_that_returned(mapping_path):
    MappingStore(mapping_path).close()
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
    with MappingStore(mapping_path) as store:
        for i in acknowledged:
            assert store.get("crash", f"k{i}") == "v" * 2000 + str(i)
        assert len(store) >= len(acknowledged)
