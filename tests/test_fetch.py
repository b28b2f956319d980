"""Fetching a feed over HTTP: politely, within limits, and with errors a reader can act on."""

from __future__ import annotations

import asyncio
import gzip
import socket
import sys
import threading
import tracemalloc
import zlib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from httpserver import FeedServer, Reply, Request, gzipped, http_date, numbered_items, rss

from newsreader import __version__
from newsreader.feeds.fetch import (
    Fetcher,
    FetchError,
    FetchResult,
    FetchSettings,
    Validators,
    fetch_url,
    parse_retry_after,
    tls_context,
)
from newsreader.text.sanitize import contains_control

SETTINGS = FetchSettings(
    connect_timeout=0.5, timeout=0.8, max_body_bytes=64 * 1024, parse_in="thread", trust_env=False
)
FEED = rss("Test News", numbered_items(3))


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as running:
        yield running


def fetch(url: str, validators: Validators | None = None) -> FetchResult:
    return asyncio.run(fetch_url(url, validators, settings=SETTINGS))


def fetch_error(url: str) -> FetchError:
    with pytest.raises(FetchError) as caught:
        fetch(url)
    assert "\n" not in str(caught.value) and "Traceback" not in str(caught.value)
    return caught.value


def test_a_feed_is_fetched_with_a_descriptive_user_agent(server: FeedServer) -> None:
    url = server.route("/news.rss", Reply(200, FEED))
    result = fetch(url)
    assert result.status == 200
    assert result.body == FEED
    user_agent = server.requests_to("/news.rss")[0].headers["User-Agent"]
    assert user_agent == f"newsreader/{__version__} (terminal feed reader)"


def test_the_etag_is_sent_back_and_a_304_carries_no_body(server: FeedServer) -> None:
    def conditional(request: Request) -> Reply:
        if request.headers.get("If-None-Match") == '"v1"':
            return Reply(304, headers={"ETag": '"v1"'})
        return Reply(200, FEED, {"ETag": '"v1"'})

    url = server.route("/tagged.rss", conditional)
    first = fetch(url)
    assert first.validators.etag == '"v1"'
    second = fetch(url, first.validators)
    assert second.not_modified
    assert second.body == b""


def test_last_modified_is_sent_back_as_if_modified_since(server: FeedServer) -> None:
    stamp = "Wed, 01 May 2024 10:00:00 GMT"

    def conditional(request: Request) -> Reply:
        if request.headers.get("If-Modified-Since") == stamp:
            return Reply(304)
        return Reply(200, FEED, {"Last-Modified": stamp})

    url = server.route("/dated.rss", conditional)
    first = fetch(url)
    assert first.validators == Validators(etag=None, last_modified=stamp)
    assert fetch(url, first.validators).not_modified


def test_three_redirects_are_followed(server: FeedServer) -> None:
    server.route("/feed.rss", Reply(200, FEED))
    for hop in range(1, 4):
        target = "/feed.rss" if hop == 1 else f"/hop/{hop - 1}"
        server.route(f"/hop/{hop}", Reply(301 if hop % 2 else 307, headers={"Location": target}))
    result = fetch(server.url("/hop/3"))
    assert result.body == FEED
    assert result.url == server.url("/feed.rss")


def test_eleven_redirects_are_too_many(server: FeedServer) -> None:
    for hop in range(1, 12):
        server.route(f"/loop/{hop}", Reply(302, headers={"Location": f"/loop/{hop + 1}"}))
    server.route("/loop/12", Reply(200, FEED))
    error = fetch_error(server.url("/loop/1"))
    assert str(error) == "too many redirects (more than 10)"
    assert server.hits["/loop/12"] == 0


@pytest.mark.parametrize(
    ("location", "scheme"),
    [("file:///etc/passwd", "file"), ("javascript:alert(1)", "javascript"), ("ftp://x/y", "ftp")],
)
def test_a_redirect_away_from_http_is_refused(
    server: FeedServer, location: str, scheme: str
) -> None:
    url = server.route("/sneaky", Reply(302, headers={"Location": location}))
    assert str(fetch_error(url)) == f"redirect to a {scheme}: URL refused"


def test_a_gzip_body_is_decoded(server: FeedServer) -> None:
    url = server.route("/packed.rss", gzipped(FEED))
    assert fetch(url).body == FEED
    assert "gzip" in server.requests_to("/packed.rss")[0].headers["Accept-Encoding"]


