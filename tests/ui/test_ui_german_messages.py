"""The German reader says everything in German: search errors, a browser that will not
start, and the names of keys."""

from __future__ import annotations

from pathlib import Path

import pytest
from pilot_helpers import SIZE, english_story, pane_text, screen_text, settle, wait_until

from newsreader.config import CommandsConfig, Config, UiConfig
from newsreader.models import Feed
from newsreader.store.database import Store
from newsreader.store.query import QuerySyntaxError, parse_query
from newsreader.ui.app import NewsreaderApp
from newsreader.ui.core_messages import localised
from newsreader.ui.labels import ENGLISH, GERMAN

GERMAN_UI = UiConfig(language="de")


@pytest.mark.parametrize(
    "query",
    [
        '"unclosed',
        "since:",
        "since:2019-02-30",
        "since:soon",
        "is:maybe",
        "d*",
        "OR x",
        "x OR",
        "feed:x OR y",
        "-x",
        " ",
        "x" * 2000,
    ],
)
def test_every_query_error_the_core_gives_is_said_in_german(query: str) -> None:
    with pytest.raises(QuerySyntaxError) as raised:
        parse_query(query)
    sentence = str(raised.value)
    assert localised(sentence, ENGLISH) == sentence
    assert localised(sentence, GERMAN) != sentence, sentence


async def test_a_search_error_is_german(seeded_store: Store) -> None:
    app = NewsreaderApp(store=seeded_store, config=Config(ui=GERMAN_UI))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *'"Cloud')
        await wait_until(
            pilot,
            lambda: "Anführungszeichen ist nicht geschlossen" in pane_text(app, "#search-status"),
            "the error in German",
        )


async def test_a_browser_that_will_not_start_is_reported_in_german(
    seeded_store: Store, tmp_path: Path
) -> None:
    feed = seeded_store.add_feed(Feed(source="local:tides", title="Tides", language="en"))
    assert feed.id is not None
    seeded_store.save_articles(feed.id, [english_story("tide", "High tide", "Water.", 3)])
    missing = str(tmp_path / "no-such-browser")
    config = Config(ui=GERMAN_UI, commands=CommandsConfig(browser=(missing,)))
    app = NewsreaderApp(store=seeded_store, config=config)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("tab", "o")
        await wait_until(
            pilot,
            lambda: any(
                "no-such-browser lässt sich nicht starten: kein solches Programm" in note.message
                for note in app._notifications
            ),
            "the German error",
        )


async def test_key_names_are_german(seeded_store: Store) -> None:
    app = NewsreaderApp(store=seeded_store, config=Config(ui=GERMAN_UI))
    async with app.run_test(size=(140, 60)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        keys = " ".join(screen_text(app).split())
        assert "Bild↓ / Leertaste" in keys
        assert "Umschalt+Tab" in keys
        assert "space" not in keys and "pgdn" not in keys
