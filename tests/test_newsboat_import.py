"""Moving in from newsboat, checked against the cache real newsboat wrote (fixtures/newsboat)."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from httpserver import FeedServer, Reply, Request, rss
from test_cli import Shell

from newsreader.config import load_config
from newsreader.feeds import newsboat_import
from newsreader.feeds.fetchstate import feed_state, folders
from newsreader.feeds.newsboat_cache import NewsboatCacheError, read_cache
from newsreader.feeds.newsboat_filter import translate
from newsreader.feeds.newsboat_import import import_newsboat
from newsreader.feeds.newsboat_urls import parse_urls
from newsreader.feeds.refresh import refresh
from newsreader.store.database import Store
from newsreader.store.search_plan import query_clause
from newsreader.text.sanitize import clean_line, contains_control

FIXTURES = Path(__file__).parent / "fixtures" / "newsboat"
RESULTS = json.loads((FIXTURES / "filter_results.json").read_text())


def newsboat_rows(cache: Path, sql: str) -> list[sqlite3.Row]:
    db = sqlite3.connect(cache)
    db.row_factory = sqlite3.Row
    try:
        return db.execute(sql).fetchall()
    finally:
        db.close()


TABLES = [
    "feeds", "articles", "article_tags", "feed_groups", "removed_articles",
    "feed_state", "saved_searches", "media_items",
]  # fmt: skip


def dump(store: Store, *, first_seen: bool = True) -> list[object]:
    """Everything a user could notice in the store, in a fixed order (``first_seen``: with
    the moment each article was stored, which differs between two imports)."""
    db = store.connection()
    if not first_seen:
        columns = [row[1] for row in db.execute("PRAGMA table_info(articles)")]
        kept = ", ".join(c for c in columns if c != "first_seen")
        return [
            [tuple(row) for row in db.execute(f"SELECT {kept} FROM articles ORDER BY 1, 2")]
            if table == "articles"
            else [tuple(row) for row in db.execute(f"SELECT * FROM {table} ORDER BY 1, 2")]
            for table in TABLES
        ]
    return [
        [tuple(row) for row in db.execute(f"SELECT * FROM {table} ORDER BY 1, 2")]
        for table in TABLES
    ]


def imported(store: Store, cache: Path = FIXTURES / "cache.db", dry_run: bool = False) -> object:
    urls = parse_urls((cache.parent / "urls").read_text())
    return import_newsboat(store, urls, read_cache(cache), dry_run=dry_run)


@pytest.fixture
def newsreader(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Shell:
    return Shell(tmp_path / "cli.sqlite3", capsys)


@pytest.fixture
def moved_in(store: Store) -> Store:
    imported(store)
    return store


def test_every_article_newsboat_kept_comes_over_with_its_state(moved_in: Store) -> None:
    db = moved_in.connection()
    items = newsboat_rows(FIXTURES / "cache.db", "SELECT * FROM rss_item")
    assert len(items) == 14
    for item in items:
        row = db.execute(
            "SELECT articles.*, feeds.source FROM articles JOIN feeds ON feeds.id = feed_id "
            "WHERE guid = ?",
            (item["guid"],),
        ).fetchone()
        if item["deleted"]:
            assert row is None, item["guid"]
            continue
        assert row is not None, item["guid"]
        assert row["source"] == item["feedurl"]
        assert row["title"] == clean_line(item["title"])
        assert bool(row["read"]) == (not item["unread"])
        assert bool(row["starred"]) == ("s" in (item["flags"] or ""))
        tags = {
            t[0]
            for t in db.execute("SELECT tag FROM article_tags WHERE article_id = ?", (row["id"],))
        }
        assert tags == {f"flag-{flag}" for flag in (item["flags"] or "") if flag != "s"}
        if item["author"]:
            assert row["author"] == item["author"]
        if item["pubDate"]:
            assert row["sort_time"] == item["pubDate"]
    # Per feed: the same counts as newsboat's, less what it deleted.
    for feed in newsboat_rows(FIXTURES / "cache.db", "SELECT * FROM rss_feed"):
        kept = newsboat_rows(
            FIXTURES / "cache.db",
            f"SELECT COUNT(*), SUM(unread) FROM rss_item WHERE deleted = 0 "
            f"AND feedurl = '{feed['rssurl']}'",
        )[0]
        ours = db.execute(
            "SELECT COUNT(*), SUM(read = 0) FROM articles JOIN feeds ON feeds.id = feed_id "
            "WHERE source = ?",
            (feed["rssurl"],),
        ).fetchone()
        assert tuple(ours) == tuple(kept)
        # The feed list's counts (kept by the store) say the same.
        [summary] = [s for s in moved_in.feeds() if s.feed.source == feed["rssurl"]]
        assert (summary.article_count, summary.unread_count) == tuple(kept)


def test_feeds_keep_their_titles_groups_and_hidden_mark(moved_in: Store) -> None:
    urls = parse_urls((FIXTURES / "urls").read_text())
    cached = {
        row["rssurl"]: row for row in newsboat_rows(FIXTURES / "cache.db", "SELECT * FROM rss_feed")
    }
    feeds = {summary.feed.source: summary.feed for summary in moved_in.feeds()}
    assert len(feeds) == len(urls.feeds) == 5
    db = moved_in.connection()
    for entry in urls.feeds:
        feed = feeds[entry.url]
        assert feed.title == (entry.title or cached[entry.url]["title"])
        assert feed.hidden == entry.hidden
        groups = [r[0] for r in db.execute(
            "SELECT name FROM feed_groups WHERE feed_id = ? ORDER BY position", (feed.id,)
        )]  # fmt: skip
        assert groups == list(entry.tags)
        assert folders(moved_in).get(feed.id or 0, ()) == entry.tags[:1]
        state = feed_state(moved_in, feed.id or 0)
        assert state.validators.etag == cached[entry.url]["etag"]
        assert state.validators.last_modified == "Tue, 03 Sep 2024 10:00:00 GMT"
    assert feeds[urls.feeds[0].url].title == "Harbour Gazette"  # the ~title, not the feed's own
    assert [f.source for f in feeds.values() if f.hidden] == [urls.feeds[2].url]


def test_query_feeds_become_saved_searches_or_are_reported(moved_in: Store) -> None:
    saved = {search.name: search.query for search in moved_in.saved_searches()}
    assert saved == {
        "Unread news": "is:unread folder:news",
        "Old stories": "before:366d",
        "Ferry or cloud": 'title:"ferry"* OR title:"cloud"*',
        "Starred": "is:starred",
    }
    report = imported(moved_in)
    skipped = {s.name: s.reason for s in report.searches if s.state == "skipped"}  # type: ignore[attr-defined]
    assert set(skipped) == {"Regex", "Sport or news"}


def matching_guids(store: Store, query: str) -> set[str]:
    clause, params = query_clause(query)
    rows = store.connection().execute(f"SELECT guid FROM articles WHERE {clause}", params)
    return {row[0] for row in rows}


@pytest.mark.parametrize("expression", sorted(RESULTS["filters"]))
def test_a_translated_expression_finds_what_newsboats_own_filter_found(
    moved_in: Store, expression: str
) -> None:
    translation = translate(expression)
    deleted = {
        r[0]
        for r in newsboat_rows(FIXTURES / "cache.db", "SELECT guid FROM rss_item WHERE deleted = 1")
    }
    expected = set(RESULTS["filters"][expression]) - deleted
    if translation.query is None:
        assert expression == 'age >= 365 and title =~ "o"', translation.problem
        return
    assert matching_guids(moved_in, translation.query) == expected


@pytest.mark.parametrize(
    ("expression", "sql"),
    [
        ('unread = "yes"', "unread = 1"),
        ('unread = "no"', "unread = 0"),
        ('flags =~ "s"', "flags LIKE '%s%'"),
        ('flags =~ "A"', "flags LIKE '%A%'"),
        ('flags =~ "x" and unread = "yes"', "flags LIKE '%x%' AND unread = 1"),
        ('tags # "news"', "feedurl LIKE '%/harbour.rss' OR feedurl LIKE '%/town.atom'"),
        ('tags # "news" and unread = "no"',
         "(feedurl LIKE '%/harbour.rss' OR feedurl LIKE '%/town.atom') AND unread = 0"),
        ('tags !# "news" and unread = "yes"',
         "feedurl NOT LIKE '%/harbour.rss' AND feedurl NOT LIKE '%/town.atom' AND unread = 1"),
    ],
)  # fmt: skip
def test_state_and_tag_expressions_find_what_newsboats_cache_and_urls_hold(
    moved_in: Store, expression: str, sql: str
) -> None:
    # newsboat applies these to its cache columns and the urls file's tags, which it sets
    # after downloading: the fixture's filter run cannot see them.
    query = translate(expression).query
    assert query is not None
    rows = newsboat_rows(
        FIXTURES / "cache.db", f"SELECT guid FROM rss_item WHERE deleted = 0 AND ({sql})"
    )
    assert matching_guids(moved_in, query) == {row[0] for row in rows}


def test_a_second_import_changes_nothing(moved_in: Store) -> None:
    before = dump(moved_in)
    report = imported(moved_in)
    assert not report.changed  # type: ignore[attr-defined]
    assert dump(moved_in) == before


def test_a_dry_run_writes_nothing_and_tells_the_same_story(store: Store) -> None:
    before = dump(store)
    dry = imported(store, dry_run=True)
    assert dump(store) == before
    real = imported(store)
    assert [(f.url, f.new, f.read, f.starred) for f in dry.feeds] == [  # type: ignore[attr-defined]
        (f.url, f.new, f.read, f.starred)
        for f in real.feeds  # type: ignore[attr-defined]
    ]


def test_reading_done_here_since_is_kept_by_another_import(moved_in: Store) -> None:
    db = moved_in.connection()
    article_id = db.execute("SELECT id FROM articles WHERE guid = 'urn:sport:1'").fetchone()[0]
    moved_in.set_read(article_id)
    imported(moved_in)
    assert db.execute("SELECT read FROM articles WHERE id = ?", (article_id,)).fetchone()[0] == 1


def test_hostile_text_in_the_cache_is_cleaned_like_a_feeds(moved_in: Store) -> None:
    row = (
        moved_in.connection()
        .execute("SELECT id, title, url FROM articles WHERE guid = 'urn:harbour:5'")
        .fetchone()
    )
    assert "\u202e" not in row["title"] and "\u200b" not in row["title"]
    assert row["url"] is None  # javascript: is never stored
    article = moved_in.article(row["id"])
    assert article is not None
    assert not contains_control(article.body) and not contains_control(article.title)


def test_the_enclosure_becomes_a_media_item(moved_in: Store) -> None:
    db = moved_in.connection()
    article_id = db.execute("SELECT id FROM articles WHERE guid = 'urn:harbour:3'").fetchone()[0]
    article = moved_in.article(article_id)
    assert article is not None
    assert [(m.url, m.kind) for m in article.media] == [
        ("https://harbour.example/night.mp3", "audio")
    ]


@pytest.fixture
def moved_cache(tmp_path: Path) -> Iterator[tuple[Path, FeedServer]]:
    """The fixtures, pointing at a server of this test's own on 127.0.0.1."""
    with FeedServer() as server:
        old, new = RESULTS["base"], server.url("").rstrip("/")
        shutil.copy(FIXTURES / "cache.db", tmp_path / "cache.db")
        db = sqlite3.connect(tmp_path / "cache.db")
        with db:
            db.execute("UPDATE rss_feed SET rssurl = replace(rssurl, ?, ?)", (old, new))
            db.execute("UPDATE rss_item SET feedurl = replace(feedurl, ?, ?)", (old, new))
        db.close()
        (tmp_path / "urls").write_text((FIXTURES / "urls").read_text().replace(old, new))
        yield tmp_path / "cache.db", server


