"""The agents the Ray cluster tests play with, pickled by value (Ray's workers cannot import the tests). The
cluster itself is conftest's session fixture ``ray_cluster``."""

import sys
import time

import pytest

ray = pytest.importorskip("ray")
ray.cloudpickle.register_pickle_by_value(sys.modules[__name__])


def oracle():
    from synthagent_agents import OracleAgent

    return OracleAgent("tooluse-v0")


class SlowOracle:
    """The oracle, slowed down so that an actor (or a server) can be killed while episodes run."""

    delay = 0.1

    def __init__(self):
        self.inner = oracle()

    def reset(self, info):
        self.inner.reset(info)

    def act(self, observation, info):
        time.sleep(self.delay)
        return self.inner.act(observation, info)
