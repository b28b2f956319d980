"""The fast path reads a well-formed feed exactly as the feedparser path does, or not at all.

``try_fast_parse`` may refuse any document; whatever it returns must equal what
``parse_feed`` returns for the same bytes. These stories check that on the refresh
benchmark's corpus, the peers' corpora, the project's own fixtures, hand-made documents
that exercise feedparser's quirks, and generated feeds and HTML.
"""

from __future__ import annotations

import importlib.util
import warnings
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urljoin, urlsplit, urlunsplit
from xml.sax.saxutils import escape, quoteattr

import pytest
from feedparser.datetimes import _parse_date
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shared_paths import FIXTURES, SHARED_CORPUS

from newsreader.feeds import entries
from newsreader.feeds.entries import ParsedFeed
from newsreader.feeds.fastparse.elements import COMMON_DATE
from newsreader.feeds.fastparse.parse import try_fast_parse
from newsreader.feeds.ingest import FeedError, parse_feed
from newsreader.text import fasthtml, htmltext
from newsreader.text.sanitize import clean_line, link_url, openable_url

PROJECT = Path(__file__).resolve().parents[1]
SOURCE = "https://example.org/feeds/news.xml"
RSS_OPEN = (
    '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"'
    ' xmlns:content="http://purl.org/rss/1.0/modules/content/"'
    ' xmlns:dc="http://purl.org/dc/elements/1.1/"'
    ' xmlns:atom="http://www.w3.org/2005/Atom"'
    ' xmlns:nr="tag:newsreader,2026:feed-extension"><channel><title>News</title>'
)
RSS_CLOSE = "</channel></rss>"
ATOM_OPEN = (
    '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom"'
    ' xmlns:nr="tag:newsreader,2026:feed-extension" xml:lang="en"><title>News</title>'
)


@pytest.fixture(autouse=True)
def _quiet_feedparser() -> Iterator[None]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        yield


def slow_path(data: bytes, source: str = SOURCE) -> ParsedFeed | FeedError:
    try:
        return parse_feed(data, source)
    except FeedError as error:
        return error


def read_both(data: bytes, source: str = SOURCE) -> ParsedFeed | None:
    """The fast path's result, after checking it against the feedparser path's."""
    fast = try_fast_parse(data, source)
    if fast is not None:
        slow = slow_path(data, source)
        assert not isinstance(slow, FeedError), f"the feedparser path refused it: {slow}"
        assert fast.feed == slow.feed
        assert fast.warning == slow.warning
        assert fast.articles == slow.articles
    return fast


def rss(items: str, channel: str = "") -> bytes:
    return (RSS_OPEN + channel + items + RSS_CLOSE).encode()


def atom(entries: str, head: str = "") -> bytes:
    return (ATOM_OPEN + head + entries + "</feed>").encode()


