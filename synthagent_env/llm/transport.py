"""The client's HTTP/1.1 layer: httpcore connection pools, driven directly, one request in one write.

Why not ``httpx``'s transports: per request they build an ``httpx.Request`` (URL parsing, header models) and wrap
httpcore's response; measured here that was ~40% of the client's HTTP CPU. httpcore (httpx's own engine) does the
protocol: pools, keep-alive, TLS, timeouts, h11's parser. What this module adds:

- ``Endpoint``: a server's URL parsed once (scheme, host, port, path prefix, ``Host`` header), not per request.
- Writes are gathered until the first read, so a request's head and body leave in one ``send`` (httpcore writes
  them separately: two syscalls, and two wake-ups of the server for one request).
- Nagle off (``TCP_NODELAY``), as urllib3 and most clients do.
- ``TRANSPORT_ERRORS``: what "the server did not answer" is (refused, reset, timed out, protocol violation); the
  names match httpx's, so retry reasons read the same.
- ``decoded``: a body the server compressed anyway (``Content-Encoding: gzip``/``deflate``) is inflated; no
  ``Accept-Encoding`` is sent, so servers answer in plain bytes (nothing to inflate on a LAN).
"""

from __future__ import annotations

import socket
import ssl
import zlib
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpcore

SOCKET_OPTIONS = [(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)]
KEEPALIVE_EXPIRY = 5.0  # seconds an idle connection is kept (httpx's default; servers' own is often 5 s too)
USER_AGENT = b"synthagent"
TRANSPORT_ERRORS = (httpcore.TimeoutException, httpcore.NetworkError, httpcore.ProtocolError, httpcore.ProxyError,
                    httpcore.UnsupportedProtocol)
MAX_INFLATED_BYTES = 256 * 1024 * 1024  # a compressed body may not inflate past this (a zip bomb is refused)


@dataclass(frozen=True)
class Endpoint:
    """One server's base URL, parsed once: ``url(path)`` and ``headers`` need no parsing per request."""

    scheme: bytes
    host: bytes
    port: int
    prefix: bytes  # the base URL's path, e.g. b"/v1"
    host_header: bytes

    @classmethod
    def of(cls, base_url: str) -> Endpoint:
        parts = urlsplit(base_url)
        host = parts.hostname or ""
        port = parts.port or (443 if parts.scheme == "https" else 80)
        default = port == (443 if parts.scheme == "https" else 80)
        shown = f"[{host}]" if ":" in host else host
        return cls(parts.scheme.encode("ascii"), host.encode("idna"), port, parts.path.rstrip("/").encode("utf-8"),
                   (shown if default else f"{shown}:{port}").encode("idna"))

    def url(self, path: str) -> httpcore.URL:
        return httpcore.URL(scheme=self.scheme, host=self.host, port=self.port, target=self.prefix + path.encode())


def request_headers(endpoint: Endpoint, extra: list[tuple[bytes, bytes]], body: bytes | None) -> list[tuple[bytes, bytes]]:
    """``Host``, ``Content-Length`` (h11 needs both), then the client's own headers."""
    head = [(b"Host", endpoint.host_header), (b"Accept", b"application/json"), (b"User-Agent", USER_AGENT)]
    if body is not None:
        head.append((b"Content-Length", str(len(body)).encode("ascii")))
    return head + extra


def header(headers: list[tuple[bytes, bytes]], name: bytes) -> str | None:
    """The first value of a response header (names compare case-insensitively), as text."""
    for key, value in headers:
        if key.lower() == name:
            return value.decode("latin-1")
    return None


def decoded(headers: list[tuple[bytes, bytes]], content: bytes) -> bytes:
    """The body with any ``gzip``/``deflate`` content coding removed (raises ``ValueError`` if it is not valid)."""
    coding = (header(headers, b"content-encoding") or "identity").strip().lower()
    if coding in ("identity", ""):
        return content
    if coding not in ("gzip", "x-gzip", "deflate"):
        raise ValueError(f"unsupported Content-Encoding {coding!r}")
    inflater = zlib.decompressobj(47 if coding != "deflate" else 15)  # 47: gzip or zlib header, auto-detected
    try:
        out = inflater.decompress(content, MAX_INFLATED_BYTES)
    except zlib.error:
        if coding != "deflate":
            raise ValueError("the gzip body is damaged") from None
        inflater = zlib.decompressobj(-15)  # some servers send raw deflate without the zlib header
        try:
            out = inflater.decompress(content, MAX_INFLATED_BYTES)
        except zlib.error as err:
            raise ValueError(f"the deflate body is damaged ({err})") from None
    if inflater.unconsumed_tail:
        raise ValueError(f"the compressed body inflates past {MAX_INFLATED_BYTES:,} bytes")
    return out