def test_the_first_refresh_after_moving_in_is_warm(
    store: Store, moved_cache: tuple[Path, FeedServer]
) -> None:
    cache, server = moved_cache

    def answer(request: Request) -> Reply:
        if request.headers.get("If-None-Match") == '"v1-town.atom"':
            return Reply(304)
        return Reply(500, b"the validators did not come over")

    server.route("/town.atom", answer)
    imported(store, cache)
    town = next(s.feed for s in store.feeds() if s.feed.source.endswith("/town.atom"))
    [outcome] = refresh(store, [town])
    assert outcome.state.value == "not_modified", outcome
    assert server.requests_to("/town.atom")[0].headers["If-Modified-Since"] == (
        "Tue, 03 Sep 2024 10:00:00 GMT"
    )


def test_a_refresh_keeps_deleted_articles_gone_the_own_title_and_the_flags(
    store: Store, moved_cache: tuple[Path, FeedServer]
) -> None:
    cache, server = moved_cache
    items = [
        {"guid": f"urn:harbour:{n}", "title": f"Changed story {n}", "description": "New text."}
        for n in (1, 2, 3, 4, 6)
    ]
    server.route("/harbour.rss", Reply(200, rss("The feed's own title", items)))
    imported(store, cache)
    harbour = next(s.feed for s in store.feeds() if s.feed.source.endswith("/harbour.rss"))
    [outcome] = refresh(store, [harbour])
    assert outcome.state.value == "fetched", outcome
    db = store.connection()
    guids = {r[0] for r in db.execute("SELECT guid FROM articles WHERE feed_id = ?", (harbour.id,))}
    assert "urn:harbour:4" not in guids  # deleted in newsboat
    assert {"urn:harbour:6", "urn:harbour:1"} <= guids
    assert store.feed(harbour.id or 0).title == "Harbour Gazette"  # type: ignore[union-attr]
    row = db.execute("SELECT title, starred FROM articles WHERE guid = 'urn:harbour:3'").fetchone()
    assert row["title"] == "Changed story 3"  # the update came in...
    assert row["starred"] == 1
    assert matching_guids(store, "tag:flag-A") == {"urn:harbour:3"}  # ...and the flag stayed


