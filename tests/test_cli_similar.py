"""``newsreader show`` lists the stored stories most like the article, as the sidebar does."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_related import build

from newsreader.cli.main import main
from newsreader.store.database import Store


def test_show_lists_the_similar_stories_the_sidebar_shows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "similar.sqlite3"
    store = Store(db)
    try:
        ids = build(store)
        expected = store.similar_articles(ids["source"])
    finally:
        store.close()
    assert len(expected) >= 3
    capsys.readouterr()
    assert main(["--db", str(db), "show", str(ids["source"]), "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["similar"] == [
        {
            "article_id": item.article_id,
            "title": item.title,
            "feed": item.feed_title,
            "published": item.published.isoformat() if item.published else None,
        }
        for item in expected
    ]
    assert {item["article_id"] for item in shown["similar"][:3]} == {
        ids["ndr:plan"],
        ids["dpa:yesterday"],
        ids["blog:last-year"],
    }
    assert all(item["published"] for item in shown["similar"])

    assert main(["--db", str(db), "show", str(ids["source"])]) == 0
    text = capsys.readouterr().out
    assert "More on this" in text
    after = text.split("More on this", 1)[1]
    for item in expected:
        assert item.title[:30] in " ".join(after.split())
    assert f"newsreader show {ids['ndr:plan']}" in after


def test_a_story_with_nothing_like_it_has_an_empty_similar_list(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert main(["--db", str(tmp_path / "alone.sqlite3"), "show", "1", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["similar"] == []
