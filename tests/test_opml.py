"""Bringing subscriptions in from another reader and taking them out again, folders and all."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest
from shared_paths import FIXTURES, SHARED_CORPUS

from newsreader.feeds.fetchstate import Folder, folders, set_folder
from newsreader.feeds.opml import (
    MAX_OPML_BYTES,
    IgnoredOutline,
    OpmlError,
    export_opml,
    import_opml,
    parse_opml,
)
from newsreader.models import Feed
from newsreader.store.database import Store

OPML = FIXTURES / "opml"
NEWSBOAT = SHARED_CORPUS / "newsboat" / "test" / "data"
needs_newsboat = pytest.mark.skipif(
    not NEWSBOAT.is_dir(), reason="the shared newsboat corpus is not on this machine"
)


def subscriptions(store: Store) -> set[tuple[str, str, Folder]]:
    """Every subscription as (URL, title, folder)."""
    folder_of = folders(store)
    return {
        (summary.feed.source, summary.feed.title, folder_of.get(summary.feed.id or 0, ()))
        for summary in store.feeds()
    }


def test_a_flat_file_subscribes_to_each_feed_without_fetching(store: Store) -> None:
    result = import_opml(store, (OPML / "flat.opml").read_bytes())
    assert result.added == 3
    assert result.ignored == ()
    assert subscriptions(store) == {
        ("https://www.tagesschau.de/xml/rss2/", "Tagesschau", ()),
        ("https://www.ndr.de/nachrichten/niedersachsen/index-rss.xml", "NDR Niedersachsen", ()),
        ("https://lwn.net/headlines/rss", "LWN.net", ()),
    }
    assert [feed.title for feed in result.feeds] == ["Tagesschau", "NDR Niedersachsen", "LWN.net"]
    assert store.articles() == [], "importing subscribes only; nothing is fetched"


def test_nested_folders_become_groups(store: Store) -> None:
    import_opml(store, (OPML / "nested.opml").read_bytes())
    assert subscriptions(store) == {
        ("https://example.org/top.xml", "Top level feed", ()),
        ("https://www.tagesschau.de/xml/rss2/", "Tagesschau", ("News",)),
        (
            "https://www.ndr.de/nachrichten/niedersachsen/index-rss.xml",
            "NDR Niedersachsen",
            ("News", "Regional"),
        ),
        ("https://lwn.net/headlines/rss", "LWN.net", ("Tech",)),
    }


def test_only_http_feeds_are_imported_and_the_rest_is_reported(store: Store) -> None:
    result = import_opml(store, (OPML / "hostile-urls.opml").read_bytes())
    assert subscriptions(store) == {
        ("https://example.org/feed.xml", "Real feed", ()),
        ("https://example.org/sneaky.xml", "2JSneaky title", ()),
    }
    reason = "only http and https feeds can be imported"
    assert result.ignored == (
        IgnoredOutline("Click me", "javascript:alert(document.cookie)", reason),
        IgnoredOutline("Passwords", "file:///etc/passwd", reason),
        IgnoredOutline("Run a command", "|rm -rf ~", reason),
    )


def test_a_doctype_with_entities_is_refused(store: Store) -> None:
    with pytest.raises(OpmlError, match="DOCTYPE and entity declarations are not allowed"):
        import_opml(store, (OPML / "entities.opml").read_bytes())
    assert not store.has_feeds()


def test_an_entity_bomb_is_refused_before_it_expands() -> None:
    laughs = "".join(f'<!ENTITY l{n} "{f"&l{n - 1};" * 10 if n else "lol"}">' for n in range(10))
    bomb = f'<?xml version="1.0"?><!DOCTYPE opml [{laughs}]><opml><body/><head>&l9;</head></opml>'
    with pytest.raises(OpmlError, match="DOCTYPE"):
        parse_opml(bomb.encode())


def test_an_oversized_file_is_refused_unread() -> None:
    padding = b" " * MAX_OPML_BYTES
    with pytest.raises(OpmlError, match="larger than 8 MiB"):
        parse_opml(b'<?xml version="1.0"?><opml><body>' + padding + b"</body></opml>")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<opml><body><outline></body></opml>", "not well-formed XML: mismatched tag (line 1)"),
        (b"<rss><channel/></rss>", "not an OPML file (the root element is not <opml>)"),
        (b"<opml><head/></opml>", "the OPML file has no <body>"),
        (b"", "not well-formed XML: no element found (line 1)"),
    ],
)
def test_a_broken_file_is_refused_with_a_reason(data: bytes, message: str) -> None:
    with pytest.raises(OpmlError) as caught:
        parse_opml(data)
    assert str(caught.value) == message


def test_an_existing_subscription_keeps_its_title(store: Store) -> None:
    store.add_feed(Feed(source="https://lwn.net/headlines/rss", title="LWN.net headlines"))
    result = import_opml(store, (OPML / "nested.opml").read_bytes())
    assert result.added == 3
    assert len(result.feeds) == 4
    assert ("https://lwn.net/headlines/rss", "LWN.net headlines", ("Tech",)) in subscriptions(store)


def test_export_then_import_gives_the_same_subscriptions(store: Store, tmp_path: Path) -> None:
    import_opml(store, (OPML / "nested.opml").read_bytes())
    tricky = store.add_feed(
        Feed(source="https://example.org/a?x=1&y=2", title='Bits & <Bytes> "quoted"')
    )
    assert tricky.id is not None
    set_folder(store, tricky.id, ("News", "Späť & weiter"))
    store.add_feed(Feed(source=str(tmp_path / "local.rss"), title="A local file"))

    exported = export_opml(store)
    fresh = Store(tmp_path / "fresh.sqlite3")
    try:
        result = import_opml(fresh, exported)
        assert result.ignored == ()
        expected = {row for row in subscriptions(store) if row[0].startswith("https://")}
        assert subscriptions(fresh) == expected
        assert len(expected) == 5, "local files are not exported: another reader cannot open them"
    finally:
        fresh.close()


def test_export_writes_folders_as_nested_outlines(store: Store) -> None:
    import_opml(store, (OPML / "nested.opml").read_bytes())
    root = ElementTree.fromstring(export_opml(store))
    assert root.tag == "opml" and root.get("version") == "2.0"
    body = root.find("body")
    assert body is not None
    [regional] = body.findall("./outline[@text='News']/outline[@text='Regional']/outline")
    assert regional.get("xmlUrl") == "https://www.ndr.de/nachrichten/niedersachsen/index-rss.xml"
    assert regional.get("title") == "NDR Niedersachsen"
    assert [o.get("text") for o in body.findall("./outline[@xmlUrl]")] == ["Top level feed"]


NEWSBOAT_EXPECTED: dict[str, set[tuple[str, Folder]]] = {
    "example.opml": {
        ("https://example.com/feed.xml", ()),
        ("https://example.com/mirrors/distrowatch.rss", ()),
        ("https://example.com/feed.atom", ()),
        ("https://example.com/feed.rss09", ()),
        ("https://blogs.example.com/~john/posts.rss", ("Blogs",)),
        ("https://blogs.example.com/~mike/.rss", ("Blogs", "friends")),
        ("https://fred.example.com/writing/index.php?type=rss", ("eloquent",)),
    },
    "test-urls+.opml": {
        ("http://test1.url.cc/feed.xml", ("tag1", "tag2")),
        ("http://anotherfeed.com/", ()),
        ("http://onemorefeed.at/feed/", ("tag1", "tag3")),
        ("https://example.com/another_feed.atom", ()),
    },
    "piped.opml": {("https://example.com/feed.atom", ("tagged",))},
    "filtered.opml": {
        ("https://example.com/another_feed.atom", ("misc",)),
        ("https://example.com/firehose", ()),
    },
    "category.opml": {("http://feeds.bbci.co.uk/news/business/rss.xml?edition=int", ())},
}


@needs_newsboat
@pytest.mark.parametrize("name", sorted(NEWSBOAT_EXPECTED))
def test_newsboat_exports_import_with_their_folders(store: Store, name: str) -> None:
    result = import_opml(store, (NEWSBOAT / name).read_bytes())
    assert {(source, folder) for source, _, folder in subscriptions(store)} == (
        NEWSBOAT_EXPECTED[name]
    )
    assert result.added == len(NEWSBOAT_EXPECTED[name])


@needs_newsboat
def test_newsboat_piped_commands_are_reported_and_never_run(store: Store) -> None:
    result = import_opml(store, (NEWSBOAT / "piped.opml").read_bytes())
    assert [(item.title, item.url) for item in result.ignored] == [
        ("Birdsite search", "|~/fetch_tweets.py")
    ]


@needs_newsboat
@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("body-element-missing.opml", "the OPML file has no <body>"),
        ("opml-element-missing.opml", "not an OPML file (the root element is not <opml>)"),
    ],
)
def test_newsboat_broken_files_are_refused(store: Store, name: str, message: str) -> None:
    with pytest.raises(OpmlError) as caught:
        import_opml(store, (NEWSBOAT / name).read_bytes())
    assert str(caught.value) == message
    assert not store.has_feeds()


@needs_newsboat
def test_every_newsboat_file_imports_or_is_refused_cleanly(store: Store) -> None:
    files = sorted(NEWSBOAT.glob("*.opml"))
    assert len(files) >= 8
    for path in files:
        try:
            import_opml(store, path.read_bytes())
        except OpmlError as error:
            assert "\n" not in str(error)
    assert all(source.startswith("http") for source, _, _ in subscriptions(store))


def test_an_import_reports_the_feeds_it_moves_to_another_folder(store: Store) -> None:
    import_opml(store, (OPML / "flat.opml").read_bytes())
    result = import_opml(store, (OPML / "nested.opml").read_bytes())
    moved = {(feed.title, before, after) for feed, before, after in result.moved}
    assert ("Tagesschau", (), ("News",)) in moved
    assert ("NDR Niedersachsen", (), ("News", "Regional")) in moved
    assert all(title != "Top level feed" for title, _, _ in moved)  # new, not moved
