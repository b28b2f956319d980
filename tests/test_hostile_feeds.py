"""A hostile feed can be read, or refused with a clear error; it can never hurt.

Every case is ingested the way a subscription is, through ``import_feed_bytes`` into a real
store, and then the SQLite file itself is searched: no text column of any table may hold a
control character (newline and tab only inside bodies), a bidi override or a zero-width
character. The fixtures are in ``tests/fixtures/hostile``; the big inputs are built here.
"""

from __future__ import annotations

import contextlib
import json
import re
import sqlite3
import subprocess
import sys
import zlib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shared_paths import FIXTURES

from newsreader.feeds import entries, ingest
from newsreader.feeds.entries import MAX_ENTRIES
from newsreader.feeds.extension import NAMESPACE
from newsreader.feeds.ingest import FeedError, parse_feed
from newsreader.feeds.subscriptions import ImportResult, import_feed_bytes
from newsreader.feeds.xmlguard import MAX_MARKUP
from newsreader.store.database import Store
from newsreader.text.sanitize import MAX_LINE_LENGTH, clean_datetime

HOSTILE = FIXTURES / "hostile"
SOURCE = "https://feeds.example/hostile.xml"
TABLES = ("feeds", "articles", "related_items", "programme_slots", "media_items")
MULTI_LINE_COLUMNS = {"body", "body_z", "blocks", "blocks[]"}  # the body, however stored

FORBIDDEN = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff"
    "\ud800-\udfff\U000e0000-\U000e007f]"
)
LINE_BREAKS = re.compile("[\n\t\u2028\u2029]")


# What the store holds


def stored_strings(store: Store) -> Iterator[tuple[str, str, str]]:
    """(table, column, text) for every string in every table of the store.

    Compressed columns are inflated and JSON values opened up, so nothing hides.
    """
    db = sqlite3.connect(store.path)
    try:
        tables = [
            name
            for (name,) in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '%_fts%'"
            )
        ]
        assert set(TABLES) <= set(tables)
        for table in tables:
            cursor = db.execute(f"SELECT * FROM {table}")
            columns = [description[0] for description in cursor.description]
            for row in cursor:
                for column, value in zip(columns, row, strict=True):
                    yield from _strings_in(table, column, value)
    finally:
        db.close()


def _strings_in(table: str, column: str, value: object) -> Iterator[tuple[str, str, str]]:
    if isinstance(value, bytes):
        with contextlib.suppress(zlib.error, UnicodeDecodeError):
            yield table, column, zlib.decompress(value).decode("utf-8")
    elif isinstance(value, str):
        yield table, column, value
        if value[:1] in ("[", "{"):
            with contextlib.suppress(ValueError):
                for text in _json_strings(json.loads(value)):
                    yield table, f"{column}[]", text


