"""A headline buried under stacked combining marks ("Zalgo") keeps its words everywhere.

Runs of combining marks are cut to a few per letter before any length cap, so the cap
keeps the readable words; widths are counted in terminal cells, so columns stay aligned.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from newsreader.cli.main import main
from newsreader.feeds.ingest import parse_feed
from newsreader.models import Article, Block, BlockKind, Feed
from newsreader.store.database import Store
from newsreader.text.marks import MAX_MARKS, collapse_marks
from newsreader.text.sanitize import clean_line, clean_text

MARKS = "\u0301\u0316\u0327\u0489\u20dd"  # acute, grave below, cedilla, enclosing circles
ZALGO_TITLE = "Z" + MARKS * 8_000 + "algo: harbour reopens after storm"


def is_mark(char: str) -> bool:
    return unicodedata.category(char) in ("Mn", "Me")


def longest_mark_run(text: str) -> int:
    longest = run = 0
    for char in text:
        run = run + 1 if is_mark(char) else 0
        longest = max(longest, run)
    return longest


def test_the_words_after_forty_thousand_marks_survive_the_length_cap() -> None:
    line = clean_line(ZALGO_TITLE)
    assert line.endswith("algo: harbour reopens after storm")
    assert longest_mark_run(line) == MAX_MARKS
    assert len(line) < 60


def test_text_keeps_its_words_too() -> None:
    body = clean_text(("x" + MARKS * 10_000 + " ") * 300 + "\n\nthe last paragraph")
    assert body.endswith("the last paragraph")


def test_marks_that_scripts_need_are_kept() -> None:
    vietnamese = "Vie\u0323\u0302t Nam"  # dot below and circumflex, decomposed
    hebrew = "\u05e9\u05c1\u05b8\u05bc\u0591"  # shin, shin dot, qamats, dagesh, etnahta
    assert clean_line(vietnamese) == vietnamese
    assert clean_line(hebrew) == hebrew


marks = st.sampled_from([*MARKS, "\u034f", "\U0001d167", "\u200b", " "])
letters = st.sampled_from([*"aZé ", "\u0915"])
texts = st.lists(st.one_of(marks, letters), max_size=200).map("".join)


@settings(max_examples=300, deadline=None)
@given(texts, st.integers(1, 100))
def test_no_run_of_marks_outlives_the_sanitiser_and_cleaning_is_idempotent(
    text: str, limit: int
) -> None:
    line = clean_line(text, limit=limit)
    assert longest_mark_run(line) <= MAX_MARKS
    assert clean_line(line, limit=limit) == line
    cleaned = clean_text(text, limit=limit)
    assert longest_mark_run(cleaned) <= MAX_MARKS
    assert clean_text(cleaned, limit=limit) == cleaned


@settings(max_examples=200, deadline=None)
@given(texts)
def test_the_letters_stay_in_order(text: str) -> None:
    """Only marks beyond the first few go: every letter is still there, in its place."""
    kept = collapse_marks(text)
    assert [c for c in kept if not is_mark(c)] == [c for c in text if not is_mark(c)]


def zalgo_feed(path: Path) -> Path:
    feed = path / "zalgo.rss"
    feed.write_text(
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Harbour'
        f"</title><item><title>{ZALGO_TITLE}</title><guid>z</guid>"
        "<description>Calm again.</description></item>"
        "<item><title>Plain news</title><guid>p</guid></item></channel></rss>",
        encoding="utf-8",
    )
    return feed


def test_the_store_and_the_cli_keep_the_readable_words(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    parsed = parse_feed(zalgo_feed(tmp_path).read_bytes(), "zalgo.rss")
    assert parsed.articles[0].title.endswith("algo: harbour reopens after storm")
    db = str(tmp_path / "z.sqlite3")
    assert main(["--db", db, "add", str(zalgo_feed(tmp_path))]) == 0
    capsys.readouterr()
    assert main(["--db", db, "articles", "--json"]) == 0
    titles = [article["title"] for article in json.loads(capsys.readouterr().out)]
    assert any(title.endswith("harbour reopens after storm") for title in titles)
    assert main(["--db", db, "articles"]) == 0
    listed = capsys.readouterr().out
    assert "harbour reopens after storm" in listed


def test_table_columns_line_up_in_cells_with_a_zalgo_title(tmp_path: Path) -> None:
    """The feeds table puts SOURCE at the same terminal column on every row."""
    from rich.console import Console

    from newsreader.cli.output import emit
    from newsreader.cli.status import feeds_table

    store = Store(tmp_path / "cells.sqlite3")
    try:
        for number, title in enumerate([clean_line(ZALGO_TITLE), "Plain feed", "Straße"]):
            feed = store.add_feed(Feed(source=f"https://ex.org/{number}.xml", title=title))
            assert feed.id is not None
            store.save_articles(
                feed.id, [Article(guid="g", title="t", blocks=(Block(BlockKind.PARAGRAPH, "x"),))]
            )
        feeds = store.feeds()
    finally:
        store.close()
    for terminal in (True, False):
        console = Console(width=100, force_terminal=terminal, color_system=None, record=True)
        with console.capture() as captured:
            emit(console, feeds_table(feeds, {}, 100 if terminal else None), rows=True)
        rows = captured.get().splitlines()[1:]
        starts = {cell_len(row[: row.index("https://")]) for row in rows}
        assert len(starts) == 1, rows
