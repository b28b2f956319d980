"""Escape sequences in feed text never reach the terminal.

A feed whose titles, author, teaser and body carry OSC 52 (clipboard), OSC 0 (window
title), OSC 8 (links), CSI clear-screen, and their C1 forms, raw, as character references,
in CDATA and hidden behind HTML entities, is read in a real pseudo-terminal. The bytes the
app writes are checked for every injected sequence. The payloads may show as inert text;
what must never arrive is the control character that would make a terminal act on them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pty_terminal import STARTUP_TIMEOUT, STEP_TIMEOUT, Terminal, spawn_reader

from newsreader.cli.main import main as cli_main

FIXTURE = Path(__file__).parent / "fixtures" / "pty" / "hostile-escapes.rss"
INJECTED = [
    b"\x1b]52;",  # clipboard write
    b"\x1b]0;",  # window title
    b"\x1b]8;;file:",  # a terminal hyperlink to a local file
    b"\x1b[2J",  # clear screen (Textual itself never sends it: it redraws in place)
    b"feed-title\x07",  # the end of an OSC sequence, after the payload
    b"author-title\x07",
    b"ref-title\x07",
    b"html-title\x07",
]
C1_CONTROLS = ["\x9b", "\x9c", "\x9d"]  # CSI, ST and OSC as single characters


@pytest.fixture
def hostile_reader(tmp_path: Path) -> Terminal:
    store = tmp_path / "hostile.sqlite3"
    assert cli_main(["--db", str(store), "add", str(FIXTURE)]) == 0
    return spawn_reader("--db", str(store))


def test_titles_full_of_escape_sequences_are_drawn_as_inert_text(
    hostile_reader: Terminal,
) -> None:
    reader = hostile_reader
    try:
        screen = reader.wait_for("Hostile", "Gazette", timeout=STARTUP_TIMEOUT)
        # Markup-looking feed text is shown literally.
        assert "[link=file:///etc/passwd]x[/link]" in screen or "[link=file:///etc/pass" in screen
        # Read both articles: the list is focused, so j moves and enter opens.
        reader.press("j")
        reader.press("\r")
        reader.wait_for("after HTML decoding")
        reader.press("k")
        reader.press("\r")
        reader.wait_for("Teaser", "[@click=app.quit]quit[/]")
        reader.press("q")
        assert reader.wait_for_exit(STEP_TIMEOUT) == 0
    finally:
        reader.close()
    written = bytes(reader.raw)
    assert written, "the app wrote nothing to the terminal"
    for sequence in INJECTED:
        assert sequence not in written, f"{sequence!r} reached the terminal"
    text = written.decode("utf-8", errors="replace")
    for control in C1_CONTROLS:
        assert control not in text, f"{control!r} reached the terminal"