def _json_strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _json_strings(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _json_strings(item)


def assert_store_is_clean(store: Store) -> None:
    """No forbidden character anywhere; line breaks only in article bodies."""
    problems = []
    for table, column, text in stored_strings(store):
        multi_line = table == "articles" and column in MULTI_LINE_COLUMNS
        if FORBIDDEN.search(text) or (not multi_line and LINE_BREAKS.search(text)):
            problems.append((table, column, text[:120]))
    assert problems == []
    assert store.integrity_ok()


def everything_stored(store: Store) -> str:
    return "\n".join(text for _, _, text in stored_strings(store))


def ingest_file(store: Store, name: str) -> ImportResult:
    result = import_feed_bytes(store, (HOSTILE / name).read_bytes(), SOURCE)
    assert_store_is_clean(store)
    return result


def titles(store: Store) -> list[str]:
    return sorted(summary.title for summary in store.articles())


def rows(store: Store, sql: str) -> list[tuple[object, ...]]:
    return [tuple(row) for row in store.connection().execute(sql)]


@pytest.mark.parametrize(
    ("table", "column", "planted"),
    [
        ("feeds", "title", "Feed \x1b[31m"),
        ("articles", "title", "one\nline"),
        ("articles", "body_z", zlib.compress(b"compressed \x1b[2J")),
        ("articles", "labels", '{"related": "json \\u001b[2J"}'),
        ("related_items", "teaser", "teaser \x9b1m"),
        ("programme_slots", "station", "station \x7f"),
        ("media_items", "url", "https://pay\u200bpal.example/"),
    ],
)
def test_the_store_check_finds_what_is_planted(
    store: Store, table: str, column: str, planted: str | bytes
) -> None:
    """The checker every other test relies on does see a bad character in each place."""
    import_feed_bytes(store, (HOSTILE / "escapes.rss").read_bytes(), SOURCE)
    assert_store_is_clean(store)
    with store.transaction() as db:
        db.execute(f"UPDATE {table} SET {column} = ?", (planted,))
    with pytest.raises(AssertionError):
        assert_store_is_clean(store)


# Every fixture


REFUSED = {"billion_laughs.rss"}
FIXTURE_FILES = sorted(path.name for path in HOSTILE.iterdir() if path.name != "README.md")


@pytest.mark.parametrize("name", FIXTURE_FILES)
def test_every_hostile_fixture_is_read_or_refused_and_leaves_a_clean_store(
    store: Store, name: str
) -> None:
    if name in REFUSED:
        with pytest.raises(FeedError):
            import_feed_bytes(store, (HOSTILE / name).read_bytes(), SOURCE)
        assert_store_is_clean(store)
    else:
        result = ingest_file(store, name)
        assert result.saved.new >= 1


# 1. Control characters


def test_escape_sequences_are_removed_from_every_field_of_an_rss_item(store: Store) -> None:
    ingest_file(store, "escapes.rss")
    feed = store.feeds()[0].feed
    assert feed.title.startswith("Channel [31m")
    assert "pwned" in feed.title, "the text around the escapes is kept"
    article = store.article(store.articles()[0].id)
    assert article is not None
    assert "Item title" in article.title and "[31m" in article.title
    assert article.url is not None and article.url.startswith("https://example.com/item")
    assert article.author is not None and article.author.startswith("Creator [31m")
    assert "OSC 8 link ]8;;file:///etc/passwd" in article.body
    # The sidebar parts went through the same path (and exist, so they were checked).
    assert article.related[0].title.startswith("Related title [31m")
    assert article.related[0].url == "https://example.com/related[31m]0;pwned2J1m8;;x"
    assert article.programme[0].station.startswith("Station [31m")
    assert article.media[0].title.startswith("Media title [31m")
    assert article.media[0].kind.startswith("video[31m")
    assert article.labels.related is not None and article.labels.related.startswith("Related")


def test_escapes_hidden_in_html_are_removed_after_it_becomes_text(store: Store) -> None:
    ingest_file(store, "escapes.atom")
    by_title = {summary.title.split()[0]: summary.id for summary in store.articles()}
    html_article = store.article(by_title["HTML"])
    assert html_article is not None
    assert html_article.title.startswith("HTML title [5m›2J0;x")
    assert [(block.kind.value, block.text) for block in html_article.blocks] == [
        ("heading", "Heading [1m"),
        ("paragraph", "Para ]8;;file:///etc/passwd\\\nnext"),
        ("preformatted", "pre [31m›2J0;t [0m\ttab"),
        ("list_item", "item ›"),
    ]
    assert "alert" not in html_article.body, "scripts are dropped"
    assert store.feeds()[0].feed.title.startswith("Feed title [31m")


def test_references_escaped_twice_stay_literal_text(store: Store) -> None:
    ingest_file(store, "escapes.atom")
    text_article = store.article(
        next(s.id for s in store.articles() if s.title.startswith("Text title"))
    )
    assert text_article is not None
    assert text_article.body.endswith("second line &#27;[31m stays literal")


def test_escapes_inside_cdata_are_removed(store: Store) -> None:
    ingest_file(store, "cdata.rss")
    article = store.article(store.articles()[0].id)
    assert article is not None
    assert article.title.startswith("CDATA title [31m")
    assert [block.text for block in article.blocks] == [
        "CDATA body [31m›2J0;t [31m ]0;t ›2J",
        "[0m pre",
        "&#27; stays literal",
    ]


# 2. Spoofing


def test_bidi_overrides_and_zero_width_characters_are_removed_from_titles_and_links(
    store: Store,
) -> None:
    ingest_file(store, "bidi.atom")
    feed = store.feeds()[0].feed
    assert feed.title == "PayPal Security Team"
    assert feed.link == "https://paypal.example/moc.evil"
    article = store.article(store.articles()[0].id)
    assert article is not None
    assert article.title == "invoicefdp.exe gnp.js hidden"
    assert article.url == "https://example.com/login"
    assert article.author == "Admin"


# 3. Markup


def test_text_that_looks_like_markup_is_stored_literally(store: Store) -> None:
    ingest_file(store, "markup.rss")
    assert store.feeds()[0].feed.title == "[bold red]Feed[/] [link=file:///etc/passwd]x[/link]"
    article = store.article(store.articles()[0].id)
    assert article is not None
    assert article.title == (
        "[bold red]Alarm[/] [link=file:///etc/passwd]x[/link] [@click=app.quit]Quit[/] :skull:"
    )
    assert article.author == "x@example.com ([blink]Mallory[/blink])"
    assert article.body == "[reverse]Body[/reverse] [@click=app.bell]ring[/] :skull: $accent"


# 4. Links


def test_only_http_and_https_links_are_stored(store: Store) -> None:
    ingest_file(store, "links.rss")
    assert store.feeds()[0].feed.link is None
    urls = {row[0]: row[1] for row in rows(store, "SELECT title, url FROM articles")}
    assert urls.pop("fine") == "https://example.com/fine"
    # "&#106;avascript:..." after one decoding is a relative path, resolved to the feed.
    assert urls.pop("double encoded") == "https://feeds.example/&#106;avascript:alert(1)"
    assert urls == {title: None for title in urls}
    assert len(urls) == 12
    assert rows(store, "SELECT url FROM related_items") == [(None,)] * 3
    assert rows(store, "SELECT url FROM media_items") == [(None,)] * 2


def test_credentials_in_the_feed_address_do_not_spread_to_story_links(store: Store) -> None:
    feed = b"""<rss version="2.0"><channel><title>Private</title>
    <item><title>one</title><link>/stories/1</link></item></channel></rss>"""
    import_feed_bytes(store, feed, "https://me:token@news.example/feeds/private.rss")
    assert rows(store, "SELECT url FROM articles") == [("https://news.example/stories/1",)]


def test_relative_links_are_resolved_against_the_feed_address(store: Store) -> None:
    feed = b"""<rss version="2.0"><channel><title>Relative</title>
    <item><title>one</title><link>/stories/1</link></item>
    <item><title>two</title><link>story-2.html</link></item></channel></rss>"""
    import_feed_bytes(store, feed, "https://news.example/feeds/all.rss")
    assert sorted(rows(store, "SELECT url FROM articles")) == [
        ("https://news.example/feeds/story-2.html",),
        ("https://news.example/stories/1",),
    ]


# 5. XML entities and DTDs


def external_entity_feeds(secret: Path) -> dict[str, bytes]:
    """Every way XML offers to read a local file, pointed at ``secret``."""
    uri = secret.as_uri()
    rss_body = (
        '<rss version="2.0"><channel><title>t &xxe;</title><item><title>&xxe;</title>'
        "<description>&xxe;</description><author>&xxe;</author></item></channel></rss>"
    )
    atom_body = (
        '<feed xmlns="http://www.w3.org/2005/Atom"><title>&xxe;</title><entry><title>&xxe;'
        '</title><link href="https://example.com/&xxe;"/><content type="html">&xxe;</content>'
        "</entry></feed>"
    )
    shapes = {
        "general entity": f'<!DOCTYPE rss [\n<!ENTITY xxe SYSTEM "{uri}">\n]>\n{rss_body}',
        "one line": f'<!DOCTYPE rss [<!ENTITY xxe SYSTEM "{uri}"><!ENTITY ok "ok">]>{rss_body}',
        "parameter entity": (
            f'<!DOCTYPE rss [\n<!ENTITY % file SYSTEM "{uri}">\n'
            "<!ENTITY % eval \"<!ENTITY xxe '%file;'>\">\n%eval;\n]>\n" + rss_body
        ),
        "external subset": f'<!DOCTYPE rss SYSTEM "{uri}">\n{rss_body}',
        "public identifier": f'<!DOCTYPE rss PUBLIC "-//X//DTD X//EN" "{uri}">\n{rss_body}',
        "atom with attribute": f'<!DOCTYPE feed [<!ENTITY xxe SYSTEM "{uri}">]>\n{atom_body}',
        "unparsed entity": (
            f'<!DOCTYPE rss [<!NOTATION n SYSTEM "x"><!ENTITY xxe SYSTEM "{uri}" NDATA n>]>'
            + rss_body
        ),
    }
    return {name: f'<?xml version="1.0"?>\n{doc}'.encode() for name, doc in shapes.items()}


@pytest.mark.parametrize("shape", list(external_entity_feeds(Path("/placeholder")).keys()))
def test_external_entities_never_read_a_local_file(
    store: Store, tmp_path: Path, shape: str
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-42 the password is hunter2\n")
    data = external_entity_feeds(secret)[shape]
    with contextlib.suppress(FeedError):  # refusing is as good as reading safely
        import_feed_bytes(store, data, SOURCE)
    assert_store_is_clean(store)
    stored = everything_stored(store)
    assert "TOP-SECRET" not in stored
    assert "hunter2" not in stored


@pytest.mark.parametrize(
    "name", ["xxe_general.rss", "xxe_parameter.rss", "xxe_external_subset.rss"]
)
def test_the_password_file_never_leaks_into_the_store(store: Store, name: str) -> None:
    ingest_file(store, name)
    stored = everything_stored(store)
    assert "root:" not in stored
    assert "/bin/" not in stored


def test_plain_internal_entities_still_work(store: Store) -> None:
    feed = b"""<?xml version="1.0"?>
<!DOCTYPE rss [
<!ENTITY copy "&#169;">
<!ENTITY brand "Harbour Gazette">
]>
<rss version="2.0"><channel><title>&brand;</title>
<item><title>&copy; &brand; 2026</title><description>&brand; reports.</description></item>
</channel></rss>"""
    import_feed_bytes(store, feed, SOURCE)
    assert store.feeds()[0].feed.title == "Harbour Gazette"
    assert titles(store) == ["© Harbour Gazette 2026"]


def test_billion_laughs_is_refused_with_a_clear_error(store: Store) -> None:
    with pytest.raises(FeedError, match="entities that would expand"):
        import_feed_bytes(store, (HOSTILE / "billion_laughs.rss").read_bytes(), SOURCE)
    assert not store.has_feeds()


def quadratic_blowup() -> bytes:
    """160 KB that feedparser alone expands into about 2 GB of text."""
    value = "A" * 80_000
    references = "&a;" * 26_000
    return f"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY a "{value}">]>
<rss version="2.0"><channel><title>q</title>
<item><title>q</title><description>{references}</description></item>
</channel></rss>""".encode()


def test_the_quadratic_blowup_is_refused_with_a_clear_error(store: Store) -> None:
    assert len(quadratic_blowup()) < 170_000
    with pytest.raises(FeedError, match="entities that would expand"):
        import_feed_bytes(store, quadratic_blowup(), SOURCE)


def test_entities_hidden_from_the_doctype_are_refused(store: Store) -> None:
    # feedparser's own prolog scan reads entity lines even inside a comment.
    hidden = b"""<?xml version="1.0"?>
<!--
<!ENTITY a "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA">
-->
<!DOCTYPE rss [<!ENTITY b "x">]>
<rss version="2.0"><channel><title>&a;</title><item><title>&a;&a;</title></item></channel></rss>"""
    with pytest.raises(FeedError, match="entities"):
        import_feed_bytes(store, hidden, SOURCE)


def test_the_first_declaration_of_an_entity_is_the_one_measured(store: Store) -> None:
    # Expat binds the first declaration; counting the harmless second would let the
    # quadratic blow-up through.
    feed = (
        f'<!DOCTYPE rss [<!ENTITY a "{"A" * 5_000}"><!ENTITY a "x">]><rss version="2.0">'
        f"<channel><title>t</title><item><title>{'&a;' * 1_000}</title></item></channel></rss>"
    ).encode()
    with pytest.raises(FeedError, match="entities that would expand"):
        import_feed_bytes(store, feed, SOURCE)


def test_a_doctype_that_never_ends_is_refused(store: Store) -> None:
    with pytest.raises(FeedError, match="never ends"):
        import_feed_bytes(store, b'<!DOCTYPE rss [<!ENTITY a "x">\n<rss>', SOURCE)


def test_entities_built_from_entities_are_not_expanded(store: Store) -> None:
    feed = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY a "ha"><!ENTITY b "&a;&a;">]>
<rss version="2.0"><channel><title>Nested</title>
<item><title>&a; &b;</title></item></channel></rss>"""
    import_feed_bytes(store, feed, SOURCE)
    assert_store_is_clean(store)
    assert titles(store) == ["ha &b;"]


# Blow-ups, measured in a fresh process: peak memory is asserted, time is not (the
# timeout only guards against a hang).


def measure_in_child(builder: str) -> dict[str, object]:
    code = f"""
import json, sys
sys.path.insert(0, {str(Path(__file__).parent)!r})
import test_hostile_feeds as cases
from newsreader.feeds.ingest import FeedError, parse_feed
data = cases.{builder}()
try:
    parsed = parse_feed(data, "https://feeds.example/big.xml")
    outcome = {{
        "articles": len(parsed.articles),
        "longest_text": max(
            [len(a.title) for a in parsed.articles]
            + [len(b.text) for a in parsed.articles for b in a.blocks]
        ),
    }}
except FeedError as error:
    outcome = {{"error": str(error)}}
# VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the parent across fork and exec,
# so it would report the test runner's own peak.
with open("/proc/self/status") as status:
    peak_kib = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
outcome["peak_mib"] = peak_kib / 1024
print(json.dumps(outcome))
"""
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    result: dict[str, object] = json.loads(done.stdout)
    return result


@pytest.mark.parametrize("builder", ["quadratic_blowup", "billion_laughs"])
def test_entity_blowups_stay_small(builder: str) -> None:
    outcome = measure_in_child(builder)
    assert "entities that would expand" in str(outcome["error"])
    assert float(str(outcome["peak_mib"])) < 200


def billion_laughs() -> bytes:
    return (HOSTILE / "billion_laughs.rss").read_bytes()


# Character references feedparser cannot handle


def test_references_that_crash_feedparser_become_replacement_characters(store: Store) -> None:
    ingest_file(store, "crashing_charrefs.rss")
    assert store.feeds()[0].feed.title == "Refs \ufffd \ufffd \ufffd"
    assert titles(store) == [
        "beyond unicode \ufffd end",
        "many digits A end",
        "overflow \ufffd end",
        "surrogate \ufffd end",
    ]


def test_a_parser_crash_is_a_feed_error_not_a_crash(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(*args: object, **kwargs: object) -> None:
        raise OverflowError("Python int too large to convert to C int")

    monkeypatch.setattr(ingest.feedparser, "parse", explode)
    monkeypatch.setattr(ingest, "try_fast_parse", lambda data, source: None)
    with pytest.raises(FeedError, match="could not be parsed"):
        import_feed_bytes(store, (HOSTILE / "markup.rss").read_bytes(), SOURCE)


# 6. Size


def rss(items: str, title: str = "Big") -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{title}</title>{items}</channel></rss>"
    ).encode()


def megabyte_title() -> bytes:
    return rss(f"<item><title>{'Headline ' * 120_000}</title><guid>t</guid></item>")


def megabyte_word() -> bytes:
    word = "x" * 1_000_000
    return rss(f"<item><title>{word}</title><guid>w</guid><description>{word}</description></item>")


def many_entries() -> bytes:
    return rss(
        "".join(
            f"<item><title>Entry {n}</title><guid>g{n}</guid><description>d{n}</description></item>"
            for n in range(100_000)
        )
    )


DEPTH = 100_000


def deep_escaped_html() -> bytes:
    nested = "&lt;div&gt;" * DEPTH + "deep text" + "&lt;/div&gt;" * DEPTH
    return rss(f"<item><title>Deep</title><guid>d</guid><description>{nested}</description></item>")


def deep_unclosed_html() -> bytes:
    nested = "<blockquote><li><b>" * (DEPTH // 3) + "deep text"
    return rss(
        f"<item><title>Deep</title><guid>d</guid><description><![CDATA[{nested}]]></description></item>"
    )


def deep_xhtml() -> bytes:
    nested = "<div>" * DEPTH + "deep text" + "</div>" * DEPTH
    return (
        '<feed xmlns="http://www.w3.org/2005/Atom"><title>Big</title><entry><id>d</id>'
        '<title>Deep</title><content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">'
        f"{nested}</div></content></entry></feed>"
    ).encode()


def deep_xml() -> bytes:
    nested = "<x:a>" * DEPTH + "deep text" + "</x:a>" * DEPTH
    return rss(
        f'<item xmlns:x="urn:x"><title>Deep</title><guid>d</guid>{nested}'
        "<description>shallow</description></item>"
    )


def deep_extension() -> bytes:
    nested = "<nr:x>" * DEPTH + "</nr:x>" * DEPTH
    return (
        f'<rss version="2.0" xmlns:nr="{NAMESPACE}"><channel><title>Big</title>'
        f'<item><title>Deep</title><guid>d</guid>{nested}<nr:media label="Clips">'
        "<nr:item><nr:title>Clip</nr:title><nr:duration>01:05</nr:duration></nr:item>"
        "</nr:media></item></channel></rss>"
    ).encode()


SIZE_CASES = [
    "megabyte_title",
    "megabyte_word",
    "many_entries",
    "deep_escaped_html",
    "deep_unclosed_html",
    "deep_xhtml",
    "deep_xml",
    "deep_extension",
]


@pytest.mark.parametrize("builder", SIZE_CASES)
def test_huge_and_deep_feeds_are_ingested_with_bounded_memory(builder: str) -> None:
    outcome = measure_in_child(builder)
    assert "error" not in outcome
    assert 1 <= int(str(outcome["articles"])) <= MAX_ENTRIES
    assert int(str(outcome["longest_text"])) <= 2_000_000
    assert float(str(outcome["peak_mib"])) < 200


def test_a_megabyte_title_is_cut_to_one_line(store: Store) -> None:
    import_feed_bytes(store, megabyte_title(), SOURCE)
    assert_store_is_clean(store)
    (title,) = titles(store)
    assert len(title) == MAX_LINE_LENGTH
    assert title.startswith("Headline Headline") and title.endswith("…")


def test_a_megabyte_word_is_stored_within_limits(store: Store) -> None:
    import_feed_bytes(store, megabyte_word(), SOURCE)
    assert_store_is_clean(store)
    article = store.article(store.articles()[0].id)
    assert article is not None
    assert len(article.title) == MAX_LINE_LENGTH
    assert article.body == "x" * 1_000_000


def test_a_hundred_thousand_entries_keep_the_first_ten_thousand(store: Store) -> None:
    result = import_feed_bytes(store, many_entries(), SOURCE)
    assert_store_is_clean(store)
    assert result.saved.new == MAX_ENTRIES
    assert result.warning == f"only the first {MAX_ENTRIES} of 100000 entries were kept"
    stored = {row[0] for row in rows(store, "SELECT title FROM articles")}
    assert "Entry 0" in stored and f"Entry {MAX_ENTRIES - 1}" in stored
    assert f"Entry {MAX_ENTRIES}" not in stored


@pytest.mark.parametrize(
    "builder", ["deep_escaped_html", "deep_unclosed_html", "deep_xhtml", "deep_xml"]
)
def test_html_nested_a_hundred_thousand_deep_keeps_its_text(store: Store, builder: str) -> None:
    import_feed_bytes(store, globals()[builder](), SOURCE)
    assert_store_is_clean(store)
    article = store.article(store.articles()[0].id)
    assert article is not None
    assert ("deep text" in article.body) or builder == "deep_xml"
    if builder == "deep_xml":
        assert article.body == "shallow"


def test_extension_data_survives_deep_nesting(store: Store) -> None:
    import_feed_bytes(store, deep_extension(), SOURCE)
    assert rows(store, "SELECT title, duration_seconds FROM media_items") == [("Clip", 65)]


def test_too_much_markup_is_refused(store: Store) -> None:
    data = rss("<item><title>t</title>" + "<b/>" * (MAX_MARKUP + 1) + "</item>")
    with pytest.raises(FeedError, match="too much markup"):
        import_feed_bytes(store, data, SOURCE)


def test_a_feed_over_the_size_limit_is_refused(store: Store) -> None:
    data = rss(
        "<item><title>t</title><description>"
        + "x" * entries.MAX_FEED_BYTES
        + "</description></item>"
    )
    with pytest.raises(FeedError, match="larger than"):
        import_feed_bytes(store, data, SOURCE)


def test_entries_that_repeat_a_guid_are_stored_once(store: Store) -> None:
    repeated = "".join(f"<item><guid>same</guid><title>copy {n}</title></item>" for n in range(3))
    result = import_feed_bytes(store, rss(repeated), SOURCE)
    assert result.saved.new == 1
    assert result.warning is None
    assert titles(store) == ["copy 0"]


# 7. Dates


BERLIN = timezone(timedelta(hours=1))
EXPECTED_TIMES = {
    "year-1": datetime(1, 1, 1, tzinfo=UTC),
    "year-1-iso-east": None,  # 0001-01-01 05:00 east of UTC is before year 1 in UTC
    "year-1-iso-west": datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=-5))),
    "year-9999": datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC),
    "year-9999-west": None,  # after year 9999 in UTC
    "year-9999-east": datetime(9999, 12, 31, 23, 59, 59, tzinfo=timezone(timedelta(hours=14))),
    "year-10000": None,
    "year-0": None,
    "negative": None,
    "garbage": None,
    "february-30": None,
    "digits": None,
    "empty": None,
}


