"""Feeds for the aggregator servers to fetch (and broken answers), served on 127.0.0.1.

tt-rss asks with HEAD before each GET (to follow redirects), so this host answers both.
Each path holds a document that a test may replace between server updates.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import escape


class FeedHost:
    """Serves ``documents[path]`` as RSS; anything else is a 404."""

    def __init__(self) -> None:
        self.documents: dict[str, bytes] = {}
        self.statuses: dict[str, int] = {}
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def put(self, path: str, body: bytes, status: int = 200) -> str:
        self.documents[path] = body
        self.statuses[path] = status
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}{path}"

    def __enter__(self) -> FeedHost:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        host = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self, with_body: bool) -> None:
                path = self.path.split("?")[0]
                body = host.documents.get(path)
                if body is None:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send_response(host.statuses.get(path, 200))
                self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if with_body:
                    self.wfile.write(body)

            def do_GET(self) -> None:
                self._answer(True)

            def do_HEAD(self) -> None:
                self._answer(False)

            def do_POST(self) -> None:  # a stand-in API answers the same whatever is asked
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                self._answer(True)

            def log_message(self, format: str, *args: object) -> None:
                pass

        return Handler


def rss_feed(title: str, items: list[tuple[str, str, str]], day: int = 1) -> bytes:
    """An RSS document; items are (guid, title, html body), dated one minute apart."""
    parts = [
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>',
        f"<title>{escape(title)}</title><link>https://example.org/</link>",
        "<description>test</description>",
    ]
    for number, (guid, item_title, body) in enumerate(items):
        minute, hour = number % 60, (number // 60) % 24
        parts.append(
            f"<item><guid isPermaLink='false'>{escape(guid)}</guid>"
            f"<title>{escape(item_title)}</title>"
            f"<link>https://example.org/{escape(guid)}</link>"
            f"<pubDate>Mon, {day:02d} Jun 2026 {hour:02d}:{minute:02d}:00 GMT</pubDate>"
            f"<description>{escape(body)}</description></item>"
        )
    parts.append("</channel></rss>")
    return "".join(parts).encode()
