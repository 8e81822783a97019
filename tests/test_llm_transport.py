"""The client's HTTP layer and the loopback server's socket set-up: one write per request, connections a thread
keeps, Nagle off on both ends, compressed bodies (and compression bombs), against real loopback servers."""

from __future__ import annotations

import asyncio
import gzip
import socket
import threading
import zlib

import httpcore
import pytest
from loopback_llm import HELLO

from synthagent_env.llm import LLMTestServer, LLMUnavailableError, OpenAIClient
from synthagent_env.llm import transport
from synthagent_env.llm.loopback_server import HTTPReply

COMPLETION = {"choices": [{"message": {"role": "assistant", "content": "squeezed"}, "finish_reason": "stop"}]}


class RecordingStream(httpcore.NetworkStream):
    """A network stream that records what reaches the socket (a test fake)."""

    def __init__(self) -> None:
        self.sent: list[bytes] = []
        self.closed = False

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self.sent.append(buffer)

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return b"reply"

    def close(self) -> None:
        self.closed = True


def test_a_request_head_and_body_leave_in_one_write():
    inner = RecordingStream()
    stream = transport._GatheringStream(inner)
    stream.write(b"POST / HTTP/1.1\r\nContent-Length: 4\r\n\r\n", timeout=1.0)
    stream.write(b"body", timeout=1.0)
    stream.write(b"", timeout=1.0)  # h11's end of message
    assert inner.sent == []  # nothing leaves before the response is read
    assert stream.read(10) == b"reply"
    assert inner.sent == [b"POST / HTTP/1.1\r\nContent-Length: 4\r\n\r\nbody"]
    stream.read(10)
    assert len(inner.sent) == 1  # a read with nothing pending writes nothing
    stream.write(b"unsent")
    stream.close()
    assert inner.closed and len(inner.sent) == 1  # a closed connection drops what it had not sent


def test_a_thread_keeps_one_connection_per_server():
    # Round-robin over the client's 8 pools gave a thread a new connection per pool: 8 for 8 sequential calls.
    with LLMTestServer() as a, LLMTestServer() as b:
        client = OpenAIClient([a.url, b.url], model="m", max_concurrency=64)
        for _ in range(16):
            client.chat(HELLO)
        assert [s["sent"] for s in client.servers.snapshot()] == [8, 8]
        live = [len(s._server.server_state.connections) for s in (a, b)]
        client.close()
    assert live == [1, 1]


def test_threads_spread_over_pools_and_reuse_their_connections():
    with LLMTestServer() as server:
        client = OpenAIClient(server.url, model="m", max_concurrency=16)  # two pools
        barrier = threading.Barrier(4)

        def work() -> None:
            barrier.wait()
            for _ in range(10):
                client.chat(HELLO)

        threads = [threading.Thread(target=work) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        opened = len(server._server.server_state.connections)
        client.close()
    assert opened <= 4 and server.stats["requests"] == 40


def test_nagle_is_off_on_the_loopback_server_and_the_client():
    server = LLMTestServer()
    sock = server.bind()
    try:
        assert sock.proto == socket.IPPROTO_TCP  # asyncio sets TCP_NODELAY only on sockets whose proto says TCP
        assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
    finally:
        sock.close()
    assert (socket.IPPROTO_TCP, socket.TCP_NODELAY, 1) in transport.SOCKET_OPTIONS


@pytest.mark.parametrize("coding,squeeze", [
    ("gzip", gzip.compress),
    ("deflate", zlib.compress),
    ("deflate", lambda data: zlib.compress(data)[2:-4]),  # raw deflate, as some servers send it
])
def test_a_compressed_body_is_inflated(coding, squeeze):
    import json

    body = squeeze(json.dumps(COMPLETION).encode())
    with LLMTestServer(script=[HTTPReply(200, body, {"Content-Encoding": coding, "Content-Type": "application/json"})]
                       ) as server:
        client = OpenAIClient(server.url, model="m")
        assert client.chat(HELLO).text == "squeezed"
        client.close()


def test_a_damaged_or_bomb_body_is_a_server_failure_not_content(monkeypatch):
    bomb = gzip.compress(b"{" + b" " * 200_000 + b"}")
    monkeypatch.setattr(transport, "MAX_INFLATED_BYTES", 100_000)
    replies = [HTTPReply(200, b"not gzip at all", {"Content-Encoding": "gzip"}),
               HTTPReply(200, bomb, {"Content-Encoding": "gzip"}),
               HTTPReply(200, b"{}", {"Content-Encoding": "br"})]
    with LLMTestServer(script=replies) as server:
        client = OpenAIClient(server.url, model="m", max_retries=2, backoff=0.0)
        with pytest.raises(LLMUnavailableError) as err:
            client.chat(HELLO)
        client.close()
    assert err.value.attempts == 3 and "unsupported Content-Encoding 'br'" in err.value.reason


def test_decoded_reports_why():
    with pytest.raises(ValueError, match="damaged"):
        transport.decoded([(b"Content-Encoding", b"gzip")], b"junk")
    assert transport.decoded([], b"plain") == b"plain"
    assert transport.decoded([(b"content-encoding", b"identity")], b"plain") == b"plain"


def test_the_request_carries_host_and_length_and_the_clients_headers():
    with LLMTestServer() as server:
        client = OpenAIClient(server.url, model="m", headers={"X-Team": "rl"})
        client.chat(HELLO)
        client.close()
        seen = server.requests[0].headers
    assert seen["host"] == f"127.0.0.1:{server.port}" and int(seen["content-length"]) > 0
    assert seen["x-team"] == "rl" and seen["content-type"] == "application/json"
    assert "accept-encoding" not in seen  # servers answer uncompressed


def test_a_cancelled_async_request_frees_its_server():
    # A cancelled request is nobody's failure, but it must not stay counted as in flight: the pool routes by that
    # count, so a server would look busy forever.
    with LLMTestServer(fault_plan=["timeout"], hang=5) as server:
        client = OpenAIClient(server.url, model="m")

        async def run() -> None:
            task = asyncio.create_task(client.achat(HELLO))
            while not server.stats["requests"]:
                await asyncio.sleep(0.01)
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            await client.aclose()

        asyncio.run(run())
        (state,) = client.servers.snapshot()
    assert state["outstanding"] == 0 and state["failures"] == 0