def test_dates_are_kept_as_given_or_unknown_and_always_sort(store: Store) -> None:
    ingest_file(store, "dates.rss")
    summaries = store.articles()  # sorting must not raise
    assert len(summaries) == 15
    stamps = {
        summary.title: None if summary.first_seen else summary.published for summary in summaries
    }
    for title, expected in EXPECTED_TIMES.items():
        assert stamps[title] == expected, title
    for stamp in stamps.values():
        assert stamp is None or clean_datetime(stamp) == stamp
    assert [s.title for s in summaries][:2] == ["year-9999", "year-9999-east"]


def test_an_ordinary_rfc822_date_keeps_its_offset(store: Store) -> None:
    ingest_file(store, "escapes.rss")
    article = store.article(store.articles()[0].id)
    assert article is not None
    assert article.published == datetime(2019, 3, 27, 20, 43, tzinfo=BERLIN)


# 9. Encodings


def test_invalid_utf8_becomes_replacement_characters_and_keeps_the_valid_text(
    store: Store,
) -> None:
    ingest_file(store, "invalid_utf8.rss")
    assert store.feeds()[0].feed.title == "Ungültig \ufffd\ufffd kaputt"
    article = store.article(store.articles()[0].id)
    assert article is not None
    assert article.title.startswith("Straße \ufffd truncated")
    assert article.body.startswith("München \ufffd\ufffd")


