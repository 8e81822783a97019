"""Old name of ``loopback_server`` (kept so existing imports and ``python -m`` lines work); use that module."""

from .loopback_server import (
    FAULT_KINDS,
    GARBAGE,
    HTTPReply,
    LLMTestServer,
    LoopbackServer,
    Received,
    main,
)

__all__ = ["FAULT_KINDS", "GARBAGE", "HTTPReply", "LLMTestServer", "LoopbackServer", "Received", "main"]

if __name__ == "__main__":
    raise SystemExit(main())
