"""``feeds`` and ``articles`` as tables a person reads at 80 to 100 columns, or a pipe reads.

On a terminal the address of a feed is never wrapped or cut mid-string while the titles
can give way: long titles end in "…" on their one line. In a pipe every row is one line.
"""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pexpect
import pytest
from pty_terminal import installed_command

from newsreader.models import Article, Block, BlockKind, Feed
from newsreader.store.database import Store

ESCAPE = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
SOURCE = "https://news.example.org/harbour/all.xml"
LONG_TITLE = "The harbour " + "and the long quay " * 55 + "end"  # about 1,000 letters


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "tables.sqlite3"
    store = Store(path)
    try:
        feed = store.add_feed(Feed(source=SOURCE, title="Harbour Gazette " * 8))
        assert feed.id is not None
        store.save_articles(
            feed.id,
            [
                Article(
                    guid="long",
                    title=LONG_TITLE,
                    blocks=(Block(BlockKind.PARAGRAPH, "Text."),),
                    published=datetime(2024, 5, 1, 9, 0, tzinfo=UTC),
                ),
                Article(
                    guid="short", title="Short news", published=datetime(2024, 4, 1, tzinfo=UTC)
                ),
            ],
        )
    finally:
        store.close()
    return path


def on_terminal(columns: int, *argv: str) -> list[str]:
    """What a command prints on a terminal ``columns`` wide, line by line."""
    child = pexpect.spawn(
        str(installed_command()),
        list(argv),
        dimensions=(40, columns),
        env={"TERM": "xterm", "PATH": "/usr/bin:/bin", "HOME": str(Path.home())},
        echo=False,
        encoding="utf-8",
    )
    output = child.read()
    child.close()
    assert child.exitstatus == 0, output
    plain = ESCAPE.sub("", output).replace("\r\n", "\n")
    return [line for line in plain.split("\n") if line]


@pytest.mark.parametrize("columns", [80, 100])
def test_feeds_on_a_terminal_keep_the_address_whole_and_clip_the_title(
    db: Path, columns: int
) -> None:
    header, row = on_terminal(columns, "--db", str(db), "feeds")
    assert header.split() == ["ID", "TITLE", "ARTICLES", "UNREAD", "SOURCE"]
    assert row.endswith(SOURCE)
    assert "Harbour Gazette" in row and "…" in row
    assert len(row) <= columns


@pytest.mark.parametrize("columns", [80, 100])
def test_articles_on_a_terminal_are_one_line_each_with_titles_clipped(
    db: Path, columns: int
) -> None:
    lines = on_terminal(columns, "--db", str(db), "articles")
    assert len(lines) == 3, lines  # the header and two rows, the long title on one line
    assert lines[1].endswith("…") and "The harbour and the long quay" in lines[1]
    assert lines[2].endswith("Short news")
    assert all(len(line) <= columns for line in lines)


def test_in_a_pipe_every_row_is_one_whole_line(db: Path) -> None:
    for command in ("feeds", "articles"):
        done = subprocess.run(
            [sys.executable, "-m", "newsreader", "--db", str(db), command],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        lines = done.stdout.splitlines()
        assert len(lines) == (2 if command == "feeds" else 3), lines
        if command == "feeds":
            assert lines[1].split()[-1] == SOURCE
            assert ("Harbour Gazette " * 8).strip() in lines[1]
        else:
            assert lines[1].endswith(LONG_TITLE)