def test_a_lone_surrogate_in_utf16_becomes_a_replacement_character(store: Store) -> None:
    ingest_file(store, "lone_surrogate_utf16.xml")
    assert titles(store) == ["lone \ufffd surrogate"]


def test_a_legacy_feed_without_a_declaration_is_read_as_windows_1252(store: Store) -> None:
    feed = "<rss version='2.0'><channel><title>Café “Zürich”</title></channel></rss>"
    import_feed_bytes(store, feed.encode("windows-1252"), SOURCE)
    assert store.feeds()[0].feed.title == "Café “Zürich”"


# Mutated feeds: whatever the damage, the result is a clean feed or a FeedError.

SNIPPETS = [
    b"<!DOCTYPE rss [",
    b"]>",
    b'<!ENTITY a "aaaa">',
    b"&a;",
    b"&#xD800;",
    b"&#27;",
    b"<![CDATA[",
    b"]]>",
    b"<!--",
    b"<",
    b"&",
    b"\x00",
    b"\xff",
    b"\x1b[31m",
    b"\xc2\x9b",
    b"<item>",
    b"</item>",
    b"<entry>",
    b"&#99999999999;",
    b"<pre>",
    b"<script>",
    b"%a;",
    b"'",
    b"<a href='",
    b"\xe2\x80\xae",
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(FIXTURE_FILES),
    st.lists(
        st.tuples(st.floats(0, 1), st.one_of(st.sampled_from(SNIPPETS), st.binary(max_size=8))),
        min_size=1,
        max_size=8,
    ),
)
def test_damaged_feeds_are_read_cleanly_or_refused(
    name: str, edits: list[tuple[float, bytes]]
) -> None:
    data = (HOSTILE / name).read_bytes()
    for where, insert in edits:
        at = int(where * len(data))
        data = data[:at] + insert + data[at + len(insert) // 2 :]
    try:
        parsed = parse_feed(data, SOURCE)
    except FeedError as error:
        assert not FORBIDDEN.search(str(error))
        return
    one_line = [parsed.feed.title, parsed.feed.link or "", parsed.warning or ""]
    for article in parsed.articles:
        one_line += [article.title, article.teaser, article.url or "", article.author or ""]
        one_line += [article.guid, *(item.title for item in article.related)]
        assert not FORBIDDEN.search(article.body)
    for text in one_line:
        assert not FORBIDDEN.search(text) and not LINE_BREAKS.search(text)


# Not a feed at all


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\x00\x01\x02\x1b[31m\xff\xfe",
        b"<!doctype html><html><body><h1>Not a feed</h1></body></html>",
        b'{"title": "json"}',
        b"<rss",
    ],
)
def test_things_that_are_not_feeds_are_refused(store: Store, data: bytes) -> None:
    with pytest.raises(FeedError) as refusal:
        import_feed_bytes(store, data, SOURCE)
    assert not FORBIDDEN.search(str(refusal.value))
    assert not store.has_feeds()


def test_feed_bytes_that_name_a_file_are_not_opened(store: Store, tmp_path: Path) -> None:
    # feedparser opens any string that names a file; the bytes must stay bytes.
    elsewhere = tmp_path / "elsewhere.rss"
    elsewhere.write_bytes(rss("<item><title>SECRET FROM DISK</title></item>", title="DISK"))
    with pytest.raises(FeedError):
        import_feed_bytes(store, str(elsewhere).encode(), SOURCE)
    assert "SECRET" not in everything_stored(store)


def test_reading_a_device_stops_at_the_size_limit() -> None:
    with pytest.raises(FeedError, match="larger than"):
        ingest.read_feed_file(Path("/dev/zero"))
