"""Where an article's pictures go among its text, and what stands in for one."""

from __future__ import annotations

from rich.console import Console

from newsreader.feeds.ingest import parse_feed
from newsreader.models import Article, Block, BlockKind, ImageRef
from newsreader.text.sanitize import contains_control
from newsreader.ui.article_pictures import Picture, article_chunks, placeholder
from newsreader.ui.labels import ENGLISH, GERMAN
from newsreader.ui.render import Palette

RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>T</title><link>https://news.example/</link>
<item><guid>a</guid><title>Boats</title><description>&lt;p&gt;Before
&lt;img src="/in.png" alt="Inline"&gt; after.&lt;/p&gt;&lt;img src="/alone.png" alt="Alone"&gt;
&lt;p&gt;Last.&lt;/p&gt;</description></item></channel></rss>"""


def text_of(chunk: object) -> str:
    console = Console(width=80, color_system=None)
    with console.capture() as captured:
        console.print(chunk)
    return " ".join(captured.get().split())


def test_each_picture_takes_the_place_of_its_marker_in_the_stored_text() -> None:
    [article] = parse_feed(RSS, "https://news.example/feed.xml").articles
    assert "[image: Inline]" in article.body and "[image: Alone]" in article.body
    chunks = article_chunks(article, Palette())
    shapes = [chunk.ref.alt if isinstance(chunk, Picture) else text_of(chunk) for chunk in chunks]
    # The paragraph the first picture stood in, then both pictures, then the rest.
    assert shapes[0].endswith("Boats Before after.")
    inline, alone, rest = (shape for shape in shapes[1:] if shape)
    assert (inline, alone) == ("Inline", "Alone")
    # The text has no marker left; the links at the end still list the pictures.
    assert rest.startswith("Last. Links [1] [image: Inline] — https://news.example/in.png")
    assert "[image" not in " ".join(shapes[:-1])


def test_placeholders_name_the_words_and_the_host_and_nothing_else() -> None:
    ref = ImageRef("https://cdn.example/x.png", alt="Harbour\x1b]52;c;ZXZpbA==\x07 at dawn")
    assert placeholder(ref, ENGLISH) == "[image: Harbour]52;c;ZXZpbA== at dawn · cdn.example]"
    assert not contains_control(placeholder(ref, GERMAN))
    assert placeholder(ImageRef("https://cdn.example/y.png"), GERMAN) == "[Bild · cdn.example]"
    long = ImageRef("https://cdn.example/z.png", caption="word " * 40)
    assert placeholder(long, ENGLISH, 40).endswith("… · cdn.example]")
    assert len(placeholder(long, ENGLISH, 40)) <= 40


def test_an_article_without_pictures_is_one_run_of_text() -> None:
    article = Article(guid="g", title="T", blocks=(Block(BlockKind.PARAGRAPH, "[image: x]"),))
    [chunk] = article_chunks(article, Palette())
    assert "[image: x]" in text_of(chunk)
