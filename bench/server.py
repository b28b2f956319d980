"""A small HTTP server on 127.0.0.1 that serves a feed corpus for the benchmarks.

It runs in a process of its own, so that it takes no CPU time from the reader being
measured. With validators on, every response carries an ETag and a Last-Modified header and
conditional requests get a 304; with validators off every request gets the full body.
The parent steers it through two control paths: ``/_stats`` and ``/_validators/on|off``.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import threading
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LAST_MODIFIED = formatdate(1_767_225_600, usegmt=True)  # 2026-01-01, fixed for repeatability


class _CorpusHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256

    def __init__(self, corpus: dict[str, bytes]) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.corpus = corpus
        self.etags = {name: f'"{hashlib.sha1(data).hexdigest()}"' for name, data in corpus.items()}
        self.validators = True
        self.requests = 0
        self.not_modified = 0
        self.lock = threading.Lock()


class _Handler(BaseHTTPRequestHandler):
    server: _CorpusHTTPServer
    protocol_version = "HTTP/1.1"

    def _send(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        server = self.server
        name = self.path.lstrip("/")
        if name == "_stats":
            stats = {"requests": server.requests, "not_modified": server.not_modified}
            self._send(200, json.dumps(stats).encode())
            return
        if name.startswith("_validators/"):
            server.validators = name.endswith("/on")
            self._send(204)
            return
        data = server.corpus.get(name)
        if data is None:
            self._send(404)
            return
        etag = server.etags[name]
        fresh = server.validators and (
            self.headers.get("If-None-Match") == etag
            or self.headers.get("If-Modified-Since") == LAST_MODIFIED
        )
        with server.lock:
            server.requests += 1
            server.not_modified += int(fresh)
        if fresh:
            self._send(304, headers={"ETag": etag})
            return
        headers = {"Content-Type": "application/xml; charset=utf-8"}
        if server.validators:
            headers |= {"ETag": etag, "Last-Modified": LAST_MODIFIED}
        self._send(200, data, headers)

    def log_message(self, format: str, *args: object) -> None:
        return


def _serve(corpus: dict[str, bytes], port_pipe: multiprocessing.connection.Connection) -> None:
    server = _CorpusHTTPServer(corpus)
    port_pipe.send(server.server_address[1])
    server.serve_forever()


class CorpusServer:
    """The parent's handle on the server process."""

    def __init__(self, port: int) -> None:
        self.base = f"http://127.0.0.1:{port}"

    def url(self, name: str) -> str:
        return f"{self.base}/{name}"

    def stats(self) -> dict[str, int]:
        with urllib.request.urlopen(self.url("_stats"), timeout=10) as response:
            stats: dict[str, int] = json.load(response)
            return stats

    def set_validators(self, on: bool) -> None:
        urllib.request.urlopen(self.url("_validators/" + ("on" if on else "off")), timeout=10)


@contextmanager
def serve(corpus: dict[str, bytes]) -> Iterator[CorpusServer]:
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_serve, args=(corpus, sender), daemon=True)
    process.start()
    try:
        yield CorpusServer(receiver.recv())
    finally:
        process.terminate()
        process.join(timeout=10)
