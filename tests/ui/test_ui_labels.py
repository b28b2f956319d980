"""The reader's own words come in English and German; links are numbered and only http(s) clicks."""

from __future__ import annotations

from dataclasses import fields

from rich.console import Console
from rich.text import Text
from textual.binding import Binding, BindingsMap

from newsreader.models import Link
from newsreader.ui.labels import (
    ENGLISH,
    GERMAN,
    GERMAN_KEYS,
    Labels,
    command_help,
    key_description,
    labels_for,
    localised_bindings,
)
from newsreader.ui.link_text import link_line, links_section
from newsreader.ui.widgets.launcher import export_name


def plain(renderable: object) -> str:
    console = Console(width=200, color_system=None, record=True)
    console.print(renderable)
    return console.export_text()


def test_the_config_language_picks_the_labels() -> None:
    assert labels_for("de") is GERMAN
    assert labels_for("DE") is GERMAN
    assert labels_for("en") is ENGLISH
    assert labels_for(None) is ENGLISH
    assert labels_for("fr") is ENGLISH


def test_every_german_label_is_filled_in_and_keeps_the_english_placeholders() -> None:
    for field in fields(Labels):
        english, german = getattr(ENGLISH, field.name), getattr(GERMAN, field.name)
        if isinstance(english, str):
            assert german, field.name
            assert _placeholders(english) >= _placeholders(german), field.name


def _placeholders(template: str) -> set[str]:
    import string

    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_key_descriptions_follow_the_language_by_binding_id() -> None:
    search = Binding("slash", "search", "Search", id="search")
    nameless = Binding("x", "nothing", "Framework key")
    assert key_description(ENGLISH, search) == "Search"
    assert key_description(GERMAN, search) == "Suche"
    assert key_description(GERMAN, nameless) == "Framework key"
    german = localised_bindings(BindingsMap([search, nameless]), GERMAN)
    assert [binding.description for _, binding in german] == ["Suche", "Framework key"]
    assert command_help(GERMAN, "refresh") == "Alle Feeds im Hintergrund neu laden"
    assert "refresh" in GERMAN_KEYS


def test_links_are_numbered_with_text_and_address() -> None:
    line = link_line(2, Link("VW-Pressemitteilung", "https://example.org/vw"), "dim")
    assert line.plain == "[2] VW-Pressemitteilung — https://example.org/vw"
    bare = link_line(1, Link("https://example.org/a", "https://example.org/a"), "dim")
    assert bare.plain == "[1] https://example.org/a"
    section = links_section([Link("a", "https://example.org/a")], "Links", "bold", "dim")
    assert plain(section[1]).strip() == "Links"
    assert links_section([], "Links", "bold", "dim") == []


def test_only_http_links_become_terminal_hyperlinks() -> None:
    web = link_line(1, Link("web", "https://example.org/x"), "dim")
    assert "https://example.org/x" in _hyperlinks(web)
    for address in ("javascript:alert(1)", "file:///etc/passwd", "ftp://example.org/x"):
        other = link_line(1, Link("other", address), "dim")
        assert _hyperlinks(other) == set(), address


def _hyperlinks(text: Text) -> set[str]:
    """The targets of the OSC 8 hyperlinks the text would write to a terminal."""
    return {
        segment.style.link
        for segment in text.render(Console(width=200))
        if segment.style is not None and segment.style.link
    }


def test_markup_in_link_text_is_shown_as_written() -> None:
    line = link_line(1, Link("[bold red]boom[/]", "https://example.org/x"), "dim")
    assert "[bold red]boom[/]" in line.plain


def test_calendar_files_are_named_after_the_story_in_plain_ascii() -> None:
    assert (
        export_name(7, "In die Cloud: VW und Amazon gehen Kooperation ein")
        == "newsreader-7-in-die-cloud-vw-und-amazon-gehen-kooperation-ein.ics"
    )
    assert export_name(3, "Über / ../../etc/passwd") == "newsreader-3-uber-etc-passwd.ics"
    assert export_name(4, "???") == "newsreader-4.ics"


def test_the_refresh_summary_and_empty_views_speak_german() -> None:
    from newsreader.feeds.refresh import FeedOutcome, OutcomeState
    from newsreader.models import Feed
    from newsreader.ui.labels import GERMAN
    from newsreader.ui.views import STARRED, empty_notice, refresh_report

    feed = Feed(source="s", title="Hafen", id=1)
    report = refresh_report(
        [FeedOutcome(feed, OutcomeState.FETCHED, new=2), FeedOutcome(feed, OutcomeState.FAILED)],
        GERMAN,
    )
    assert report.title == GERMAN.refreshed_feeds.format(feeds=GERMAN.many_feeds.format(count=2))
    assert report.text.startswith(GERMAN.new_in_feeds.format(new=2, feeds=GERMAN.one_feed))
    assert empty_notice(STARRED, GERMAN) == GERMAN.nothing_starred != empty_notice(STARRED)
