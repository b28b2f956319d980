"""A reader opens newsreader on a new machine and reads the bundled story and its sidebar."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from pilot_helpers import (
    FIRST_RELATED_TEASER_START,
    FIRST_RELATED_TITLE,
    SIZE,
    VW_TITLE,
    pane_text,
    screen_text,
    settle,
)

from newsreader.models import Article, Block, BlockKind, Feed
from newsreader.store.database import Store
from newsreader.ui.app import NewsreaderApp
from newsreader.ui.widgets.sidebar import Sidebar

TEASER_ONLY = "Only the teaser of this item is available."


async def test_the_bundled_story_and_its_three_sidebar_sections_show_on_start(
    app: NewsreaderApp,
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)

        article = pane_text(app, "#article-view")
        assert "Stand: 27.03.2019 20:43 Uhr" in article
        assert VW_TITLE in article
        assert "VW-Vorstand Herbert Diess hat sich mehrfach mit Amazon-Chef" in article
        assert 'Diess: "Ich freue mich, gemeinsam die Zukunft zu gestalten"' in article

        sidebar = pane_text(app, "#sidebar")
        assert "Weitere Informationen" in sidebar
        assert f"{FIRST_RELATED_TITLE} {FIRST_RELATED_TEASER_START}" in sidebar
        assert "(19.08.2019)" in sidebar
        assert "Dieses Thema im Programm:" in sidebar
        assert "NDR 1 Niedersachsen · Regional Braunschweig · 27.03.2019 · 13:30 Uhr" in sidebar
        assert "Mehr Nachrichten aus Niedersachsen" in sidebar
        assert "02:52 Hallo Niedersachsen" in sidebar

        assert "In die Cloud: VW und" in pane_text(app, "#article-list")


async def test_a_related_item_opens_as_a_teaser_and_history_goes_back_and_forward(
    app: NewsreaderApp,
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "Back" not in screen_text(app).splitlines()[-1]  # nothing to go back to yet

        await pilot.press("tab", "tab")
        assert isinstance(app.focused, Sidebar)
        await pilot.press("enter")
        await settle(pilot)

        article = pane_text(app, "#article-view")
        assert FIRST_RELATED_TITLE in article
        assert "19.08.2019" in article
        assert FIRST_RELATED_TEASER_START in article
        assert TEASER_ONLY in article
        assert VW_TITLE not in article
        # The story's sidebar stays, so the other related item is one keypress away.
        assert "VW: Schlagabtausch zwischen Osterloh und Diess" in pane_text(app, "#sidebar")
        assert "Back" in screen_text(app).splitlines()[-1]

        await pilot.press("backspace")
        await settle(pilot)
        article = pane_text(app, "#article-view")
        assert VW_TITLE in article
        assert TEASER_ONLY not in article

        await pilot.press("alt+right")
        await settle(pilot)
        article = pane_text(app, "#article-view")
        assert FIRST_RELATED_TITLE in article
        assert TEASER_ONLY in article

        await pilot.press("alt+left")
        await settle(pilot)
        assert VW_TITLE in pane_text(app, "#article-view")


async def test_the_second_related_item_opens_straight_from_the_first(app: NewsreaderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("tab", "tab", "enter")
        await settle(pilot)
        await pilot.press("j", "enter")
        await settle(pilot)

        article = pane_text(app, "#article-view")
        assert "VW: Schlagabtausch zwischen Osterloh und Diess" in article
        assert "Konzernchef Diess hält den VW-Sparkurs für alternativlos" in article
        assert TEASER_ONLY in article

        await pilot.press("backspace")
        await settle(pilot)
        assert FIRST_RELATED_TITLE in pane_text(app, "#article-view")


async def test_a_video_without_a_link_says_so_instead_of_pretending(app: NewsreaderApp) -> None:
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("tab", "tab")
        # Down skips the section headings: two related items, one broadcast, then a video.
        await pilot.press("down", "down", "down", "enter")
        await settle(pilot)

        assert "No link is known for this video." in " ".join(screen_text(app).split())
        assert VW_TITLE in pane_text(app, "#article-view")


async def test_the_article_pane_scrolls_with_the_keys(app: NewsreaderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("tab")
        assert "Stand: 27.03.2019" in pane_text(app, "#article-view")

        await pilot.press("j", "j", "j", "j")
        await settle(pilot)
        assert "Stand: 27.03.2019" not in pane_text(app, "#article-view")

        await pilot.press("end")
        await settle(pilot)
        assert "digitale Dienste auf die ganze Flotte auszuweiten." in pane_text(
            app, "#article-view"
        )

        await pilot.press("k", "k")
        await settle(pilot)
        assert "digitale Dienste auf die ganze Flotte auszuweiten." not in pane_text(
            app, "#article-view"
        )

        await pilot.press("home")
        await settle(pilot)
        assert "Stand: 27.03.2019" in pane_text(app, "#article-view")


async def test_a_related_item_that_is_stored_opens_as_the_full_article(
    seeded_store: Store,
) -> None:
    feed = seeded_store.add_feed(Feed(source="local:archive", title="Archiv", language="de"))
    assert feed.id is not None
    seeded_store.save_articles(
        feed.id,
        [
            Article(
                guid="osterloh",
                title="VW: Schlagabtausch zwischen Osterloh und Diess",
                teaser="Der ganze Bericht.",
                blocks=(Block(BlockKind.PARAGRAPH, "Betriebsversammlung in Wolfsburg."),),
                language="de",
                published=datetime(2019, 3, 20, 18, 0, tzinfo=timezone(timedelta(hours=1))),
            )
        ],
    )
    app = NewsreaderApp(store=seeded_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert VW_TITLE in pane_text(app, "#article-view")  # still the newest
        await pilot.press("tab", "tab", "j", "enter")
        await settle(pilot)

        article = pane_text(app, "#article-view")
        assert "Stand: 20.03.2019 18:00 Uhr" in article
        assert "Betriebsversammlung in Wolfsburg." in article
        assert TEASER_ONLY not in article

        await pilot.press("backspace")
        await settle(pilot)
        assert VW_TITLE in pane_text(app, "#article-view")


async def test_an_empty_store_says_there_is_nothing_yet(store: Store) -> None:
    app = NewsreaderApp(store=store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "No articles are stored yet." in pane_text(app, "#article-view")
        assert pane_text(app, "#sidebar") == ""
        await pilot.press("backspace", "enter", "tab", "enter")
        await settle(pilot)
        assert "No articles are stored yet." in pane_text(app, "#article-view")


async def test_the_collector_runs_again_once_the_first_screen_is_up(app: NewsreaderApp) -> None:
    """The command line starts the reader with the cycle collector off (``cli.main``);
    the first screen turns it on again, long before the app's fallback would."""
    import gc

    gc.disable()
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert VW_TITLE in pane_text(app, "#article-view")
            assert gc.isenabled()
            assert gc.get_freeze_count() > 0  # what starting made is out of its way
    finally:
        gc.enable()
        gc.unfreeze()
