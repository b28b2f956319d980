"""After ``import newsboat`` the reader opens on the imported feeds, read state and keys intact."""

from __future__ import annotations

import subprocess
from pathlib import Path

from pty_terminal import STARTUP_TIMEOUT, installed_command, spawn_reader

FIXTURES = Path(__file__).parent / "fixtures" / "newsboat"


def row(screen: str, title: str) -> str:
    return next(line for line in screen.splitlines() if title in line)


def left_column(screen: str) -> str:
    """The feed list and the article list, without the panes beside them."""
    return "\n".join(line.split("▎")[0] for line in screen.splitlines())


def test_the_reader_opens_on_what_came_from_newsboat_with_its_keys(tmp_path: Path) -> None:
    db, settings = tmp_path / "store.sqlite3", tmp_path / "settings.toml"
    imported = subprocess.run(
        [
            str(installed_command()), "--db", str(db), "--config", str(settings),
            "import", "newsboat", "--urls", str(FIXTURES / "urls"),
            "--cache", str(FIXTURES / "cache.db"), "--config", str(FIXTURES / "config"),
        ],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert imported.returncode == 0, imported.stderr
    reader = spawn_reader("--db", str(db), "--config", str(settings))
    try:
        reader.wait_for("Unread news", "test atom", "blogs", "Ferry to the islands",
                        timeout=STARTUP_TIMEOUT)  # fmt: skip
        screen = reader.text()  # line by line: each row's marks beside its title
        assert "Sport Desk" not in left_column(screen)  # hidden in newsboat (the Pilot test
        # checks the whole feed list); its articles stay in the views
        assert "NDR Niedersachsen" not in screen  # no bundled story: there are feeds
        # Read state and stars as newsboat had them: ● unread, ★ starred.
        assert "●" not in row(screen, "Ferry to the islands")
        assert "●★" in row(screen, "Cloud storage for the")
        assert "●" not in row(screen, "Market day moves")
        assert "●" in row(screen, "Town council votes")
        reader.press("J")  # the newsboat preset: to the first feed, its articles listed
        reader.wait_until(
            "the first feed's articles",
            lambda _: "▔ All articles" not in reader.text(),
            timeout=10,
        )
        reader.press("?")
        reader.wait_for("Next unread", "Mark all read")
        help_screen = " ".join(reader.readable().split())
        assert "n Next unread" in help_screen
        assert "A Mark all read" in help_screen
        reader.press("?")  # closes the help again
        reader.wait_until("the help to close", lambda text: "Mark all read" not in text, 10)
        reader.press("Q")  # newsboat's hard quit
        assert reader.wait_for_exit(10) == 0
    finally:
        reader.close()
