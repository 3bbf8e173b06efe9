"""A local HTTP server in a daemon thread: the base of the offline stand-ins for Reddit and Arctic Shift that the
demo and the tests talk to instead of the internet (it binds 127.0.0.1 unless told otherwise)."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class LoopbackServer:
    """A running server: ``url`` to point a client at, ``stop()`` (or a ``with`` block) to end it."""

    server: ThreadingHTTPServer = field(repr=False)
    thread: threading.Thread = field(repr=False)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)

    def __enter__(self):
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()


def start(handler: type[BaseHTTPRequestHandler], state: Any, name: str, host: str = "127.0.0.1",
          port: int = 0) -> tuple[ThreadingHTTPServer, threading.Thread]:
    """Serve ``handler`` (given ``state`` as a class attribute) in a daemon thread; port 0: any free port."""
    server = ThreadingHTTPServer((host, port), type("BoundHandler", (handler,), {"state": state}))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, name=name, daemon=True)
    thread.start()
    return server, thread
