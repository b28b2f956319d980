"""A podcast's episodes and a video feed's clips arrive as media items the reader can play.

RSS ``<enclosure>`` and Atom ``rel="enclosure"`` links become media items with their
address, type, size and duration, on the fast path and the feedparser path alike; images in
a body leave an "[image: alt]" marker in the text and an entry among the links.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from test_fastparse import SOURCE, atom, read_both, rss

from newsreader.cli import feeds as cli_feeds
from newsreader.cli.main import main
from newsreader.feeds.fetch import FetchSettings
from newsreader.feeds.ingest import parse_feed
from newsreader.models import Link, MediaItem

FIXTURES = Path(__file__).parent / "fixtures" / "enclosures"
PODCAST = FIXTURES / "podcast.rss"
VIDEO = FIXTURES / "video.atom"
IN_PROCESS = FetchSettings(connect_timeout=0.5, timeout=2.0, parse_in="thread", trust_env=False)


def test_an_rss_enclosure_is_a_media_item_on_both_paths() -> None:
    parsed = read_both(
        rss(
            "<item><title>Ep 1</title><guid>e1</guid>"
            '<enclosure url="https://ex.org/ep1.mp3" length="12345" type="Audio/MPEG"/></item>'
        )
    )
    assert parsed is not None, "the fast path should read a plain enclosure"
    assert parsed.articles[0].media == (
        MediaItem("Ep 1", None, "https://ex.org/ep1.mp3", "audio", "audio/mpeg", 12345),
    )


def test_itunes_duration_gives_the_first_enclosure_its_length_on_both_paths() -> None:
    data = rss(
        '<item><title>Ep 2</title><guid>e2</guid><enclosure url="/ep2.mp3" type="audio/mpeg"/>'
        '<itunes:duration xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd">'
        "1:02:03</itunes:duration></item>"
    )
    parsed = read_both(data)
    assert parsed is not None
    (item,) = parsed.articles[0].media
    assert item.url == "https://example.org/ep2.mp3"  # resolved against the feed
    assert item.duration_seconds == 3723


def test_an_atom_enclosure_keeps_its_title_and_size_on_both_paths() -> None:
    parsed = read_both(
        atom(
            "<entry><title>Clip</title><id>c1</id><updated>2024-05-07T10:00:00Z</updated>"
            '<link rel="enclosure" href="https://ex.org/c.webm" type="video/webm" length="99"'
            ' title="Full clip"/></entry>'
        )
    )
    assert parsed is not None
    assert parsed.articles[0].media == (
        MediaItem("Full clip", None, "https://ex.org/c.webm", "video", "video/webm", 99),
    )


@pytest.mark.parametrize(
    ("attributes", "expected"),
    [
        ('url="javascript:alert(1)" type="audio/mpeg"', ()),
        ('url="data:audio/mpeg;base64,AAAA"', ()),
        ('url="" type="audio/mpeg"', ()),
        (
            'url="https://ex.org/a" length="-5" type="not a type"',
            (MediaItem("a", None, "https://ex.org/a", "file", None, None),),
        ),
        (
            'url="https://ex.org/b" length="99999999999999999999" type="video/mp4; codecs=x"',
            (MediaItem("a", None, "https://ex.org/b", "video", "video/mp4", None),),
        ),
    ],
)
def test_hostile_enclosures_store_nothing_unsafe(
    attributes: str, expected: tuple[MediaItem, ...]
) -> None:
    data = rss(f"<item><title>a</title><guid>g</guid><enclosure {attributes}/></item>")
    read_both(data)
    assert parse_feed(data, SOURCE).articles[0].media == expected


def test_a_podcast_with_itunes_and_media_rss_gets_durations_from_both() -> None:
    episode_12, episode_11 = parse_feed(PODCAST.read_bytes(), str(PODCAST)).articles
    assert episode_12.media == (
        MediaItem(
            "Episode 12: The new ferry",
            47 * 60 + 11,
            "https://cdn.example.org/harbour-talk-12.mp3",
            "audio",
            "audio/mpeg",
            28765432,
        ),
    )
    # The enclosure and the media:content name one file: one item, with the duration.
    assert episode_11.media == (
        MediaItem(
            "Episode 11: Tides",
            1834,
            "https://cdn.example.org/harbour-talk-11.m4a",
            "audio",
            "audio/mp4",
            None,
        ),
    )


def test_body_images_leave_a_marker_in_the_text_and_a_link_on_both_paths() -> None:
    parsed = read_both(
        rss(
            "<item><title>Pic</title><guid>p</guid><description>"
            "&lt;p&gt;Before &lt;img alt=&quot;A &amp;amp; B&quot; src=&quot;/p.png&quot;&gt;"
            " after&lt;/p&gt;&lt;p&gt;&lt;IMG SRC='https://ex.org/q.gif'/&gt;&lt;/p&gt;"
            "</description></item>"
        )
    )
    assert parsed is not None
    article = parsed.articles[0]
    assert article.body == "Before [image: A & B] after\n\n[image]"
    assert article.links == (
        Link("[image: A & B]", "https://example.org/p.png"),
        Link("[image]", "https://ex.org/q.gif"),
    )
    assert article.teaser == ""


def test_a_teaser_with_an_image_stays_words_only() -> None:
    parsed = parse_feed(
        rss(
            "<item><title>T</title><guid>t</guid>"
            "<description>&lt;img src=&quot;/x.png&quot; alt=&quot;x&quot;&gt;Short.</description>"
            "<content:encoded>&lt;p&gt;Long.&lt;/p&gt;</content:encoded></item>"
        ),
        SOURCE,
    )
    assert parsed.articles[0].teaser == "Short."


# As a user at the shell sees them.


Shell = Callable[..., str]


@pytest.fixture
def shell(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> Shell:
    monkeypatch.setattr(cli_feeds, "fetch_settings", lambda *_: IN_PROCESS)
    db = tmp_path / "enclosures.sqlite3"

    def run(*argv: str) -> str:
        capsys.readouterr()
        code = main(["--db", str(db), *argv])
        captured = capsys.readouterr()
        assert code == 0, captured.err
        return captured.out

    return run


def test_show_json_lists_the_episode_with_type_size_and_duration(shell: Shell) -> None:
    shell("add", str(PODCAST), str(VIDEO))
    articles = json.loads(shell("articles", "--json"))
    by_title = {article["title"]: article["id"] for article in articles}
    shown = json.loads(shell("show", str(by_title["Episode 12: The new ferry"]), "--json"))
    assert shown["media"] == [
        {
            "title": "Episode 12: The new ferry",
            "duration_seconds": 2831,
            "url": "https://cdn.example.org/harbour-talk-12.mp3",
            "kind": "audio",
            "type": "audio/mpeg",
            "length": 28765432,
        }
    ]
    assert "[image: The ferry at the pier]" in shown["body"]
    clip = json.loads(shell("show", str(by_title["Foghorn test"]), "--json"))
    assert clip["media"] == [
        {
            "title": "Foghorn, full length",
            "duration_seconds": None,
            "url": "https://video.example.org/media/foghorn.webm",
            "kind": "video",
            "type": "video/webm",
            "length": 5242880,
        }
    ]
    text = shell("show", str(by_title["Episode 12: The new ferry"]))
    assert "Episode 12: The new ferry  47:11  https://cdn.example.org/harbour-talk-12.mp3" in text
    assert "[image: The ferry at the pier]" in text
