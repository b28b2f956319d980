"""Full articles from web pages: the body of real pages, and what is read around it.

The real pages are those in ../shared/pages (saved as their sites served them); the
seed-style page in fixtures/pages is the bundled NDR story as its web page would show it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from shared_paths import FIXTURES, SHARED_PAGES

from newsreader.feeds import bundled
from newsreader.feeds.ingest import parse_feed
from newsreader.feeds.page_error import PageError
from newsreader.feeds.page_extract import extract_page, looks_like_html, parse_page
from newsreader.feeds.page_meta import iso_duration
from newsreader.feeds.page_related import take_boxes
from newsreader.models import BlockKind, MediaItem, ProgrammeSlot

PAGES = SHARED_PAGES
SEED_PAGE = FIXTURES / "pages" / "ndr-vw-amazon.html"
PAGE_URL = "https://www.ndr.de/nachrichten/niedersachsen/vw-amazon,vw1234.html"
CET = timezone(timedelta(hours=1))

# page -> (sentences that must be in the body, boilerplate that must not)
REAL_PAGES: dict[str, tuple[list[str], list[str]]] = {
    "heise.de.lithium": (
        [
            "Die Ökobilanz von Elektroautos wird vor allem durch die Produktion der "
            "Batterien beeinträchtigt.",
            "Nur die Folie bleibt zurück",
        ],
        ["TR 7/2019", "Der FCKW-Krimi", "Forum zum Thema"],
    ),
    "sueddeutsche.de.flixtrain": (
        [
            "Bahn-Konkurrenten wie Flixbus fürchten",
            "auch der Bus ein klimafreundliches Verkehrsmittel sei",
        ],
        ["Markus Balser kam 2001", "Diskussion zu diesem Artikel"],
    ),
    "dw.com.colonial": (
        ["The German capital has launched a five-year project"],
        ["Every day, DW's editors", "Permalink", "Berlin Libya conference"],
    ),
    "dw.com.uncork": (["One of Germany's smallest wine"], ["Permalink", "Sour grapes"]),
    "reuters.com.parasite": (
        ["South Korean thriller “Parasite” was the upset winner"],
        ["4 Min Read", "Related Coverage"],
    ),
    "meedia.de.freenet": (
        ["Von Gregory Lipinski"],
        ["Abonnieren Sie kostenlos die MEEDIA-Newsletter"],
    ),
    "spiegel.de.albtraum": (
        ["Ein perfekter Sturm auf dem Meer beginnt meistens", "Die Erzählung ist grauenhaft."],
        ["Diskutieren Sie mit"],
    ),
    "nature.com.telescope": (
        ["The world’s largest single-dish radio observatory is preparing"],
        ["Daring Chinese telescope is poised", "Sign up for the Nature Briefing"],
    ),
    "computerbase.de.htc": (["Vor knapp zwei Wochen stellten Microsoft und HTC"], ["Themen:"]),
    "theverge.com.ios13": (
        ["Normally, video calls tend to", "Added ARKit explanation and tweet."],
        ["Command Line delivers daily updates"],
    ),
    "salon.com.emissions": (["Just a week into the new year"], ["Related Articles"]),
    "correctiv.org.zusage": (
        ["Vorweg: Die beteiligten AfD-Politiker", "auch im ZDF-Magazin Frontal"],
        ["Kommentar verfassen", "E-Mail-Adresse"],
    ),
    "spektrum.de.engelbart": (
        ["Zweitens wird der Genderstern", "alldem leider – nichts."],
        ["Spektrum.de Newsletter", "Originalbeitrag"],
    ),
    "rnz.de.witzel": (
        ["Für einen Roman über die alte Bundesrepublik hat Frank Witzel"],
        ["WHATSAPP", "Ihre RNZ."],
    ),
    "phys.org.tool": (
        ["found evidence in small a cutting tool of Neanderthals"],
        ["Explore further", "Email newsletter"],
    ),
    "scmp.com.playbook": (["Tsai Ing-wen"], ["Photo: AP"]),
}


def extracted(name: str) -> str:
    page = extract_page((PAGES / f"{name}.html").read_bytes(), "https://example.org/a.html")
    return "\n".join(block.text for block in page.blocks)


@pytest.mark.parametrize("name", sorted(REAL_PAGES))
def test_the_body_of_a_real_page_holds_the_article_and_not_its_surroundings(name: str) -> None:
    body = extracted(name)
    must, must_not = REAL_PAGES[name]
    for sentence in must:
        assert sentence in body
    for boilerplate in must_not:
        assert boilerplate not in body


def test_every_shared_page_is_covered() -> None:
    assert {path.stem for path in PAGES.glob("*.html")} == set(REAL_PAGES)


def test_paragraphs_and_headings_stay_apart() -> None:
    page = extract_page((PAGES / "heise.de.lithium.html").read_bytes(), "https://h.example/")
    kinds = [block.kind for block in page.blocks]
    assert kinds.count(BlockKind.HEADING) == 2
    assert kinds.count(BlockKind.PARAGRAPH) >= 5
    spiegel = extract_page((PAGES / "spiegel.de.albtraum.html").read_bytes(), "https://s.ex/")
    assert len(spiegel.blocks) > 30  # paragraphs split at <br><br>, not one wall of text


def test_links_in_the_text_are_kept_absolute_and_http_only() -> None:
    page = extract_page(
        (PAGES / "heise.de.lithium.html").read_bytes(),
        "https://www.heise.de/newsticker/meldung/Lithium-aus-dem-Schredder-4451133.html",
    )
    urls = [link.url for link in page.links]
    assert "https://www.duesenfeld.com/" in urls
    assert "https://www.heise.de/select/tr/2019/7" in urls  # relative, resolved
    assert all(url.startswith(("http://", "https://")) for url in urls)  # mailto: dropped


def test_related_boxes_go_to_the_sidebar_with_their_heading_and_dates() -> None:
    page = extract_page((PAGES / "dw.com.colonial.html").read_bytes(), "https://www.dw.com/en/")
    assert page.labels.related == "Related content"
    assert [(item.title, item.date) for item in page.related] == [
        ("Berlin Libya conference: A first step toward peace?", date(2020, 1, 19)),
        ("Germany's colonial legacy in Bougainville and South Pacific", date(2019, 12, 12)),
        ("Fall of the Berlin Wall remembered in S. Africa", date(2019, 11, 10)),
    ]
    assert page.related[0].teaser.startswith("The German government has invited")
    assert page.related[0].url is not None
    assert page.related[0].url.startswith("https://www.dw.com/en/berlin-libya-conference")


def test_a_script_drawn_page_gives_its_json_ld_article_body() -> None:
    body = extracted("scmp.com.playbook")
    assert len(body.split()) > 500


def test_the_seed_page_gives_the_bundled_story_and_its_sidebar() -> None:
    story = parse_feed(bundled.bundled_feed_path().read_bytes(), "bundled").articles[0]
    page = extract_page(SEED_PAGE.read_bytes(), PAGE_URL)
    # The headline is not repeated in the body; the teaser (set apart on the page) is.
    assert [block.text for block in page.blocks] == [story.teaser] + [
        block.text for block in story.blocks
    ]
    assert [b.kind for b in page.blocks[1:]] == [b.kind for b in story.blocks]
    assert page.labels.related == story.labels.related == "Weitere Informationen"
    assert page.labels.programme == story.labels.programme == "Dieses Thema im Programm:"
    assert page.labels.media == story.labels.media == "Mehr Nachrichten aus Niedersachsen"
    assert [(i.title, i.teaser, i.date) for i in page.related] == [
        (i.title, i.teaser, i.date) for i in story.related
    ]
    assert (
        page.programme
        == story.programme
        == (
            ProgrammeSlot(
                "NDR 1 Niedersachsen",
                "Regional Braunschweig",
                datetime(2019, 3, 27, 13, 30, tzinfo=CET),
            ),
        )
    )
    assert [(m.title, m.duration_seconds, m.kind) for m in page.media] == [
        ("Hallo Niedersachsen", 172, "video"),
        ("Hallo Niedersachsen", 200, "video"),
        ("Hallo Niedersachsen", 260, "video"),
    ]
    assert page.published == datetime(2019, 3, 27, 17, 12, tzinfo=CET)
    assert page.modified == datetime(2019, 3, 27, 20, 43, tzinfo=CET)
    body = "\n".join(block.text for block in page.blocks)
    for boilerplate in (
        "Cookies",
        "Teilen auf Facebook",
        "Impressum",
        "Startseite",
        "Volkswagen übernimmt WirelessCar",
    ):
        assert boilerplate not in body


def page(body: str, head: str = "") -> bytes:
    filler = " ".join(f"Satz {n} des Artikels über den Hafen und seine Schiffe." for n in range(12))
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'>{head}</head><body>"
        f"<main><article><h1>Der Hafen</h1><p>{filler}</p><p>{filler}</p></article>"
        f"{body}</main></body></html>"
    ).encode()


def test_json_ld_media_broadcasts_and_times_are_read_from_a_graph() -> None:
    ld = """<script type="application/ld+json">{"@context": "https://schema.org", "@graph": [
      {"@type": "WebPage", "name": "Seite"},
      {"@type": ["NewsArticle"], "headline": "Der Hafen",
       "datePublished": "2024-05-01T08:00:00Z", "dateModified": "2024-05-01T09:30:00+02:00",
       "video": {"@type": "VideoObject", "name": "Hafenrundfahrt", "duration": "P0DT1H2M3S",
                 "contentUrl": "/media/rundfahrt.mp4"}},
      {"@type": "AudioObject", "name": "Podcast", "duration": "PT52.5S",
       "url": "javascript:alert(1)"},
      {"@type": "BroadcastEvent", "startDate": "2024-05-02T18:00:00+02:00",
       "workPerformed": {"@type": "TVSeries", "name": "Hafenkante"},
       "publishedOn": {"@type": "BroadcastService", "name": "Hafen TV"}}
    ]}</script><script type="application/ld+json">{not json</script>"""
    found = extract_page(page("", ld), "https://hafen.example/artikel/1")
    assert found.media == (
        MediaItem("Hafenrundfahrt", 3723, "https://hafen.example/media/rundfahrt.mp4", "video"),
        MediaItem("Podcast", 52, None, "audio"),
    )
    assert found.programme == (
        ProgrammeSlot(
            "Hafen TV", "Hafenkante", datetime(2024, 5, 2, 18, tzinfo=timezone(timedelta(hours=2)))
        ),
    )
    assert found.published == datetime(2024, 5, 1, 8, tzinfo=UTC)
    assert found.modified == datetime(2024, 5, 1, 9, 30, tzinfo=timezone(timedelta(hours=2)))
    assert found.title == "Der Hafen"


def test_open_graph_and_time_elements_give_the_times_when_json_ld_does_not() -> None:
    head = '<meta property="article:published_time" content="2024-05-01T08:00:00+00:00">'
    body = '<p>Stand: <time class="updated" datetime="2024-05-03T10:00:00+02:00">3.5.</time></p>'
    found = extract_page(page(body, head), "https://hafen.example/a")
    assert found.published == datetime(2024, 5, 1, 8, tzinfo=UTC)
    assert found.modified == datetime(2024, 5, 3, 10, tzinfo=timezone(timedelta(hours=2)))


def test_a_related_box_is_found_by_its_heading_and_taken_out_of_the_body() -> None:
    box = """<aside><h2>Mehr zum Thema</h2><ul>
      <li><a href="/kraene"><span class="kicker">Hafen</span> <span class="title">Neue
        Kräne am Kai</span></a><p>Drei Kräne kommen im Sommer, schneller als geplant.</p>
        <time datetime="2024-04-30">30.04.2024</time></li>
      <li><a href="javascript:alert(1)">Nichts</a></li>
      <li><a href="https://other.example/schleuse">Die Schleuse wird saniert 02.04.2024</a></li>
    </ul></aside>"""
    found = extract_page(page(box), "https://hafen.example/artikel/1")
    assert found.labels.related == "Mehr zum Thema"
    assert [(i.title, i.teaser, i.date, i.url) for i in found.related] == [
        (
            "Hafen: Neue Kräne am Kai",
            "Drei Kräne kommen im Sommer, schneller als geplant.",
            date(2024, 4, 30),
            "https://hafen.example/kraene",
        ),
        ("Die Schleuse wird saniert", "", date(2024, 4, 2), "https://other.example/schleuse"),
    ]
    body = "\n".join(block.text for block in found.blocks)
    assert "Kräne" not in body and "Mehr zum Thema" not in body


def test_a_heading_that_only_looks_related_does_not_take_the_article_with_it() -> None:
    long_text = " ".join(f"Absatz {n} über verwandte Häfen und ihre Geschichte." for n in range(80))
    article = f"<section><h2>Related</h2><p>{long_text}</p><a href='/x'>mehr</a></section>"
    tree = parse_page(page(article))
    boxes = take_boxes(tree, "https://hafen.example/a", frozenset())
    assert boxes.related == () and boxes.related_label is None
    assert "Absatz 79" in tree.text_content()  # still there for the extractor


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("PT2M52S", 172),
        ("PT1H", 3600),
        ("P1DT1M", 86460),
        ("PT52.5S", 52),
        ("03:20", 200),
        ("pt4m20s", 260),
        ("P", None),
        ("PT", None),
        ("2 Minuten", None),
        ("PT1M2H", None),
    ],
)
def test_iso_8601_durations(text: str, seconds: int | None) -> None:
    assert iso_duration(text) == seconds


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"%PDF-1.7 binary", "not an HTML page"),
        (b'<?xml version="1.0"?><rss version="2.0"><channel></channel></rss>', "not an HTML page"),
        (b"\x89PNG\r\n\x1a\n", "not an HTML page"),
        (b"<html><body><p>Kurz.</p></body></html>", "nothing article-like found on the page"),
    ],
)
def test_what_is_not_an_article_says_why(data: bytes, reason: str) -> None:
    with pytest.raises(PageError, match=reason):
        extract_page(data, "https://hafen.example/a")


def test_html_is_told_from_feeds_and_binaries() -> None:
    assert looks_like_html(b"\xef\xbb\xbf  <!doctype html><title>x</title>")
    assert looks_like_html(b"<div>text</div>")
    assert not looks_like_html(b'<feed xmlns="http://www.w3.org/2005/Atom"></feed>')
