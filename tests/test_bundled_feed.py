"""The bundled feed parses into exactly the parts of the seed article."""

from __future__ import annotations

import html
import re
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from newsreader.feeds.bundled import bundled_feed_path
from newsreader.feeds.ingest import parse_feed
from newsreader.models import Article

SEED_SUBHEADINGS = [
    'Diess: "Ich freue mich, gemeinsam die Zukunft zu gestalten"',
    "Vernetzt mit Amazons Hilfe",
    "Schlanker, beweglicher, schneller: VW kooperiert auch mit Microsoft",
    "Innovationszentrum in Berlin geplant",
]
BERLIN_WINTER = timezone(timedelta(hours=1))


def bundled_article() -> Article:
    parsed = parse_feed(bundled_feed_path().read_bytes(), "bundled")
    assert parsed.warning is None
    assert len(parsed.articles) == 1
    return parsed.articles[0]


def test_feed_is_ndr_niedersachsen_in_german() -> None:
    parsed = parse_feed(bundled_feed_path().read_bytes(), "bundled")
    assert parsed.feed.title == "NDR Niedersachsen"
    assert parsed.feed.language == "de"


def test_headline_kicker_teaser_and_timestamp() -> None:
    article = bundled_article()
    assert article.title == "In die Cloud: VW und Amazon gehen Kooperation ein"
    assert article.kicker == "In die Cloud"
    assert article.teaser == (
        "VW-Vorstand Herbert Diess hat sich mehrfach mit Amazon-Chef Jeff Bezos getroffen."
    )
    assert article.updated == datetime(2019, 3, 27, 20, 43, tzinfo=BERLIN_WINTER)
    assert article.labels.stamp == "Stand:"
    assert article.url is None, "the seed names no link, so none may be invented"


def test_body_has_six_paragraphs_and_four_subheadings_in_order() -> None:
    article = bundled_article()
    assert article.subheadings == SEED_SUBHEADINGS
    kinds = [block.kind.value for block in article.blocks]
    assert kinds == ["paragraph", *["heading", "paragraph"] * 4]
    assert article.blocks[0].text.startswith("Zwei internationale Wirtschaftsriesen")
    assert "Investitionen in Höhe 44 Millionen Euro" in article.body


def test_two_related_items_with_their_dates() -> None:
    article = bundled_article()
    assert article.labels.related == "Weitere Informationen"
    assert [(item.title, item.date) for item in article.related] == [
        ("Vernetzung: Volkswagen übernimmt WirelessCar", date(2019, 8, 19)),
        ("VW: Schlagabtausch zwischen Osterloh und Diess", date(2019, 3, 20)),
    ]
    assert article.related[0].teaser.startswith("Volkswagen kauft den Mehrheitsanteil")
    assert article.related[1].teaser.endswith("einen Schlagabtausch.")
    assert all(item.url is None for item in article.related)


def test_one_programme_slot() -> None:
    article = bundled_article()
    assert article.labels.programme == "Dieses Thema im Programm:"
    assert len(article.programme) == 1
    slot = article.programme[0]
    assert (slot.station, slot.programme) == ("NDR 1 Niedersachsen", "Regional Braunschweig")
    assert slot.start == datetime(2019, 3, 27, 13, 30, tzinfo=BERLIN_WINTER)


def test_three_media_items_with_durations_in_seconds() -> None:
    article = bundled_article()
    assert article.labels.media == "Mehr Nachrichten aus Niedersachsen"
    assert [(item.title, item.duration_seconds, item.kind) for item in article.media] == [
        ("Hallo Niedersachsen", 172, "video"),
        ("Hallo Niedersachsen", 200, "video"),
        ("Hallo Niedersachsen", 260, "video"),
    ]


def test_every_word_of_the_feed_comes_from_the_seed_text() -> None:
    """Only structure and identifiers are ours; all readable text is the source's, verbatim."""
    seed_file = Path(__file__).resolve().parents[2] / "shared" / "seed" / "000_383cf6fd358ea23f.txt"
    if not seed_file.exists():
        pytest.skip("the seed text is not beside this checkout")
    seed = seed_file.read_text(encoding="utf-8")
    feed = bundled_feed_path().read_text(encoding="utf-8")
    ours = {"NDR Niedersachsen"}  # the publisher's name, as the seed's README names it
    for raw in re.findall(r">([^<>]+)<", feed):
        text = html.unescape(raw.strip())
        if not text or text.startswith("tag:") or re.fullmatch(r"[\d:T+-]+", text):
            continue  # identifiers and machine-readable dates
        assert text in seed or text in ours, text
    for label in re.findall(r'label="([^"]+)"', feed):
        assert label in seed
