"""Shared test setup: one torch thread (small torch ops are ~100x faster here), a scratch mapping store."""

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ["RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER"] = "0"  # Ray, when a test uses it, gives every node 127.0.0.1

import pytest  # noqa: E402


@pytest.fixture
def mapping_path(tmp_path):
    return tmp_path / "mapping.sqlite"


@pytest.fixture(scope="session")
def ray_cluster():
    """A two-node Ray cluster on this machine (Ray's own ``cluster_utils.Cluster``), once per session."""
    ray = pytest.importorskip("ray")
    from ray.cluster_utils import Cluster

    c = Cluster(initialize_head=True, head_node_args={"num_cpus": 2, "include_dashboard": False})
    c.add_node(num_cpus=2)
    c.wait_for_nodes()
    ray.init(address=c.address, log_to_driver=False)
    yield c
    ray.shutdown()
    c.shutdown()
