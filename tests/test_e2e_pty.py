"""The installed ``newsreader`` command in a real pseudo-terminal, driven from the keyboard.

Every step waits until the emulated screen shows what a reader would see before pressing
the next key.
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pty_terminal import (
    BACKSPACE,
    ENTER,
    STARTUP_TIMEOUT,
    STEP_TIMEOUT,
    TAB,
    Terminal,
    installed_command,
    reader_environment,
    spawn_reader,
)

from newsreader.store.database import Store

HEADLINE = "In die Cloud: VW und Amazon gehen Kooperation ein"
RELATED_LABEL = "Weitere Informationen"
FIRST_RELATED = "WirelessCar"
TEASER_ONLY = "Only the teaser"
SEARCH_PROMPT = "prefix*, this OR that, -exclude"


@pytest.fixture
def reader(tmp_path: Path) -> Iterator[Terminal]:
    terminal = spawn_reader("--db", str(tmp_path / "pty.sqlite3"))
    try:
        yield terminal
    finally:
        terminal.close()


def test_a_reader_follows_a_related_item_goes_back_searches_and_quits(
    reader: Terminal,
) -> None:
    # A new machine opens on the bundled story with its sidebar.
    reader.wait_for(HEADLINE, RELATED_LABEL, timeout=STARTUP_TIMEOUT)

    # The list has focus; two tabs reach the sidebar, whose first item is the first related one.
    reader.press(TAB)
    reader.press(TAB)
    reader.press(ENTER)
    screen = reader.wait_for(TEASER_ONLY, FIRST_RELATED)
    assert "Volkswagen kauft den Mehrheitsanteil" in screen

    # Back returns to the story itself.
    reader.press(BACKSPACE)
    reader.wait_until(
        "the VW story again",
        lambda screen: TEASER_ONLY not in screen and "Zwei internationale" in screen,
        STEP_TIMEOUT,
    )

    # Searching for a word from the story leads to the story.
    reader.press("/")
    reader.wait_for(SEARCH_PROMPT)
    reader.press("Bezos")
    reader.wait_for("1 match")
    reader.press(ENTER)
    reader.wait_until(
        "the VW story after searching",
        lambda screen: (
            SEARCH_PROMPT not in screen
            and "1 match" not in screen
            and HEADLINE in screen
            and "Zwei internationale" in screen
        ),
        STEP_TIMEOUT,
    )

    # q quits cleanly.
    reader.press("q")
    assert reader.wait_for_exit(STEP_TIMEOUT) == 0


def test_the_reader_quits_when_its_terminal_is_closed(tmp_path: Path) -> None:
    """A closed terminal window or a dropped connection ends the reader even when no
    hang-up signal reaches it (as under ``make run``): before, it stayed behind, busy
    reading the closed terminal at full speed."""
    command = installed_command()
    shell = ["/bin/sh", "-c", f"trap '' HUP; exec {command} --db {tmp_path / 'hup.sqlite3'}"]
    terminal = Terminal(shell, reader_environment())
    try:
        terminal.wait_for(HEADLINE, timeout=STARTUP_TIMEOUT)
        os.close(terminal.child.child_fd)  # the terminal goes away; the reader is not told
        deadline = time.monotonic() + STEP_TIMEOUT
        while terminal.child.isalive() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not terminal.child.isalive(), "the reader is still running"
    finally:
        if terminal.child.isalive():
            terminal.child.kill(signal.SIGKILL)


def test_starting_and_quitting_leaves_the_story_unread(tmp_path: Path) -> None:
    """Only opening an article marks it read: a start and a quit change nothing."""
    path = tmp_path / "start.sqlite3"
    for _ in range(2):
        terminal = spawn_reader("--db", str(path))
        try:
            terminal.wait_for(HEADLINE, RELATED_LABEL, timeout=STARTUP_TIMEOUT)
            terminal.press("q")
            assert terminal.wait_for_exit(STEP_TIMEOUT) == 0
        finally:
            terminal.close()
    store = Store(path)
    try:
        assert [(summary.title, summary.read) for summary in store.articles()] == [
            (HEADLINE, False)
        ]
    finally:
        store.close()
