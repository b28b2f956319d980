"""newsboat's urls file, filter language and config, read by newsboat's own rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsreader.feeds.newsboat_config import parse_config, textual_key
from newsreader.feeds.newsboat_filter import Comparison, Junction, parse_filter, translate
from newsreader.feeds.newsboat_urls import (
    EXEC_REASON,
    FILTER_REASON,
    UrlsFeed,
    parse_urls,
    tokenize_quoted,
)

FIXTURES = Path(__file__).parent / "fixtures" / "newsboat"


def test_every_kind_of_urls_line_is_read_as_newsboat_reads_it() -> None:
    urls = parse_urls((FIXTURES / "urls-every-kind").read_text())
    assert urls.feeds == [
        # Listed twice: newsboat merges the tags, each once.
        UrlsFeed(
            "https://one.example/feed.xml", ("news", "two words", "extra"), "My own title",
            False, 4,
        ),
        UrlsFeed("https://two.example/atom", ("tech",), None, False, 5),
        UrlsFeed(
            "https://three.example/q?x=1#frag", ('quote "inside" a tag', "hidden-too"), None,
            True, 6,
        ),
        UrlsFeed("https://four.example/rss", (), "First", False, 8),  # newsboat 2.21 shows First
        UrlsFeed('https://six.example/"glued"tag', (), None, False, 16),
        UrlsFeed("https://seven.example/unclosed tag", (), None, False, 17),
    ]  # fmt: skip
    assert [(q.name, q.expression, q.tags) for q in urls.queries] == [
        ("Unread", 'unread = "yes"', ()),
        ("This week", "age between 0:7", ("weekly",)),  # the range keeps its colon
    ]
    skipped = {line.line: line.reason for line in urls.skipped}
    assert skipped[12] == "a query feed needs query:Name:expression"
    assert skipped[13] == EXEC_REASON
    assert skipped[14] == FILTER_REASON
    assert skipped[15] == "not an http(s) feed"
    assert len(urls.skipped) == 4
    assert "never runs programs" in EXEC_REASON and "CVE-2017-12904" in FILTER_REASON


@pytest.mark.parametrize(
    ("line", "tokens"),
    [
        ('a "b c" d', ["a", "b c", "d"]),
        ('"x\\"y" \\z', ['x"y', "\\z"]),  # escapes only inside quotes
        ('"a\\tb\\qc"', ["a\tbqc"]),  # an unknown escape gives the character
        ("a #b c", ["a"]),
        ("a#b c", ["a#b", "c"]),  # a # inside a token is kept
        ('"open', ["open"]),
        ('"a"b', ["a", "b"]),
        ("", []),
    ],
)
def test_tokens_follow_newsboats_tokenize_quoted(line: str, tokens: list[str]) -> None:
    assert tokenize_quoted(line) == tokens


def test_and_and_or_group_from_the_right_without_precedence_as_in_newsboat() -> None:
    node = parse_filter('a = "1" and b = "2" or c = "3"')
    assert isinstance(node, Junction) and node.operator == "and"
    assert isinstance(node.left, Comparison) and node.left.attribute == "a"
    assert isinstance(node.right, Junction) and node.right.operator == "or"


@pytest.mark.parametrize(
    ("expression", "query"),
    [
        ('unread = "yes"', "is:unread"),
        ('unread == "no"', "is:read"),
        ('unread != "yes"', "is:read"),
        ('flags =~ "s"', "is:starred"),
        ('flags !~ "s"', "-is:starred"),
        ('flags =~ "A"', "tag:flag-A"),
        ('tags # "news"', "folder:news"),
        ('tags !# "sport"', "-folder:sport"),
        ('title =~ "ferry"', 'title:"ferry"*'),
        ('title =~ "night shift"', 'title:"night shift"*'),
        ('title !~ "harbour" and unread = "yes"', '-title:"harbour"* is:unread'),
        ('title =~ "ferry" or title =~ "cloud"', 'title:"ferry"* OR title:"cloud"*'),
        ('author =~ "Anna Meyer"', 'author:"Anna Meyer"'),
        ('feedtitle =~ "town"', "feed:town"),
        ("age < 7", "since:7d"),
        ("age <= 7", "since:8d"),
        ("age > 30", "before:31d"),
        ("age >= 30", "before:30d"),
        ("age between 0:7", "since:8d"),
        ("age between 30:7", "since:31d before:7d"),
        ('(unread = "yes" and (tags # "news")) and age<7', "is:unread folder:news since:7d"),
    ],
)
def test_expressions_that_translate(expression: str, query: str) -> None:
    assert translate(expression).query == query


@pytest.mark.parametrize(
    ("expression", "failed_part"),
    [
        ('title =~ "^(Town|Market)"', 'title =~ "^(Town|Market)"'),
        ('title = "Exact"', 'title = "Exact"'),
        ('tags # "a" or tags # "b"', 'tags # "a" or tags # "b"'),
        ('unread = "yes" or title =~ "x1"', 'unread = "yes" or title =~ "x1"'),
        ('flags # "s"', 'flags # "s"'),
        ('tags # "a\\" OR b"', 'tags # "a\\" OR b"'),  # never read as our OR
        ('content =~ "cloud"', 'content =~ "cloud"'),
        ('rssurl =~ "^https:"', 'rssurl =~ "^https:"'),
        ("age < -3", "age < -3"),
        ('pubDate > "2019"', 'pubDate > "2019"'),
        ('title =~ "a"', 'title =~ "a"'),
        ('title !~ "x1"', None),  # an exclusion alone is not a search
    ],
)
def test_expressions_that_do_not_translate_name_the_failing_part(
    expression: str, failed_part: str | None
) -> None:
    translation = translate(expression)
    assert translation.query is None
    assert translation.problem
    if failed_part is not None:
        assert repr(failed_part) in translation.problem


def test_an_expression_newsboat_cannot_read_is_refused_as_such() -> None:
    problem = translate('title =~ "x" and').problem
    assert problem is not None and problem.startswith("newsboat cannot read it")


def test_bind_keys_become_our_bindings_beside_newsboats_defaults() -> None:
    keys = parse_config((FIXTURES / "config").read_text())
    assert keys.keymap["next-feed"] == "J"
    assert keys.keymap["refresh"] == "r,R,ctrl+r"  # the preset's r and R, and the bound ^R
    assert keys.keymap["search"] == "slash"
    assert keys.keymap["toggle-read"] == "N,space"
    assert keys.keymap["back-or-quit"] == "q,escape"
    assert keys.keymap["list-next"] == "down,j"
    reasons = {item.line: item.reason for item in keys.skipped}
    assert reasons[7] == "color: not imported"
    assert reasons[8] == "macro: not imported"
    assert reasons[17] == "bind-key: newsreader has no 'pipe-to'"
    assert reasons[19] == "unbind-key: not imported"
    assert len(keys.skipped) == 10


@pytest.mark.parametrize(
    ("key", "textual"),
    [("^R", "ctrl+r"), ("ENTER", "enter"), ("J", "J"), ("/", "slash"), ("F5", "f5"), ("é", None)],
)
def test_newsboat_key_names(key: str, textual: str | None) -> None:
    assert textual_key(key) == textual
