"""How feed text becomes screen text: dates, durations, highlights, and never markup."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from pilot_helpers import SIZE, pane_text, settle
from rich.console import Console

from newsreader.models import (
    HIGHLIGHT_END,
    HIGHLIGHT_START,
    Article,
    Feed,
    MediaItem,
    ProgrammeSlot,
    RelatedItem,
    SearchHit,
    SectionLabels,
)
from newsreader.store.database import Store
from newsreader.text.timefmt import date_part, format_duration, format_stamp
from newsreader.ui.app import NewsreaderApp
from newsreader.ui.labels_de import GERMAN
from newsreader.ui.render import (
    Palette,
    article_renderable,
    headline,
    highlighted_snippet,
    media_prompt,
    palette_from_theme,
    programme_prompt,
    search_hit_prompt,
)

BERLIN_SUMMER = timezone(timedelta(hours=2))


def plain(renderable: object) -> str:
    console = Console(width=200, color_system=None, record=True)
    console.print(renderable)
    return console.export_text()


def test_german_articles_show_the_stamp_in_their_own_offset() -> None:
    article = Article(
        guid="a",
        title="t",
        language="de-DE",
        updated=datetime(2019, 7, 1, 6, 5, tzinfo=BERLIN_SUMMER),
        labels=SectionLabels(stamp="Zuletzt aktualisiert:"),
    )
    assert format_stamp(article) == "Zuletzt aktualisiert: 01.07.2019 06:05 Uhr"
    assert format_stamp(Article(guid="b", title="t", language="de", updated=article.updated)) == (
        "Stand: 01.07.2019 06:05 Uhr"
    )


def test_other_languages_show_an_iso_stamp_in_the_readers_zone() -> None:
    moment = datetime(2019, 3, 27, 20, 43, tzinfo=UTC)  # 21:43 for the suite's Berlin reader
    assert format_stamp(Article(guid="a", title="t", language="en", updated=moment)) == (
        "Updated 2019-03-27 21:43"
    )
    assert format_stamp(Article(guid="a", title="t", published=moment)) == (
        "Published 2019-03-27 21:43"
    )
    assert format_stamp(Article(guid="a", title="t")) is None


def test_durations_read_like_a_player() -> None:
    assert format_duration(172) == "02:52"
    assert format_duration(3723) == "1:02:03"
    assert format_duration(None) is None
    assert plain(media_prompt(MediaItem("Hallo", 260), Palette())).strip() == "04:20  Hallo"
    assert plain(media_prompt(MediaItem("Ohne Länge"), Palette())).strip() == "Ohne Länge"


def test_a_programme_slot_is_shown_in_the_readers_zone() -> None:
    # +02:00 on a March day that Berlin keeps at +01:00: the reader there sees 12:30.
    slot = ProgrammeSlot("NDR 1", "Regional", datetime(2019, 3, 27, 13, 30, tzinfo=BERLIN_SUMMER))
    assert programme_prompt(slot, "de").plain == "NDR 1 · Regional · 27.03.2019 · 12:30 Uhr"
    assert programme_prompt(slot, "en").plain == "NDR 1 · Regional · 2019-03-27 · 12:30"
    assert programme_prompt(ProgrammeSlot("NDR 1", "Regional", None), "de").plain == (
        "NDR 1 · Regional"
    )


def test_matches_become_styled_spans_and_the_markers_disappear() -> None:
    snippet = f"mit Amazon-Chef Jeff {HIGHLIGHT_START}Bezos{HIGHLIGHT_END} getroffen\nund"
    text = highlighted_snippet(snippet, "bold underline")
    assert text.plain == "mit Amazon-Chef Jeff Bezos getroffen und"
    assert [(text.plain[s.start : s.end], str(s.style)) for s in text.spans] == [
        ("Bezos", "bold underline")
    ]


def test_the_kicker_is_styled_apart_from_the_rest_of_the_headline() -> None:
    palette = Palette(accent="bold #FEA62B")
    text = headline("In die Cloud: VW und Amazon", "In die Cloud", palette)
    assert [(text.plain[s.start : s.end], str(s.style)) for s in text.spans] == [
        ("In die Cloud", "bold #FEA62B")
    ]
    assert headline("Other title", "In die Cloud", palette).spans == []


def test_the_rendered_article_is_cached_per_article() -> None:
    article = Article(guid="a", title="Title", teaser="Teaser")
    assert article_renderable(article, Palette()) is article_renderable(article, Palette())


async def test_feed_text_that_looks_like_markup_is_shown_as_typed(store: Store) -> None:
    feed = store.add_feed(Feed(source="local:markup", title="[b]Feed[/b]", language="en"))
    assert feed.id is not None
    store.save_articles(
        feed.id,
        [
            Article(
                guid="m",
                title="[red]Not red[/red] :smile: $accent",
                teaser="[link=http://example.org]no link[/link]",
                published=datetime(2020, 1, 2, 3, 4, tzinfo=UTC),
                media=(MediaItem("[i]clip[/i]", 5),),
                related=(RelatedItem("[bold]x[/bold]", "[u]teaser[/u]", date(2020, 1, 1)),),
            )
        ],
    )
    app = NewsreaderApp(store=store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        article = pane_text(app, "#article-view")
        assert "[red]Not red[/red] :smile: $accent" in article
        assert "[link=http://example.org]no link[/link]" in article
        assert "[b]Feed[/b]" in article
        assert "[red]Not" in pane_text(app, "#article-list")
        sidebar = pane_text(app, "#sidebar")
        assert "00:05 [i]clip[/i]" in sidebar
        assert "[bold]x[/bold]" in sidebar
        assert "(2020-01-01)" in sidebar


def test_a_related_item_hit_shows_its_day_without_a_time_and_says_what_it_is() -> None:
    hit = SearchHit(
        article_id=1,
        title="Vernetzung",
        feed_title="NDR",
        published=date(2019, 8, 19),
        snippet="",
        related_position=0,
    )
    palette = palette_from_theme({})
    meta = search_hit_prompt(hit, palette, "%Y-%m-%d %H:%M").plain.splitlines()[1]
    assert meta == "NDR · 2019-08-19 · related item"
    german = search_hit_prompt(hit, palette, "%d.%m.%Y %H:%M", GERMAN.related_item)
    assert german.plain.splitlines()[1] == "NDR · 19.08.2019 · verwandter Beitrag"
    # An article's hit keeps its time, in the reader's zone (09:05 UTC is 11:05 in Berlin).
    timed = dataclasses.replace(hit, published=datetime(2019, 8, 19, 9, 5), related_position=None)
    assert search_hit_prompt(timed, palette, "%Y-%m-%d %H:%M").plain.splitlines()[1] == (
        "NDR · 2019-08-19 11:05"
    )


@pytest.mark.parametrize(
    ("date_format", "date_only"),
    [
        ("%Y-%m-%d %H:%M", "%Y-%m-%d"),
        ("%d.%m.%Y, %H:%M:%S", "%d.%m.%Y"),
        ("%H:%M %d.%m.", "%d.%m."),
        ("%H:%M", "%Y-%m-%d"),
    ],
)
def test_the_date_part_of_a_date_format(date_format: str, date_only: str) -> None:
    assert date_part(date_format) == date_only
