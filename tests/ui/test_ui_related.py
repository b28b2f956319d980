"""A reader finds more on a story in the sidebar, and sees which other feeds carry a story."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from pilot_helpers import SIZE, VW_TITLE, pane_rows, pane_text, settle, wait_until

from newsreader.config import Config, UiConfig
from newsreader.models import Article, Block, BlockKind, Feed
from newsreader.store.database import Store
from newsreader.ui.app import NewsreaderApp
from newsreader.ui.widgets.sidebar import Sidebar

ALIKE_TITLE = "Volkswagen baut eine Cloud mit Amazon"
ALIKE_TEXT = (
    "Volkswagen und Amazon Web Services vernetzen die Werke des Konzerns. Die Volkswagen "
    "Industrial Cloud soll alle Fabriken und Lager verbinden, sagte Konzernchef Diess in "
    "Wolfsburg. Amazon stellt die Rechenkapazitäten und die Cloud."
)
UNRELATED_TITLE = "Harbour festival draws crowds"
CET = timezone(timedelta(hours=1))


@pytest.fixture
def alike_store(seeded_store: Store) -> Store:
    """The bundled VW story, an older story of another feed much like it, and one unlike it."""
    feed = seeded_store.add_feed(
        Feed(source="local:wirtschaft", title="Wirtschaft Nord", language="de")
    )
    assert feed.id is not None
    seeded_store.save_articles(
        feed.id,
        [
            Article(
                guid="vw-cloud",
                title=ALIKE_TITLE,
                teaser="Der Autobauer aus Wolfsburg und Amazon arbeiten zusammen.",
                blocks=(Block(BlockKind.PARAGRAPH, ALIKE_TEXT),),
                url="https://example.org/wirtschaft/vw-cloud",
                language="de",
                published=datetime(2019, 3, 26, 18, 0, tzinfo=CET),
            ),
            Article(
                guid="festival",
                title=UNRELATED_TITLE,
                blocks=(Block(BlockKind.PARAGRAPH, "Boats and music on the quay all weekend."),),
                url="https://example.org/wirtschaft/festival",
                language="en",
                published=datetime(2019, 3, 25, 18, 0, tzinfo=CET),
            ),
        ],
    )
    return seeded_store


async def test_stories_found_alike_follow_the_related_items_and_open(
    alike_store: Store,
) -> None:
    app = NewsreaderApp(store=alike_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert VW_TITLE in pane_text(app, "#article-view")  # the newest story opened at start
        await wait_until(
            pilot, lambda: ALIKE_TITLE in pane_text(app, "#sidebar"), "the alike story is listed"
        )
        sidebar = pane_text(app, "#sidebar")
        # Under the source's own heading, after the source's own items, with feed and day.
        assert sidebar.index("Weitere Informationen") < sidebar.index("Schlagabtausch")
        assert sidebar.index("Schlagabtausch") < sidebar.index("More on this")
        assert sidebar.index("More on this") < sidebar.index(ALIKE_TITLE)
        assert "Wirtschaft Nord · 26.03.2019" in sidebar
        assert UNRELATED_TITLE not in sidebar
        assert VW_TITLE not in sidebar  # never the story itself

        await pilot.press("tab", "tab")
        assert isinstance(app.focused, Sidebar)
        await pilot.press("j", "j", "enter")  # past the two related items the feed names
        await settle(pilot)
        assert ALIKE_TITLE in pane_text(app, "#article-view")
        assert "Der Autobauer aus Wolfsburg" in pane_text(app, "#article-view")

        # Back returns to the VW story, its alike story still listed.
        await pilot.press("backspace")
        await settle(pilot)
        assert VW_TITLE in pane_text(app, "#article-view")
        assert ALIKE_TITLE in pane_text(app, "#sidebar")


async def test_the_sub_heading_speaks_german(alike_store: Store) -> None:
    app = NewsreaderApp(store=alike_store, config=Config(ui=UiConfig(language="de")))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await wait_until(
            pilot, lambda: ALIKE_TITLE in pane_text(app, "#sidebar"), "the alike story is listed"
        )
        assert "Mehr zum Thema" in pane_text(app, "#sidebar")


@pytest.fixture
def shared_store(store: Store) -> Store:
    """One story carried by two feeds (the same link), and one carried by one."""
    feed_ids = []
    for source, title in (("local:bay", "Bay"), ("local:cove", "Cove")):
        feed = store.add_feed(Feed(source=source, title=title, language="en"))
        assert feed.id is not None
        feed_ids.append(feed.id)
        store.save_articles(
            feed.id,
            [
                Article(
                    guid=f"{source}:tide",
                    title="Tide",
                    blocks=(Block(BlockKind.PARAGRAPH, "High water at noon."),),
                    url="https://example.org/tide",
                    language="en",
                    published=datetime(2024, 5, 2, 9, 0, tzinfo=UTC),
                )
            ],
        )
    store.save_articles(
        feed_ids[0],
        [
            Article(
                guid="gulls",
                title="Gulls",
                blocks=(Block(BlockKind.PARAGRAPH, "Many gulls."),),
                url="https://example.org/gulls",
                language="en",
                published=datetime(2024, 5, 1, 9, 0, tzinfo=UTC),
            )
        ],
    )
    return store


async def test_a_story_in_several_feeds_says_where_else_it_is(shared_store: Store) -> None:
    app = NewsreaderApp(store=shared_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        rows = pane_rows(app, "#article-list")
        assert len(rows) == 2  # the shared story is listed once
        tide, gulls = rows
        assert "Tide" in tide and "also in" in tide
        assert "Gulls" in gulls and "also in" not in gulls
        # The open story names the other feed in full under its date.
        assert "Bay · also in: Cove" in pane_text(app, "#article-view")


async def test_the_views_count_a_story_in_several_feeds_once(shared_store: Store) -> None:
    app = NewsreaderApp(store=shared_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        # Tide, opened, is read in both feeds; Gulls is left unread.
        await wait_until(
            pilot,
            lambda: "All unread 1" in " ".join(pane_text(app, "#feed-list").split()),
            "the unread count follows the opened story",
        )
        feeds = " ".join(pane_text(app, "#feed-list").split())
        assert "All articles 2" in feeds
        assert "Bay 1" in feeds and "Cove 1" not in feeds