def load_bench_corpus() -> Callable[..., dict[str, bytes]]:
    spec = importlib.util.spec_from_file_location("bench_corpus", PROJECT / "bench" / "corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    generate: Callable[..., dict[str, bytes]] = module.generate_corpus
    return generate


# The corpora


def test_every_feed_of_the_refresh_benchmark_takes_the_fast_path_unchanged() -> None:
    corpus = load_bench_corpus()(48)
    for name, data in corpus.items():
        fast = read_both(data, f"http://127.0.0.1:8000/{name}")
        assert fast is not None, f"{name} fell back to feedparser"
        assert len(fast.articles) == 50


def corpus_files(folder: Path) -> list[Path]:
    return sorted(path for path in folder.rglob("*") if path.is_file())


def test_the_peers_corpora_read_the_same_wherever_the_fast_path_reads_them() -> None:
    if not SHARED_CORPUS.is_dir():
        pytest.skip("the shared corpus is not on this machine")
    taken = 0
    for path in corpus_files(SHARED_CORPUS):
        data = path.read_bytes()
        fast = read_both(data, str(path))
        if fast is None:
            continue
        taken += 1
    # Well over a thousand of its files are plain RSS 2.0 or Atom 1.0.
    assert taken >= 1_000


def test_the_projects_own_feeds_read_the_same_wherever_the_fast_path_reads_them() -> None:
    files = [*corpus_files(FIXTURES), *corpus_files(PROJECT / "feeds")]
    taken = [path.name for path in files if read_both(path.read_bytes(), str(path)) is not None]
    assert "harbour.rss" in taken


# Documents the fast path leaves to feedparser

REFUSED = {
    "a DOCTYPE": b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY e "x">]><rss version="2.0">'
    b"<channel><title>&e;</title></channel></rss>",
    "an undefined entity": rss("<item><title>caf&eacute;</title></item>"),
    "a Latin-1 declaration": b'<?xml version="1.0" encoding="iso-8859-1"?><rss version="2.0">'
    b"<channel><title>caf\xe9</title><item><title>x</title></item></channel></rss>",
    "bytes that are not UTF-8": b'<rss version="2.0"><channel><title>caf\xe9</title>'
    b"<item><title>x</title></item></channel></rss>",
    "UTF-16": '<?xml version="1.0" encoding="utf-16"?><rss version="2.0"><channel><title>x'
    "</title></channel></rss>".encode("utf-16-le"),
    "RSS 0.91": b'<rss version="0.91"><channel><title>x</title><item><title>y</title></item>'
    b"</channel></rss>",
    "RSS 1.0 (RDF)": b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
    b' xmlns="http://purl.org/rss/1.0/"><channel><title>x</title></channel>'
    b"<item><title>y</title></item></rdf:RDF>",
    "Atom 0.3": b'<feed version="0.3" xmlns="http://purl.org/atom/ns#"><title>x</title>'
    b"<entry><title>y</title></entry></feed>",
    "xml:base": atom('<entry xml:base="https://elsewhere.example/"><title>x</title></entry>'),
    "a base attribute": rss('<item base="https://elsewhere.example/"><title>x</title></item>'),
    "xhtml content": atom(
        '<entry><title>x</title><content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">'
        "<p>y</p></div></content></entry>"
    ),
    "content by reference": atom(
        '<entry><title>x</title><content src="https://example.org/x.html"/></entry>'
    ),
    "Media RSS": rss(
        '<item xmlns:media="http://search.yahoo.com/mrss/"><title>x</title>'
        "<media:title>y</media:title></item>"
    ),
    "iTunes": rss(
        '<item xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"><title>x</title>'
        "<itunes:summary>y</itunes:summary></item>"
    ),
    "markup inside a title": rss("<item><title>a <b>bold</b> move</title></item>"),
    "two titles in an entry": rss("<item><title>a</title><title>b</title></item>"),
    "a reference the guard rewrites": rss("<item><title>a&#127;b</title></item>"),
    "an element feedparser maps": rss("<item><title>x</title><source>y</source></item>"),
    "our namespace under a prefix feedparser knows": (
        b'<rss version="2.0" xmlns:dc="tag:newsreader,2026:feed-extension"><channel>'
        b"<title>x</title><item><dc:title>y</dc:title></item></channel></rss>"
    ),
    "an Atom document that declares RSS 1.0": (
        b'<feed xmlns:r="http://purl.org/rss/1.0/" xmlns="http://www.w3.org/2005/Atom">'
        b"<title>x</title><entry><title>&lt;b&gt;y&lt;/b&gt;</title></entry></feed>"
    ),
    "a control character": rss("<item><title>a\x01b</title></item>"),
    "a feed that is not well-formed": rss("<item><title>x</item>"),
    "neither a title nor an entry": b'<rss version="2.0"><channel></channel></rss>',
}


@pytest.mark.parametrize("document", REFUSED.values(), ids=list(REFUSED))
def test_a_document_the_fast_path_cannot_vouch_for_goes_to_feedparser(document: bytes) -> None:
    assert try_fast_parse(document, SOURCE) is None


