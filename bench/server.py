"""A small HTTP server on 127.0.0.1 that serves a feed corpus for the benchmarks.

With validators on, every response carries an ETag and a Last-Modified header and answers
conditional requests with 304. With validators off it always sends the full body.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LAST_MODIFIED = formatdate(1_767_225_600, usegmt=True)  # 2026-01-01, fixed for repeatability


class CorpusServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256

    def __init__(self, corpus: dict[str, bytes]) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.corpus = corpus
        self.etags = {
            name: '"' + hashlib.sha1(data).hexdigest() + '"' for name, data in corpus.items()
        }
        self.validators = True
        self.requests = 0
        self.not_modified = 0
        self._lock = threading.Lock()

    def url(self, name: str) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}/{name}"

    def count(self, not_modified: bool) -> None:
        with self._lock:
            self.requests += 1
            self.not_modified += int(not_modified)


class _Handler(BaseHTTPRequestHandler):
    server: CorpusServer
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        name = self.path.lstrip("/")
        data = self.server.corpus.get(name)
        if data is None:
            self.send_error(404)
            return
        if self.server.validators:
            etag = self.server.etags[name]
            fresh = self.headers.get("If-None-Match") == etag or (
                self.headers.get("If-Modified-Since") == LAST_MODIFIED
                and "If-None-Match" not in self.headers
            )
            if fresh:
                self.server.count(True)
                self.send_response(304)
                self.send_header("ETag", etag)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
        self.server.count(False)
        self.send_response(200)
        self.send_header("Content-Type", "application/xml; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        if self.server.validators:
            self.send_header("ETag", self.server.etags[name])
            self.send_header("Last-Modified", LAST_MODIFIED)
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:
        return


@contextmanager
def serve(corpus: dict[str, bytes]) -> Iterator[CorpusServer]:
    server = CorpusServer(corpus)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