def copy_of_cache(tmp_path: Path) -> Path:
    shutil.copy(FIXTURES / "cache.db", tmp_path / "cache.db")
    shutil.copy(FIXTURES / "urls", tmp_path / "urls")
    return tmp_path / "cache.db"


def test_a_cache_from_a_newer_newsboat_is_one_line_and_nothing_changes(
    tmp_path: Path, store: Store
) -> None:
    cache = copy_of_cache(tmp_path)
    with sqlite3.connect(cache) as db:
        db.execute("UPDATE metadata SET db_schema_version_minor = 99")
    db.close()
    with pytest.raises(NewsboatCacheError) as caught:
        read_cache(cache)
    assert "2.99 is newer than" in str(caught.value)
    assert "\n" not in str(caught.value)


def test_a_cache_older_than_versioned_schemas_is_refused(tmp_path: Path) -> None:
    cache = copy_of_cache(tmp_path)
    with sqlite3.connect(cache) as db:
        db.execute("DROP TABLE metadata")
    db.close()
    with pytest.raises(NewsboatCacheError, match=r"older than 2\.10"):
        read_cache(cache)


def test_a_cache_newsboat_holds_is_refused(tmp_path: Path) -> None:
    cache = copy_of_cache(tmp_path)
    (tmp_path / "cache.db.lock").write_text(str(os.getpid()))
    with pytest.raises(NewsboatCacheError, match="is using it"):
        read_cache(cache)
    (tmp_path / "cache.db.lock").write_text("999999999")  # a lock newsboat left behind
    assert len(read_cache(cache).items) == 14