def test_a_feed_too_large_for_ingest_is_refused_before_reading() -> None:
    body = "<item><title>x</title></item>" * (entries.MAX_FEED_BYTES // 28)
    assert try_fast_parse(rss(body), SOURCE) is None


# feedparser's quirks, reproduced

READ = {
    "a guid before the link": rss(
        "<item><title>a</title><guid>https://example.org/a</guid>"
        "<link>https://example.org/a.html?x=1&amp;y=2</link></item>"
    ),
    "a guid that is the only link": rss(
        "<item><title>a</title><guid>https://ex.org/a</guid></item>"
    ),
    "a guid that is no permalink": rss(
        '<item><title>a</title><guid isPermaLink="false">id-1</guid></item>'
    ),
    "a guid whose permalink flag is not exactly true": rss(
        '<item><title>a</title><guid isPermaLink="True">/relative/a</guid></item>'
    ),
    "a link written with extra slashes": rss(
        "<item><title>a</title><link>https:////example.org/a</link></item>"
    ),
    "a relative link": rss("<item><title>a</title><link>../a.html</link></item>"),
    "a script link": rss("<item><title>a</title><link>javascript:alert(1)</link></item>"),
    "an RSS title that looks like HTML": rss(
        "<item><title>Fish &amp;amp; chips &lt;em&gt;now&lt;/em&gt;</title></item>"
    ),
    "an RSS title with a bare ampersand": rss("<item><title>Fish &amp; chips</title></item>"),
    "UTF-8 read as Latin-1 by the publisher": rss(
        "<item><title>GrÃ¼ÃŸe aus MÃ¼nchen</title><description>Ã¼ber</description></item>"
    ),
    "windows-1252 characters in the C1 range": rss(
        "<item><title>\x93quoted\x94 \x85</title><description>a\x96b</description></item>"
    ),
    "an author and a creator": rss(
        "<item><title>a</title><author>jo@example.org (Jo)</author>"
        "<dc:creator>Kim</dc:creator></item>"
    ),
    "content before a description": rss(
        "<item><title>a</title><content:encoded>&lt;p&gt;body&lt;/p&gt;</content:encoded>"
        "<description>teaser</description></item>"
    ),
    "content only": rss(
        "<item><content:encoded><![CDATA[<p>only <b>body</b></p>]]></content:encoded></item>"
    ),
    "a description only": rss(
        "<item><description>&lt;h2&gt;Head&lt;/h2&gt;text</description></item>"
    ),
    "dates in several formats": rss(
        "<item><title>a</title><pubDate>Wed, 27 Mar 2019 20:43:00 +0100</pubDate>"
        "<dc:date>2019-03-27T20:43Z</dc:date></item>"
        "<item><title>b</title><pubDate>27 Mar 2019 20:43 EST</pubDate></item>"
        "<item><title>c</title><pubDate>2019-13-45</pubDate></item>"
        "<item><title>d</title><pubDate>Wed, 31 Feb 2019 20:43:00 +0100</pubDate></item>"
        "<item><title>e</title><pubDate>   </pubDate></item>"
    ),
    "enclosures, categories and comments": rss(
        '<item><title>a</title><enclosure url="https://ex.org/a.mp3" length="1" type="audio/mpeg"/>'
        '<category domain="x">Politics</category><comments>https://ex.org/c</comments></item>'
    ),
    "Atom links in RSS": rss(
        '<item><title>a</title><atom:link rel="related" href="https://ex.org/r"/>'
        '<atom:link href="https://ex.org/alt" type="text/html"/></item>',
        channel='<atom:link rel="self" href="https://example.org/feeds/news.xml"/>'
        "<link>https://example.org/</link><language>de_DE</language>",
    ),
    "a channel image": rss(
        "<item><title>a</title></item>",
        channel="<image><title>Logo</title><url>https://ex.org/l.png</url>"
        "<link>https://ex.org/</link><width>88</width></image>",
    ),
    "a repeated guid": rss(
        "<item><title>a</title><guid>https://ex.org/1</guid></item>"
        "<item><title>b</title><guid>https://ex.org/1</guid></item>"
    ),
    "an entry without a title": rss("<item><description>Only a teaser here.</description></item>"),
    "an entry with nothing": rss("<item></item>"),
    "an item in CDATA text": rss(
        "<item><description><![CDATA[<item>x</item>]]></description></item>"
    ),
    "an Atom id before its links": atom(
        '<entry><id>https://ex.org/1</id><title type="html">A &amp;lt;b&amp;gt;</title>'
        '<link rel="enclosure" href="https://ex.org/a.mp3"/>'
        '<link rel="alternate" type="application/pdf" href="https://ex.org/a.pdf"/></entry>',
        head="<id>tag:example.org,2026:feed</id>",
    ),
    "an Atom entry whose only link comes from its id": atom(
        '<entry><id>https://ex.org/2</id><title>b</title><link rel="self" href="x"/></entry>',
        head='<link rel="alternate" href="https://example.org/"/><id>https://ex.org/f</id>',
    ),
    "Atom authors": atom(
        "<entry><title>a</title><author><name>Jo</name><email>jo@ex.org</email></author></entry>"
        "<entry><title>b</title><author><email>kim@ex.org</email></author>"
        "<author><uri>https://ex.org/</uri></author></entry>"
        "<entry><title>c</title><author><name>Ann</name></author>"
        "<contributor><name>Bo</name></contributor></entry>"
    ),
    "Atom text and HTML": atom(
        '<entry><title>a</title><summary type="html">&lt;p&gt;Hi &amp;amp; bye&lt;/p&gt;</summary>'
        "<content>Plain\n\nparagraphs\n\nof text</content></entry>"
        '<entry><title>b</title><content type="html">&lt;p&gt;x&lt;/p&gt;</content>'
        '<summary type="html">&lt;p&gt;x&lt;/p&gt;</summary></entry>'
        '<entry><title>c</title><summary type="text">t</summary></entry>'
    ),
    "languages given and taken back": atom(
        '<entry xml:lang="de_AT"><title>a</title><content type="html">x</content></entry>'
        '<entry xml:lang=""><title>b</title><content type="html">x</content></entry>'
        '<entry><title>c</title><content type="html" xml:lang="fr">x</content></entry>'
        '<entry><title>d</title><summary xml:lang="fr">no content</summary></entry>'
    ),
    "published and updated": atom(
        "<entry><title>a</title><published>2019-03-27T20:43:00+01:00</published>"
        "<updated>2019-03-28T08:00:00.5+01:00</updated></entry>"
        "<entry><title>b</title><published>2019-03-27</published></entry>"
    ),
    "our own extension": atom(
        "<entry><title>In die Cloud: VW und Amazon</title><nr:kicker>In die Cloud</nr:kicker>"
        '<nr:related label="Weitere Informationen"><nr:item><nr:title>Mehr</nr:title>'
        "<nr:date>2019-03-27</nr:date><nr:link>https://ex.org/m</nr:link></nr:item>"
        "</nr:related><nr:stamp-label>Stand:</nr:stamp-label></entry>"
    ),
    "a byte order mark and no declaration": b"\xef\xbb\xbf"
    + rss("<item><title>a</title></item>").split(b"\n", 1)[1],
    "hidden and bidi characters": rss(
        "<item><title>a\u202eb\u200bc\u00add</title><description>x&#x202E;y</description></item>"
    ),
    "a feed with only a title": rss(""),
    "a link with a user name in it": rss(
        "<item><title>a</title><link>https://bank.example@evil.example/</link></item>"
    ),
    "a language element after xml:lang": (
        b'<rss version="2.0" xml:lang="en_GB" xmlns:content="http://purl.org/rss/1.0/modules/'
        b'content/"><channel><title>x</title><language>de</language><item><title>a</title>'
        b"<content:encoded>b</content:encoded></item><item><title>c</title></item>"
        b"</channel></rss>"
    ),
}


@pytest.mark.parametrize("document", READ.values(), ids=list(READ))
def test_feedparser_quirks_are_reproduced_exactly(document: bytes) -> None:
    assert read_both(document) is not None


@pytest.mark.parametrize(
    "source", ["https://reader:secret@example.org/feed.xml", "/home/me/feed.xml", "feed.xml"]
)
def test_links_resolve_against_any_source_as_on_the_feedparser_path(source: str) -> None:
    document = rss(
        "<item><title>a</title><link>../story.html</link></item>",
        channel="<link>/</link>",
    )
    assert read_both(document, source) is not None


def test_the_fast_path_keeps_control_and_bidi_characters_out() -> None:
    parsed = read_both(READ["hidden and bidi characters"])
    assert parsed is not None
    (article,) = parsed.articles
    assert article.title == "abcd"
    assert article.blocks[0].text == "xy"


# Generated feeds

TRICKY_TEXT = [
    "",
    "   ",
    "Plain words",
    "  spaced \n\t out  ",
    "Fish &amp; chips",
    "Fish &amp;amp; chips",
    "&lt;p&gt;para&lt;/p&gt;&lt;h2&gt;head&lt;/h2&gt;",
    "&lt;li&gt;one&lt;br&gt;two",
    "<![CDATA[<p>in <em>CDATA</em></p>]]>",
    "GrÃ¼ÃŸe",
    "\x93smart\x94 \x85",
    "caf&#233; &#8217; &#x1F600;",
    "bidi &#x202E;evil",
    "soft&#173;hyphen",
    "nbsp&#160;here",
    "\u2028line\u2029sep",
    "https://example.org/a?x=1&amp;y=2",
    "https:////example.org/slashes",
    "/relative/path",
    "javascript:alert(1)",
    "https://bank.example@evil.example/",
    "http://[::1/",
    "a\x01b",
    "Thu, 01 Jan 2026 06:00:00 +0000",
    "2026-01-01T06:00:00Z",
    "2026-01-01",
    "yesterday",
]
# Characters XML allows, most of them; a few documents also get one it does not.
xml_characters = st.characters(
    codec="utf-8", exclude_categories=["Cc", "Cs"], exclude_characters="\ufffe\uffff"
) | st.sampled_from("\t\n\r\x85\x93\u2028\u00a0 <>&\"'")
texts = st.one_of(
    st.sampled_from(TRICKY_TEXT),
    st.text(xml_characters, max_size=30).map(escape),
)
ATTRIBUTES = {
    "link": {
        "rel": ["alternate", "self", "related", "enclosure", "Alternate"],
        "href": ["https://ex.org/a", "/a", "", "https:///ex.org/b"],
        "type": ["text/html", "application/pdf", "html", "application/xhtml+xml"],
    },
    "guid": {"isPermaLink": ["true", "false", "True"]},
    "category": {"domain": ["x"], "term": ["t"]},
    "enclosure": {"url": ["https://ex.org/a.mp3"], "type": ["audio/mpeg"], "length": ["1"]},
    "title": {"type": ["text", "html", "HTML", "text/plain", "xhtml"]},
    "summary": {"type": ["text", "html", "text/html"]},
    "content": {"type": ["text", "html", "text/html", "image/png"]},
}
ATTRIBUTES["atom:link"] = ATTRIBUTES["link"]


@st.composite
def elements(draw: st.DrawFn, names: list[str]) -> str:
    name = draw(st.sampled_from(names))
    known = ATTRIBUTES.get(name, {})
    attributes = {
        key: draw(st.sampled_from(values))
        for key, values in known.items()
        if draw(st.integers(0, 2))  # each one present two times in three
    }
    if draw(st.integers(0, 9)) == 0:
        attributes[draw(st.sampled_from(["xml:lang", "rel", "base", "lang"]))] = "de_DE"
    attrs = "".join(f" {key}={quoteattr(value)}" for key, value in attributes.items())
    if name.endswith(("link", "enclosure")) and draw(st.booleans()):
        return f"<{name}{attrs}/>"
    return f"<{name}{attrs}>{draw(texts)}</{name}>"


RSS_ITEM_CHILDREN = [
    "title",
    "link",
    "guid",
    "description",
    "content:encoded",
    "pubDate",
    "dc:date",
    "author",
    "dc:creator",
    "category",
    "comments",
    "enclosure",
    "atom:link",
    "nr:kicker",
]
ATOM_ENTRY_CHILDREN = [
    "title",
    "link",
    "id",
    "summary",
    "content",
    "published",
    "updated",
    "category",
    "rights",
]


@st.composite
def rss_documents(draw: st.DrawFn) -> bytes:
    channel = "".join(draw(st.lists(elements(["link", "language", "description"]), max_size=2)))
    items = "".join(
        "<item>" + "".join(draw(st.lists(elements(RSS_ITEM_CHILDREN), max_size=6))) + "</item>"
        for _ in range(draw(st.integers(0, 3)))
    )
    return rss(items, channel)


@st.composite
def atom_documents(draw: st.DrawFn) -> bytes:
    head = "".join(draw(st.lists(elements(["link", "id", "subtitle"]), max_size=2)))
    entries = "".join(
        "<entry>" + "".join(draw(st.lists(elements(ATOM_ENTRY_CHILDREN), max_size=6))) + "</entry>"
        for _ in range(draw(st.integers(0, 3)))
    )
    return atom(entries, head)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(rss_documents(), atom_documents()))
