"""A feed's pictures are found when it is read and kept with the article in the store."""

from __future__ import annotations

from newsreader.feeds.ingest import parse_feed
from newsreader.models import Feed, ImageRef
from newsreader.store.database import Store

SOURCE = "https://news.example/feed.xml"

RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Harbour News</title><link>https://news.example/</link>
<item><guid>urn:1</guid><title>Boats at dawn</title>
<enclosure url="https://news.example/lead.jpg" length="100" type="image/jpeg"/>
<content:encoded><![CDATA[<p>The boats left early.</p>
<figure><img src="/img/boats.png" alt="Three boats"><figcaption>Boats &amp; gulls</figcaption>
</figure><p>They came back at noon.</p>
<img src="https://track.example/p.gif" width="1" height="1"></p>]]></content:encoded>
</item>
<item><guid>urn:2</guid><title>Podcast</title>
<enclosure url="https://news.example/a.mp3" length="100" type="audio/mpeg"/>
<description>Just sound.</description></item>
</channel></rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:media="http://search.yahoo.com/mrss/">
<title>T</title><id>urn:t</id><updated>2024-05-01T12:00:00Z</updated>
<entry><id>urn:a</id><title>A</title><updated>2024-05-01T12:00:00Z</updated>
<media:thumbnail url="https://news.example/thumb.jpg" width="320" height="180"/>
<summary>Plain text.</summary></entry></feed>"""


def test_figures_and_the_image_enclosure_become_the_articles_pictures() -> None:
    first, second = parse_feed(RSS, SOURCE).articles
    assert first.images == (
        ImageRef(url="https://news.example/lead.jpg", lead=True),
        ImageRef(
            url="https://news.example/img/boats.png",
            alt="Three boats",
            caption="Boats & gulls",
            position=1,
        ),
    )
    assert second.images == ()


def test_a_media_thumbnail_leads_the_article() -> None:
    [entry] = parse_feed(ATOM, SOURCE).articles
    assert [(ref.url, ref.lead) for ref in entry.images] == [
        ("https://news.example/thumb.jpg", True)
    ]


def test_pictures_are_kept_in_the_store(store: Store) -> None:
    feed = store.add_feed(Feed(SOURCE, "Harbour News"))
    assert feed.id is not None
    articles = parse_feed(RSS, SOURCE).articles
    store.save_articles(feed.id, articles)
    listed = store.article_page(feed.id, offset=0, limit=10)
    stored = [store.article(row.id) for row in listed]
    by_guid = {article.guid: article for article in stored if article is not None}
    assert by_guid["urn:1"].images == articles[0].images
    assert by_guid["urn:2"].images == ()
