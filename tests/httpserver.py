"""A small HTTP server on 127.0.0.1 that the fetch and refresh tests start themselves.

Each path answers with a ``Reply`` (or a function of the request that returns one). The
server counts requests per path and connections, keeps the requests' headers, and tracks
how many were in flight at once. Slow replies wake up as soon as the server stops, so
every thread ends cleanly.
"""

from __future__ import annotations

import gzip
import threading
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import escape


@dataclass(frozen=True)
class Request:
    path: str
    headers: Mapping[str, str]


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    reason: str | None = None
    send_length: bool = True  # without Content-Length the body ends when the connection does


Route = Reply | Callable[[Request], Reply]


class FeedServer:
    """Routes by path; ``hits`` counts requests, ``requests`` keeps them in order."""

    def __init__(self, *, keep_alive: bool = False) -> None:
        self.keep_alive = keep_alive  # HTTP/1.1: a connection serves many requests
        self.connections = 0
        self.routes: dict[str, Route] = {}
        self.hits: Counter[str] = Counter()
        self.requests: list[Request] = []
        self.in_flight = 0
        self.most_in_flight = 0
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    def url(self, path: str) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}{path}"

    def route(self, path: str, reply: Route) -> str:
        self.routes[path] = reply
        return self.url(path)

    def requests_to(self, path: str) -> list[Request]:
        return [request for request in self.requests if request.path == path]

    def __enter__(self) -> FeedServer:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stopping.set()
        self._server.shutdown()
        self._server.server_close()  # joins the request threads
        self._thread.join()

    def _answer(self, request: Request) -> Reply:
        with self._lock:
            self.hits[request.path] += 1
            self.requests.append(request)
        route = self.routes.get(request.path)
        if route is None:
            return Reply(404, b"no such feed")
        return route(request) if callable(route) else route

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1" if server.keep_alive else "HTTP/1.0"

            def setup(self) -> None:
                super().setup()
                with server._lock:
                    server.connections += 1

            def do_GET(self) -> None:
                request = Request(self.path, dict(self.headers.items()))
                with server._lock:
                    server.in_flight += 1
                    server.most_in_flight = max(server.most_in_flight, server.in_flight)
                try:
                    reply = server._answer(request)
                    if reply.delay:
                        server._stopping.wait(reply.delay)
                    self.send_response(reply.status, reply.reason)
                    headers = dict(reply.headers)
                    if reply.send_length:
                        headers.setdefault("Content-Length", str(len(reply.body)))
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(reply.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout or a size cap): that is the test
                finally:
                    with server._lock:
                        server.in_flight -= 1

            def log_message(self, format: str, *args: object) -> None:
                pass

        return Handler


def rss(title: str, items: list[dict[str, str]]) -> bytes:
    """An RSS 2.0 document; each item maps element names (guid, link, title...) to text."""
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<rss version="2.0"><channel>',
        f"<title>{escape(title)}</title><link>https://example.org/</link>",
        "<description>test feed</description><language>en</language>",
    ]
    for item in items:
        fields = "".join(f"<{name}>{escape(value)}</{name}>" for name, value in item.items())
        parts.append(f"<item>{fields}</item>")
    parts.append("</channel></rss>")
    return "\n".join(parts).encode()


def atom(title: str, entries: list[dict[str, str]]) -> bytes:
    """An Atom document; each entry gives id, title, updated and summary."""
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom">',
        f"<title>{escape(title)}</title><id>urn:test:{escape(title)}</id>",
        "<updated>2024-05-01T12:00:00Z</updated>",
    ]
    for entry in entries:
        parts.append(
            f"<entry><id>{escape(entry['id'])}</id><title>{escape(entry['title'])}</title>"
            f"<updated>{entry.get('updated', '2024-05-01T12:00:00Z')}</updated>"
            f"<summary>{escape(entry.get('summary', ''))}</summary></entry>"
        )
    parts.append("</feed>")
    return "\n".join(parts).encode()


def numbered_items(count: int, prefix: str = "Story") -> list[dict[str, str]]:
    return [
        {
            "guid": f"urn:{prefix.lower()}:{n}",
            "title": f"{prefix} {n}",
            "description": f"Text of {prefix.lower()} {n}.",
            "pubDate": f"Wed, {n % 28 + 1:02d} May 2024 10:00:00 GMT",
        }
        for n in range(count)
    ]


def gzipped(body: bytes) -> Reply:
    return Reply(200, gzip.compress(body), {"Content-Encoding": "gzip"})


def http_date(moment: datetime) -> str:
    return format_datetime(moment, usegmt=True)