def test_generated_feeds_read_the_same_on_both_paths(document: bytes) -> None:
    read_both(document)


# Generated HTML

HTML_PIECES = [
    "<p>",
    "</p>",
    "<P class=x>",
    "<h2>",
    "</h2>",
    "<h1 id='t'>",
    "</H1>",
    "<li>",
    "</li>",
    "<ul>",
    "</ul>",
    "<blockquote>",
    "</blockquote>",
    "<pre>",
    "</pre>",
    "<br>",
    "<br/>",
    "</br>",
    "<td>",
    "<th/>",
    "</td>",
    "<tr>",
    "<em>",
    "</em>",
    '<a href="x>y">',
    "</a>",
    "<a title='q'>",
    '<p class=a"b>',
    "<p a=\"x\" b= 'y'>",
    "<html:p>",
    "</html:p>",
    "<img src=x />",
    "<div/>",
    "<script>",
    "x</script>",
    "<noscript>",
    "</noscript>",
    "<!-- c -->",
    "<![CDATA[x<y]]>",
    "<body>",
    "<x:y:p>",
    "<p/>",
    "&amp;",
    "&nbsp;",
    "&#8217;",
    "&am",
    "p;",
    "&#x202e;",
    "&shy;",
    "&lt;",
    "\n",
    "  ",
    "\t",
    " ",
    "<",
    ">",
    "=",
    '"',
    "'",
    "text",
    "more words",
    "über",
    "\u2028",
    "\xa0",
    "\x85",
    "\u034f",
    "\x01",
    "\u0301\u0316\u0327",  # combining marks: three of these in a row are too many
    "\U0001d167\U0001d168",  # marks beyond the Basic Multilingual Plane
]
# Every tag name htmltext treats specially, so a new one is tried as soon as it has one.
HTML_NAMES = sorted(
    htmltext.HEADING_TAGS
    | htmltext.BREAK_TAGS
    | htmltext._CONTAINERS
    | htmltext.RAW_SKIPPED_TAGS
    | htmltext.SKIPPED_TAGS
    | {"br", "td", "th", "body", "span", "img"}
)
html_tags = st.builds(
    "<{}{}{}{}>".format,
    st.sampled_from(["", "/"]),
    st.sampled_from(HTML_NAMES),
    st.sampled_from(["", " class=x", ' title="a>b"', " x='1'", ' alt="a\u0301\u0301\u0301"']),
    st.sampled_from(["", "/"]),
)
html_documents = st.lists(
    st.one_of(st.sampled_from(HTML_PIECES), html_tags, st.text(max_size=5)), max_size=40
).map("".join)


