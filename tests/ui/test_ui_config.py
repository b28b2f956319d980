"""A reader's config file shapes the app: keys, language, widths, dates and automatic refresh."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest
from httpserver import numbered_items, rss
from pilot_helpers import (
    FAST_FETCH,
    SIZE,
    pane_rows,
    pane_text,
    screen_text,
    settle,
    wait_until,
)

import newsreader.ui.screens.main as main_module
from newsreader.config import Config, RefreshConfig, UiConfig, load_config, parse_config
from newsreader.feeds.subscriptions import import_feed_file
from newsreader.store.database import Store
from newsreader.ui.app import NewsreaderApp
from newsreader.ui.screens.help import HelpScreen
from newsreader.ui.screens.main import MainScreen
from newsreader.ui.screens.search import SearchScreen
from newsreader.ui.widgets.article_view import ArticleView
from newsreader.ui.widgets.feeds_column import FeedsColumn


def notices(app: NewsreaderApp) -> str:
    return " ".join(screen_text(app).split())


async def test_a_bad_config_file_starts_the_app_with_defaults_and_says_what_it_ignored(
    seeded_store: Store, tmp_path: Path
) -> None:
    path = tmp_path / "config.toml"
    path.write_text(
        '[refresh]\ninterval_minutes = "soon"\n[ui]\nlanguage = "[bold red]fr[/]"\n'
        'theme = "no-such-theme"\n[keymap]\nsearhc = "ctrl+f"\n',
        encoding="utf-8",
    )
    loaded = load_config(path)
    app = NewsreaderApp(store=seeded_store, config=loaded.config, config_problems=loaded.problems)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        shown = notices(app)
        assert "Settings ignored" in shown
        assert "refresh.interval_minutes" in shown
        assert '"[bold red]fr[/]"' in shown  # the file's words, never read as markup
        assert 'there is no theme called "no-such-theme"' in shown
        assert "keymap.searhc: no key has this id" in shown
        assert app.theme == "textual-dark"
        assert "Stand: 27.03.2019 20:43 Uhr" in pane_text(app, "#article-view")


async def test_a_file_that_is_not_toml_still_starts_the_app(
    seeded_store: Store, tmp_path: Path
) -> None:
    path = tmp_path / "config.toml"
    path.write_text("this is [not toml", encoding="utf-8")
    loaded = load_config(path)
    app = NewsreaderApp(store=seeded_store, config=loaded.config, config_problems=loaded.problems)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        assert "not valid TOML" in notices(app)
        assert isinstance(app.screen, MainScreen)


async def test_a_key_remapped_in_the_config_moves_and_the_help_shows_it(
    seeded_store: Store,
) -> None:
    config = parse_config('[keymap]\nsearch = "ctrl+f"\n').config
    app = NewsreaderApp(store=seeded_store, config=config)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)

        await pilot.press("ctrl+f")
        assert isinstance(app.screen, SearchScreen)
        await pilot.press("escape", "question_mark")
        assert isinstance(app.screen, HelpScreen)
        keys = pane_text(app, "#help-body")
        assert "^f Search" in keys
        assert "/ Search" not in keys


async def test_german_labels_with_ui_language_de(seeded_store: Store) -> None:
    app = NewsreaderApp(store=seeded_store, config=Config(ui=UiConfig(language="de")))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        feeds = pane_text(app, "#feed-list")
        assert "Alle Artikel" in feeds
        assert "Alle ungelesenen" in feeds
        assert "Mit Stern" in feeds
        footer = " ".join(screen_text(app).splitlines()[-1].split())
        assert "Suche" in footer
        assert "Aktualisieren" in footer
        assert "Search" not in footer
        # The feed's own words stay the feed's.
        assert "Weitere Informationen" in pane_text(app, "#sidebar")
        assert "Stand: 27.03.2019 20:43 Uhr" in pane_text(app, "#article-view")

        await pilot.press("question_mark")
        keys = pane_text(app, "#help-dialog")
        assert "Allgemein" in keys
        assert "/ Suche" in keys
        await pilot.press("pagedown")  # the rest of the keys
        await settle(pilot)
        assert "q Beenden" in keys + pane_text(app, "#help-dialog")

        await pilot.press("escape", "tab", "tab", "enter")  # a related item: only its teaser
        await settle(pilot)
        assert "Von diesem Beitrag ist nur der Teaser verfügbar." in pane_text(app, "#article-view")
        await pilot.press("slash")
        assert 'Wörter, "eine Wortfolge"' in pane_text(app, "#search-status")


async def test_the_article_text_is_no_wider_than_the_configured_width(
    seeded_store: Store,
) -> None:
    app = NewsreaderApp(store=seeded_store, config=Config(ui=UiConfig(article_width=50)))
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        view = app.screen.query_one(ArticleView)
        assert view.virtual_size.width <= 50
        rows = [row.rstrip("▁▂▃▄▅▆▇█ ") for row in pane_rows(app, "#article-view")]
        assert max(len(row) for row in rows) <= 50  # the scroll bar left out


async def test_dates_in_search_results_follow_the_configured_format(seeded_store: Store) -> None:
    app = NewsreaderApp(store=seeded_store, config=Config(ui=UiConfig(date_format="%d.%m.%y")))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"Bezos")
        await wait_until(
            pilot, lambda: "1 match" in pane_text(app, "#search-status"), "Bezos is found"
        )
        results = pane_text(app, "#search-results")
        assert "NDR Niedersachsen · 27.03.19" in results
        assert "2019-03-27" not in results


async def test_a_related_item_found_in_german_says_so_in_german(seeded_store: Store) -> None:
    config = Config(ui=UiConfig(language="de", date_format="%d.%m.%Y %H:%M"))
    app = NewsreaderApp(store=seeded_store, config=config)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"WirelessCar")
        await wait_until(
            pilot, lambda: "verwandter Beitrag" in pane_text(app, "#search-results"), "the item"
        )
        results = " ".join(pane_text(app, "#search-results").split())
        # The item has a day, no time: none is made up.
        assert "NDR Niedersachsen · 19.08.2019 · verwandter Beitrag" in results
        assert "related item" not in results


async def test_failures_are_told_in_the_readers_language(
    seeded_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsreader.ui.widgets import feeds_column

    def broken_refresh(settings: object) -> object:
        raise RuntimeError("kaputt")

    def broken_page(*args: object, **kwargs: object) -> object:
        raise sqlite3.OperationalError("gesperrt")

    monkeypatch.setattr(feeds_column, "load_refresh", broken_refresh)
    app = NewsreaderApp(store=seeded_store, config=Config(ui=UiConfig(language="de")))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await wait_until(
            pilot,
            lambda: "Aktualisieren fehlgeschlagen: kaputt" in screen_text(app),
            "the refresh failure, in German",
        )
        monkeypatch.setattr(seeded_store, "article_page", broken_page)
        app.screen.query_one(FeedsColumn).reload()
        await wait_until(
            pilot,
            lambda: "Lesen der Artikelliste fehlgeschlagen: gesperrt" in screen_text(app),
            "the list failure, in German",
        )


async def test_feeds_refresh_by_themselves_at_the_configured_interval(
    seeded_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    harbour = tmp_path / "harbour.rss"
    harbour.write_bytes(rss("Harbour News", numbered_items(1, "Harbour")))
    import_feed_file(seeded_store, harbour)
    harbour.write_bytes(rss("Harbour News", numbered_items(3, "Harbour")))
    monkeypatch.setattr(main_module, "SECONDS_PER_MINUTE", 0.2)
    config = Config(refresh=RefreshConfig(interval_minutes=1))
    app = NewsreaderApp(store=seeded_store, fetch_settings=FAST_FETCH, config=config)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        # What stays on screen, not the notification, which may have timed out by now.
        await wait_until(
            pilot,
            lambda: "Harbour 2" in pane_text(app, "#article-list"),
            "an automatic refresh brings the new articles into the list",
        )
        assert seeded_store.count_articles() == 4


async def test_no_automatic_refresh_when_the_interval_is_zero(
    seeded_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    harbour = tmp_path / "harbour.rss"
    harbour.write_bytes(rss("Harbour News", numbered_items(1, "Harbour")))
    import_feed_file(seeded_store, harbour)
    harbour.write_bytes(rss("Harbour News", numbered_items(3, "Harbour")))
    monkeypatch.setattr(main_module, "SECONDS_PER_MINUTE", 0.01)
    app = NewsreaderApp(store=seeded_store, fetch_settings=FAST_FETCH, config=Config())
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.pause(0.3)
        await settle(pilot)
        assert "Harbour 2" not in pane_text(app, "#article-list")
        assert "Refreshed" not in notices(app)


def test_config_fetch_settings_are_what_r_uses(seeded_store: Store) -> None:
    config = parse_config("[fetch]\ntimeout = 12.5\nconcurrency = 3\n").config
    app = NewsreaderApp(store=seeded_store, config=config)
    assert app.fetch_settings == config.fetch_settings()
    explicit = replace(FAST_FETCH, timeout=3.0)
    assert NewsreaderApp(store=seeded_store, fetch_settings=explicit).fetch_settings == explicit