# ---- one write per request: a stream that gathers writes until the next read ----


class _GatheringStream(httpcore.NetworkStream):
    def __init__(self, stream: httpcore.NetworkStream):
        self._stream, self._pending, self._timeout = stream, [], None

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        if buffer:
            self._pending.append(buffer)
        self._timeout = timeout

    def _flush(self) -> None:
        if self._pending:
            data = b"".join(self._pending)
            self._pending.clear()
            self._stream.write(data, self._timeout)

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        self._flush()
        return self._stream.read(max_bytes, timeout)

    def close(self) -> None:
        self._pending.clear()
        self._stream.close()

    def start_tls(self, ssl_context: ssl.SSLContext, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore.NetworkStream:
        self._flush()
        return _GatheringStream(self._stream.start_tls(ssl_context, server_hostname, timeout))

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


class _GatheringBackend(httpcore.NetworkBackend):
    def __init__(self) -> None:
        self._backend = httpcore.SyncBackend()

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                    socket_options: Any = None) -> httpcore.NetworkStream:
        return _GatheringStream(self._backend.connect_tcp(host, port, timeout, local_address, socket_options))

    def connect_unix_socket(self, path: str, timeout: float | None = None,
                            socket_options: Any = None) -> httpcore.NetworkStream:
        return _GatheringStream(self._backend.connect_unix_socket(path, timeout, socket_options))

    def sleep(self, seconds: float) -> None:
        self._backend.sleep(seconds)


class _AsyncGatheringStream(httpcore.AsyncNetworkStream):
    def __init__(self, stream: httpcore.AsyncNetworkStream):
        self._stream, self._pending, self._timeout = stream, [], None

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        if buffer:
            self._pending.append(buffer)
        self._timeout = timeout

    async def _flush(self) -> None:
        if self._pending:
            data = b"".join(self._pending)
            self._pending.clear()
            await self._stream.write(data, self._timeout)

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        await self._flush()
        return await self._stream.read(max_bytes, timeout)

    async def aclose(self) -> None:
        self._pending.clear()
        await self._stream.aclose()

    async def start_tls(self, ssl_context: ssl.SSLContext, server_hostname: str | None = None,
                        timeout: float | None = None) -> httpcore.AsyncNetworkStream:
        await self._flush()
        return _AsyncGatheringStream(await self._stream.start_tls(ssl_context, server_hostname, timeout))

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


class _AsyncGatheringBackend(httpcore.AsyncNetworkBackend):
    def __init__(self) -> None:
        self._backend = httpcore.AnyIOBackend()

    async def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                          local_address: str | None = None, socket_options: Any = None) -> httpcore.AsyncNetworkStream:
        return _AsyncGatheringStream(await self._backend.connect_tcp(host, port, timeout, local_address,
                                                                     socket_options))

    async def connect_unix_socket(self, path: str, timeout: float | None = None,
                                  socket_options: Any = None) -> httpcore.AsyncNetworkStream:
        return _AsyncGatheringStream(await self._backend.connect_unix_socket(path, timeout, socket_options))

    async def sleep(self, seconds: float) -> None:
        await self._backend.sleep(seconds)


def sync_pool(ssl_context: ssl.SSLContext, max_connections: int, max_keepalive: int) -> httpcore.ConnectionPool:
    return httpcore.ConnectionPool(ssl_context=ssl_context, max_connections=max_connections,
                                   max_keepalive_connections=max_keepalive, keepalive_expiry=KEEPALIVE_EXPIRY,
                                   network_backend=_GatheringBackend(), socket_options=SOCKET_OPTIONS)


def async_pool(ssl_context: ssl.SSLContext, max_connections: int, max_keepalive: int) -> httpcore.AsyncConnectionPool:
    return httpcore.AsyncConnectionPool(ssl_context=ssl_context, max_connections=max_connections,
                                        max_keepalive_connections=max_keepalive, keepalive_expiry=KEEPALIVE_EXPIRY,
                                        network_backend=_AsyncGatheringBackend(), socket_options=SOCKET_OPTIONS)