def test_a_deflate_body_is_decoded_with_or_without_its_header(server: FeedServer) -> None:
    raw = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    bare = raw.compress(FEED) + raw.flush()
    server.route("/z.rss", Reply(200, zlib.compress(FEED), {"Content-Encoding": "deflate"}))
    server.route("/raw.rss", Reply(200, bare, {"Content-Encoding": "deflate"}))
    assert fetch(server.url("/z.rss")).body == FEED
    assert fetch(server.url("/raw.rss")).body == FEED


def test_an_oversized_body_is_cut_off(server: FeedServer) -> None:
    url = server.route("/huge.rss", Reply(200, b"<rss>" + b"x" * 200_000))
    assert str(fetch_error(url)) == "the feed is larger than 64 KiB"


def test_an_oversized_body_without_content_length_is_cut_off_while_reading(
    server: FeedServer,
) -> None:
    body = b"<rss>" + b"x" * 200_000
    url = server.route("/sly.rss", Reply(200, body, send_length=False))
    assert str(fetch_error(url)) == "the feed is larger than 64 KiB"


def test_a_gzip_bomb_stops_at_the_decompressed_cap(server: FeedServer) -> None:
    bomb = gzip.compress(b"\0" * (8 * 1024 * 1024))
    assert len(bomb) < 64 * 1024, "small on the wire"
    url = server.route("/bomb.rss", Reply(200, bomb, {"Content-Encoding": "gzip"}))
    assert str(fetch_error(url)) == "the feed is larger than 64 KiB"


def test_a_gzip_bomb_is_never_inflated_in_memory(server: FeedServer) -> None:
    bomb = gzip.compress(b"\0" * (16 * 1024 * 1024))
    url = server.route("/bomb.rss", Reply(200, bomb, {"Content-Encoding": "gzip"}))
    tracemalloc.start()
    try:
        fetch_error(url)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 4 * 1024 * 1024, "decoding stops near the 64 KiB cap, not at 16 MiB"


@pytest.mark.parametrize(
    ("status", "message"), [(404, "HTTP 404 Not Found"), (500, "HTTP 500 Internal Server Error")]
)
def test_http_errors_name_status_and_reason(server: FeedServer, status: int, message: str) -> None:
    url = server.route("/broken", Reply(status, b"<html>oops</html>"))
    error = fetch_error(url)
    assert str(error) == message
    assert error.status == status


def test_a_hostile_reason_phrase_is_sanitised(server: FeedServer) -> None:
    url = server.route("/odd", Reply(599, reason="Gone \x85Fishing\x9b2J"))
    message = str(fetch_error(url))
    assert message.startswith("HTTP 599 Gone")
    assert not contains_control(message)


def test_a_slow_server_runs_into_the_timeout(server: FeedServer) -> None:
    url = server.route("/slow.rss", Reply(200, FEED, delay=3))
    assert str(fetch_error(url)) == "timed out after 0.8 s"


def test_a_refused_connection_is_reported() -> None:
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    message = str(fetch_error(f"http://127.0.0.1:{port}/feed.rss"))
    assert message.startswith("could not connect to 127.0.0.1")


def test_only_http_and_https_can_be_fetched() -> None:
    assert str(fetch_error("file:///etc/passwd")) == (
        "not a valid URL: only http and https URLs can be fetched"
    )


def test_retry_after_gives_the_time_of_the_next_try(server: FeedServer) -> None:
    url = server.route("/busy", Reply(429, headers={"Retry-After": "120"}))
    before = datetime.now(UTC)
    error = fetch_error(url)
    assert str(error) == "HTTP 429 Too Many Requests"
    assert error.retry_at is not None
    assert before + timedelta(seconds=119) <= error.retry_at <= before + timedelta(seconds=180)


def test_retry_after_reads_seconds_and_dates_and_is_capped() -> None:
    now = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
    day = 24 * 3600
    assert parse_retry_after("90", now, day) == now + timedelta(seconds=90)
    later = now + timedelta(hours=2)
    assert parse_retry_after(http_date(later), now, day) == later
    assert parse_retry_after("999999999", now, day) == now + timedelta(days=1)
    assert parse_retry_after(http_date(now - timedelta(hours=1)), now, day) is None
    assert parse_retry_after("0", now, day) is None
    assert parse_retry_after("soon", now, day) is None
    assert parse_retry_after(None, now, day) is None


def test_no_host_gets_more_than_its_share_of_connections(server: FeedServer) -> None:
    for n in range(8):
        server.route(f"/feed/{n}", Reply(200, FEED, delay=0.1))
    settings = FetchSettings(max_per_host=2, max_connections=16, trust_env=False)

    async def fetch_all() -> list[FetchResult]:
        async with Fetcher(settings) as fetcher:
            return await asyncio.gather(
                *(fetcher.fetch(server.url(f"/feed/{n}")) for n in range(8))
            )

    results = asyncio.run(fetch_all())
    assert [result.status for result in results] == [200] * 8
    assert server.most_in_flight <= 2


