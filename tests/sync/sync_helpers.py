"""Small helpers the sync tests share."""

from __future__ import annotations

from pathlib import Path

from servers.coldsweat_server import ColdsweatServer
from servers.feedhost import rss_feed
from servers.ttrss import TtrssUser

from newsreader.store import sync_state
from newsreader.store.database import Store


def stories(prefix: str, count: int, start: int = 0) -> bytes:
    items = [
        (f"{prefix}-{n}", f"{prefix} story {n}", f"<p>Body of {prefix} story {n}.</p>")
        for n in range(start, start + count)
    ]
    return rss_feed(f"{prefix} feed", items)


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
