"""Fixtures for the sync tests: real servers on 127.0.0.1 and the feeds they fetch."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from servers.coldsweat_server import ColdsweatServer
from servers.feedhost import FeedHost
from servers.ttrss import TtrssServer, TtrssUser, available

from newsreader.store import sync_state
from newsreader.store.database import Store


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


def password_command(tmp_path: Path, password: str) -> str:
    """A command that prints the password (from a file: the command line never holds it)."""
    secret = tmp_path / "password.txt"
    secret.write_text(password + "\n")
    return f"cat {secret}"


def add_fever(store: Store, server: ColdsweatServer, tmp_path: Path, name: str = "home") -> None:
    sync_state.add_account(
        store, name, "fever", server.url, server.email, password_command(tmp_path, server.password)
    )


def add_ttrss(store: Store, user: TtrssUser, tmp_path: Path, name: str = "work") -> None:
    sync_state.add_account(
        store, name, "ttrss", user.url, user.login, password_command(tmp_path, user.password)
    )