def test_a_cache_locked_in_sqlite_is_refused(tmp_path: Path) -> None:
    cache = copy_of_cache(tmp_path)
    holder = sqlite3.connect(cache, isolation_level=None)
    holder.execute("PRAGMA locking_mode = EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(NewsboatCacheError, match="locked"):
            read_cache(cache)
    finally:
        holder.close()


@pytest.mark.parametrize("content", [b"not a database at all" * 100, b""])
def test_a_corrupt_cache_is_one_line(tmp_path: Path, content: bytes) -> None:
    (tmp_path / "cache.db").write_bytes(content)
    with pytest.raises(NewsboatCacheError) as caught:
        read_cache(tmp_path / "cache.db")
    assert "\n" not in str(caught.value)


def test_the_command_reports_writes_the_keymap_and_is_repeatable(
    newsreader: Shell, tmp_path: Path
) -> None:
    settings = tmp_path / "settings.toml"
    args = [
        "--config", settings, "import", "newsboat", "--urls", FIXTURES / "urls",
        "--cache", FIXTURES / "cache.db", "--config", FIXTURES / "config",
    ]  # fmt: skip
    dry = newsreader.ok(*args, "--dry-run", "--json").json()
    assert dry["dry_run"] is True and not settings.exists()
    assert newsreader.ok("feeds", "--json").json()[0]["title"] == "NDR Niedersachsen"
    report = newsreader.ok(*args, "--json").json()
    listed = {feed["title"]: feed["hidden"] for feed in newsreader.ok("feeds", "--json").json()}
    assert listed["Sport Desk"] is True and listed["Town News"] is False
    assert [(f["flagged"], f["starred"], f["deleted"]) for f in report["feeds"]][:2] == [
        (1, 2, 1),
        (1, 0, 0),
    ]
    assert [feed["title"] for feed in report["feeds"]] == [
        "Harbour Gazette", "Town News", "Sport Desk", "my weblog", "test atom",
    ]  # fmt: skip
    assert report["changed"] is True and report["keymap_written"] is True
    assert {s["file"] for s in report["skipped"]} == {"config"}
    loaded = load_config(settings)
    assert loaded.problems == []
    assert loaded.config.keymap["next-unread"] == "n"  # from the preset
    assert loaded.config.keymap["refresh"] == "r,R,ctrl+r"  # preset and bind-key
    again = newsreader.ok(*args)
    assert "Nothing changed" in again.out
    assert "Key bindings: already in" in again.out
    assert settings.read_text().count("[keymap]") == 1


def test_missing_files_and_a_bad_cache_are_one_line_errors(
    newsreader: Shell, tmp_path: Path
) -> None:
    run = newsreader("import", "newsboat", "--urls", tmp_path / "nope")
    assert run.code == 1 and len(run.err.splitlines()) == 1 and "no newsboat urls file" in run.err
    (tmp_path / "cache.db").write_bytes(b"garbage" * 200)
    run = newsreader(
        "import", "newsboat", "--urls", FIXTURES / "urls", "--cache", tmp_path / "cache.db"
    )
    assert run.code == 1 and len(run.err.splitlines()) == 1
    assert newsreader.ok("feeds", "--json").json()[0]["title"] == "NDR Niedersachsen"


def test_without_options_the_files_are_found_where_newsboat_keeps_them(
    newsreader: Shell, tmp_path: Path
) -> None:
    home = Path(os.environ["HOME"])
    (home / ".newsboat").mkdir()
    shutil.copy(FIXTURES / "urls", home / ".newsboat" / "urls")
    shutil.copy(FIXTURES / "cache.db", home / ".newsboat" / "cache.db")
    report = newsreader.ok("import", "newsboat", "--json").json()
    assert sum(feed["new"] for feed in report["feeds"]) == 13


def test_a_large_cache_converted_in_worker_processes_stores_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    serial = Store(tmp_path / "serial.sqlite3")
    imported(serial)
    monkeypatch.setattr(newsboat_import, "PARALLEL_FROM", 1)
    parallel = Store(tmp_path / "parallel.sqlite3")
    imported(parallel)
    serial_tables = dump(serial, first_seen=False)
    parallel_tables = dump(parallel, first_seen=False)
    without_times = [table for n, table in enumerate(serial_tables) if n not in (0, 6)]
    assert without_times == [t for n, t in enumerate(parallel_tables) if n not in (0, 6)]
    serial.close()
    parallel.close()


def test_exec_and_filter_lines_are_never_run_nor_imported(
    newsreader: Shell, tmp_path: Path
) -> None:
    ran = tmp_path / "ran"
    urls = tmp_path / "urls"
    urls.write_text(
        f'"exec:touch {ran}"\n'
        f'"filter:touch {ran}:https://one.example/feed.xml"\n'
        "https://two.example/feed.xml\n"
    )
    report = newsreader.ok("import", "newsboat", "--urls", urls, "--json").json()
    assert not ran.exists()
    assert [feed["url"] for feed in report["feeds"]] == ["https://two.example/feed.xml"]
    reasons = [item["reason"] for item in report["skipped"]]
    assert len(reasons) == 2 and all("never runs programs" in reason for reason in reasons)
    sources = [feed["source"] for feed in newsreader.ok("feeds", "--json").json()]
    assert sources == ["https://two.example/feed.xml"]


def test_without_a_dot_directory_newsboats_xdg_places_are_used(tmp_path: Path) -> None:
    from newsreader.feeds.newsboat_import import NewsboatFiles, default_files

    env = {
        "HOME": str(tmp_path),
        "XDG_CONFIG_HOME": str(tmp_path / "conf"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
    }
    assert default_files(env) == NewsboatFiles(
        tmp_path / "conf" / "newsboat" / "urls",
        tmp_path / "data" / "newsboat" / "cache.db",
        tmp_path / "conf" / "newsboat" / "config",
    )
    assert default_files({"HOME": str(tmp_path)}).cache == (
        tmp_path / ".local" / "share" / "newsboat" / "cache.db"
    )
    (tmp_path / ".newsboat").mkdir()
    assert default_files(env).urls == tmp_path / ".newsboat" / "urls"
