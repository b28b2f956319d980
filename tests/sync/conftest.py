"""Fixtures for the sync tests: real servers on 127.0.0.1 and the feeds they fetch."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from servers.coldsweat_server import ColdsweatServer
from servers.feedhost import FeedHost
from servers.ttrss import TtrssServer, TtrssUser, available


@pytest.fixture
def feed_host() -> Iterator[FeedHost]:
    with FeedHost() as host:
        yield host


@pytest.fixture
def coldsweat() -> Iterator[ColdsweatServer]:
    server = ColdsweatServer()
    try:
        server.start()
        yield server
    finally:
        server.close()


@pytest.fixture(scope="session")
def ttrss_server() -> Iterator[TtrssServer]:
    if not available():
        pytest.fail("tt-rss, php or postgresql is missing: run make test-servers as root")
    server = TtrssServer()
    try:
        server.start()
        yield server
    finally:
        server.close()


@pytest.fixture
def ttrss_user(ttrss_server: TtrssServer) -> TtrssUser:
    if ttrss_server.web is None:  # a test took the web server away
        ttrss_server.start_web()
    return ttrss_server.new_user()