def test_a_304_leaves_its_connection_open_for_the_next_request() -> None:
    """A warm refresh is mostly 304s: one connection per request made it twice as slow."""
    with FeedServer(keep_alive=True) as server:
        url = server.route("/news.rss", Reply(304, headers={"ETag": '"v1"'}))

        async def fetch_three_times() -> list[FetchResult]:
            async with Fetcher(SETTINGS) as fetcher:
                return [await fetcher.fetch(url, Validators(etag='"v1"')) for _ in range(3)]

        results = asyncio.run(fetch_three_times())
    assert [result.not_modified for result in results] == [True] * 3
    assert server.connections == 1


class _ImportAttempts:
    """A path finder that only notes which modules are looked for on the import path."""

    def __init__(self) -> None:
        self.names: list[str] = []

    def find_spec(self, name: str, path: object = None, target: object = None) -> None:
        self.names.append(name)


def test_fetching_looks_for_no_modules_once_warm(server: FeedServer) -> None:
    """A module that is missing is looked for again at every import: httpcore imports
    sniffio per request, so without it every request searched the whole path."""
    url = server.route("/news.rss", Reply(200, FEED))
    fetch(url)
    attempts = _ImportAttempts()
    sys.meta_path.insert(0, attempts)
    try:
        for _ in range(3):
            assert fetch(url).status == 200
    finally:
        sys.meta_path.remove(attempts)
    assert attempts.names == []


class _HelloServer:
    """A TCP server on 127.0.0.1 that reads what a client sends first and hangs up: a TLS
    client's hello arrives, no handshake ever completes."""

    def __init__(self) -> None:
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(8)
        self.port = self.listener.getsockname()[1]
        self.hellos: list[bytes] = []
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            with connection:
                self.hellos.append(connection.recv(4096))

    def close(self) -> None:
        self.listener.close()
        self.thread.join(timeout=5)


@pytest.fixture
def hello_server() -> Iterator[_HelloServer]:
    running = _HelloServer()
    yield running
    running.close()


def _certificates_loaded() -> int:
    return int(tls_context(SETTINGS.trust_env).cert_store_stats()["x509_ca"])


def test_plain_http_never_reads_the_certificates(server: FeedServer) -> None:
    """Reading them costs tens of milliseconds that a refresh of http feeds never needs."""
    tls_context.cache_clear()
    url = server.route("/news.rss", Reply(200, FEED))
    assert fetch(url).status == 200
    assert _certificates_loaded() == 0


def test_certificates_are_read_at_the_first_tls_connection_and_checked(
    hello_server: _HelloServer,
) -> None:
    import ssl

    tls_context.cache_clear()
    context = tls_context(SETTINGS.trust_env)
    assert (context.verify_mode, context.check_hostname) == (ssl.CERT_REQUIRED, True)
    fetch_error(f"https://127.0.0.1:{hello_server.port}/feed.rss")
    assert hello_server.hellos and hello_server.hellos[0][:1] == b"\x16"  # a TLS handshake
    assert _certificates_loaded() > 0


def test_certificates_are_read_once_per_process(
    hello_server: _HelloServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsreader.feeds.tls import CertificatesOnFirstUse

    loads: list[object] = []
    real = CertificatesOnFirstUse.load_verify_locations

    def counting(self: CertificatesOnFirstUse, *args: Any, **kwargs: Any) -> None:
        loads.append(self)
        real(self, *args, **kwargs)

    tls_context.cache_clear()
    monkeypatch.setattr(CertificatesOnFirstUse, "load_verify_locations", counting)

    async def three_fetchers() -> None:
        for _ in range(3):
            async with Fetcher(SETTINGS) as fetcher:
                with pytest.raises(FetchError):
                    await fetcher.fetch(f"https://127.0.0.1:{hello_server.port}/feed.rss")

    asyncio.run(three_fetchers())
    assert len(hello_server.hellos) == 3
    assert len(loads) == 1


def test_certificates_can_be_read_ahead_from_another_thread() -> None:
    """The reader reads them in a thread, so its event loop never waits for them."""
    tls_context.cache_clear()
    worker = threading.Thread(target=tls_context(SETTINGS.trust_env).load_certificates)
    worker.start()
    worker.join()
    assert _certificates_loaded() > 0