@settings(max_examples=500, deadline=None)
@given(html_documents)
def test_generated_html_becomes_the_same_blocks_in_both_converters(source: str) -> None:
    assert fasthtml.html_to_blocks(source) == htmltext.html_to_blocks(source)
    assert fasthtml.html_to_line(source) == htmltext.html_to_line(source)


@settings(max_examples=500, deadline=None)
@given(st.text(), st.integers(1, 60))
def test_fast_line_cleaning_is_the_sanitisers_line_cleaning(text: str, limit: int) -> None:
    assert fasthtml.fast_clean_line(text) == clean_line(text)
    assert fasthtml.fast_clean_line(text, limit=limit) == clean_line(text, limit=limit)


def test_the_benchmark_bodies_become_the_same_blocks_in_both_converters() -> None:
    for data in load_bench_corpus()(8).values():
        for element in ElementTree.fromstring(data).iter():
            source = element.text or ""
            assert fasthtml.html_to_blocks(source) == htmltext.html_to_blocks(source)
            assert fasthtml.html_to_line(source) == htmltext.html_to_line(source)


# The pieces the fast path builds on


@settings(max_examples=300, deadline=None)
@given(st.from_regex(COMMON_DATE, fullmatch=True))
def test_feedparser_never_fails_on_a_date_in_the_common_formats(text: str) -> None:
    _parse_date(text)


SOURCES = [
    SOURCE,
    "http://127.0.0.1:8000/feed.xml",
    "https://reader:secret@example.org/feed.xml",
    "https://example.org:0/feed.xml",
    "/home/me/feed.xml",
    "feed.xml",
    "bundled:ndr.atom",
]
hrefs = st.one_of(st.sampled_from(TRICKY_TEXT), st.text(max_size=40), st.none(), st.integers())


def _resolved_anew(value: object, source: str) -> str | None:
    """``entries.entry_url`` as it was before the base was kept per source: worked out anew."""
    if not isinstance(value, str) or not value:
        return None
    base = openable_url(source)
    if base is not None:
        parts = urlsplit(base)
        base = urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))
        try:
            value = urljoin(base, value.strip())
        except ValueError:
            return None
    return link_url(value)


@settings(max_examples=400, deadline=None)
@given(hrefs, st.sampled_from(SOURCES))
def test_links_resolve_against_the_base_kept_for_their_source(value: object, source: str) -> None:
    assert entries.entry_url(value, source) == _resolved_anew(value, source)
    assert entries.entry_url(value, source) == _resolved_anew(value, source)  # the kept base
