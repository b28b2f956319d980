"""Refreshing subscriptions: every feed fetched at once, stored, and summarised for the reader."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from httpserver import FeedServer, Reply, Request, atom, gzipped, http_date, numbered_items, rss

from newsreader.feeds import entries, ingest
from newsreader.feeds.fetch import FetchSettings
from newsreader.feeds.fetchstate import feed_state
from newsreader.feeds.refresh import (
    FeedOutcome,
    OutcomeState,
    RefreshProgress,
    refresh,
    refresh_feeds,
    remove_feed,
    subscribe,
)
from newsreader.models import Feed
from newsreader.store.database import Store
from newsreader.text.sanitize import contains_control

SETTINGS = FetchSettings(
    connect_timeout=0.5, timeout=0.8, max_body_bytes=64 * 1024, parse_in="thread", trust_env=False
)


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as running:
        yield running


@pytest.fixture
def parse_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every source the feed parser is asked to parse (parsing runs in a thread here)."""
    calls: list[str] = []
    real_parse = ingest.parse_feed

    def counting_parse(data: bytes, source: str) -> entries.ParsedFeed:
        calls.append(source)
        return real_parse(data, source)

    monkeypatch.setattr(ingest, "parse_feed", counting_parse)
    return calls


def follow(store: Store, *urls: str) -> list[Feed]:
    """Subscriptions as an OPML import leaves them: a URL, a stand-in title, never fetched."""
    return [store.add_feed(Feed(source=url, title="(not fetched yet)")) for url in urls]


def run(store: Store, feeds: list[Feed] | None = None) -> list[FeedOutcome]:
    return refresh(store, feeds, settings=SETTINGS)


def titles(store: Store, feed: Feed) -> list[str]:
    assert feed.id is not None
    return sorted(summary.title for summary in store.articles(feed.id))


def test_rss_and_atom_feeds_are_stored_under_their_own_titles(
    store: Store, server: FeedServer
) -> None:
    news, blog = follow(
        store,
        server.route("/news.rss", Reply(200, rss("Test News", numbered_items(3)))),
        server.route(
            "/blog.atom",
            Reply(200, atom("Atom Blog", [{"id": "urn:a:1", "title": "First post"}])),
        ),
    )
    outcomes = run(store)
    assert [(o.feed.title, o.state, o.new) for o in outcomes] == [
        ("Test News", OutcomeState.FETCHED, 3),
        ("Atom Blog", OutcomeState.FETCHED, 1),
    ]
    assert outcomes[0].summary == "3 new, 0 updated, 0 unchanged"
    assert {summary.feed.title for summary in store.feeds()} == {"Test News", "Atom Blog"}
    assert titles(store, news) == ["Story 0", "Story 1", "Story 2"]
    assert titles(store, blog) == ["First post"]


@pytest.mark.parametrize(
    ("validator", "condition"),
    [("ETag", "If-None-Match"), ("Last-Modified", "If-Modified-Since")],
)
def test_an_unchanged_feed_answers_304_and_costs_no_parsing(
    store: Store, server: FeedServer, parse_calls: list[str], validator: str, condition: str
) -> None:
    value = '"v1"' if validator == "ETag" else "Wed, 01 May 2024 10:00:00 GMT"
    body = rss("Test News", numbered_items(2))

    def conditional(request: Request) -> Reply:
        if request.headers.get(condition) == value:
            return Reply(304)
        return Reply(200, body, {validator: value})

    (feed,) = follow(store, server.route("/news.rss", conditional))
    assert run(store)[0].state is OutcomeState.FETCHED
    parse_calls.clear()
    (second,) = run(store)
    assert second.state is OutcomeState.NOT_MODIFIED
    assert second.summary == "not modified"
    assert parse_calls == []
    assert server.requests_to("/news.rss")[1].headers[condition] == value
    assert titles(store, feed) == ["Story 0", "Story 1"]


def test_a_byte_identical_body_is_not_parsed_again(
    store: Store, server: FeedServer, parse_calls: list[str]
) -> None:
    follow(store, server.route("/plain.rss", Reply(200, rss("Plain", numbered_items(2)))))
    assert run(store)[0].state is OutcomeState.FETCHED
    assert len(parse_calls) == 1
    (second,) = run(store)
    assert second.state is OutcomeState.SAME_CONTENT
    assert second.summary == "unchanged (same content)"
    assert len(parse_calls) == 1, "the second body was fetched but not parsed"
    assert server.hits["/plain.rss"] == 2


def test_a_changed_entry_is_updated_in_place_and_stays_read(
    store: Store, server: FeedServer
) -> None:
    def items(text: str) -> list[dict[str, str]]:
        return [
            {"guid": "urn:story:1", "title": "By id", "description": f"One {text}"},
            {"link": "https://example.org/two", "title": "By link", "description": f"Two {text}"},
            {
                "title": "By title and date",
                "pubDate": "Wed, 01 May 2024 10:00:00 GMT",
                "description": f"Three {text}",
            },
        ]

    (feed,) = follow(store, server.route("/news.rss", Reply(200, rss("News", items("first")))))
    assert feed.id is not None
    assert run(store)[0].new == 3
    for summary in store.articles(feed.id):
        store.set_read(summary.id)

    server.route("/news.rss", Reply(200, rss("News", items("second"))))
    (outcome,) = run(store)
    assert (outcome.new, outcome.updated, outcome.unchanged) == (0, 3, 0)
    assert outcome.summary == "0 new, 3 updated, 0 unchanged"
    stored = store.articles(feed.id)
    assert len(stored) == 3, "changed entries are not duplicated"
    assert all(summary.read for summary in stored)
    bodies = [article.body for s in stored if (article := store.article(s.id)) is not None]
    assert sorted(bodies) == ["One second", "Three second", "Two second"]


def test_every_kind_of_failure_is_summarised_on_one_line_and_remembered(
    store: Store, server: FeedServer
) -> None:
    for hop in range(1, 12):
        server.route(f"/loop/{hop}", Reply(302, headers={"Location": f"/loop/{hop + 1}"}))
    expected = {
        server.route("/missing.rss", Reply(404)): "HTTP 404 Not Found",
        server.route("/crash.rss", Reply(500)): "HTTP 500 Internal Server Error",
        server.route("/slow.rss", Reply(200, rss("Slow", []), delay=3)): "timed out after 0.8 s",
        server.route("/huge.rss", Reply(200, b"x" * 100_000)): "the feed is larger than 64 KiB",
        server.route(
            "/bomb.rss", gzipped(b"\0" * (4 * 1024 * 1024))
        ): "the feed is larger than 64 KiB",
        server.url("/loop/1"): "too many redirects (more than 10)",
        server.route(
            "/sneaky.rss", Reply(302, headers={"Location": "file:///etc/passwd"})
        ): "redirect to a file: URL refused",
        server.route(
            "/page.html", Reply(200, b"<html><body>\x1b[2Jhello</body></html>")
        ): "not a readable RSS or Atom feed",
    }
    feeds = follow(store, *expected)
    outcomes = {outcome.feed.source: outcome for outcome in run(store, feeds)}
    for url, message in expected.items():
        outcome = outcomes[url]
        assert outcome.state is OutcomeState.FAILED, url
        assert outcome.message.startswith(message), (url, outcome.message)
        assert outcome.summary == f"failed: {outcome.message}"
        assert not contains_control(outcome.message)
        assert outcome.feed.id is not None
        assert store.articles(outcome.feed.id) == []
        state = feed_state(store, outcome.feed.id)
        assert (state.outcome, state.error) == ("failed", outcome.message)


def test_a_feed_behind_three_redirects_is_stored(store: Store, server: FeedServer) -> None:
    server.route("/final.rss", Reply(200, rss("Moved News", numbered_items(1))))
    server.route("/a", Reply(301, headers={"Location": "/b"}))
    server.route("/b", Reply(308, headers={"Location": "/c"}))
    server.route("/c", Reply(302, headers={"Location": "/final.rss"}))
    (feed,) = follow(store, server.url("/a"))
    (outcome,) = run(store)
    assert (outcome.state, outcome.new, outcome.feed.title) == (
        OutcomeState.FETCHED,
        1,
        "Moved News",
    )
    assert outcome.feed.source == server.url("/a"), "the subscription keeps its own URL"
    assert titles(store, feed) == ["Story 0"]


def test_a_gzip_encoded_feed_is_stored(store: Store, server: FeedServer) -> None:
    (feed,) = follow(store, server.route("/packed.rss", gzipped(rss("Packed", numbered_items(2)))))
    assert run(store)[0].new == 2
    assert titles(store, feed) == ["Story 0", "Story 1"]


def test_a_server_that_asks_to_wait_is_not_asked_again_until_then(
    store: Store, server: FeedServer
) -> None:
    in_an_hour = datetime.now(UTC) + timedelta(hours=1)
    follow(
        store,
        server.route("/busy.rss", Reply(429, headers={"Retry-After": "120"})),
        server.route("/down.rss", Reply(503, headers={"Retry-After": http_date(in_an_hour)})),
    )
    first = {outcome.feed.source: outcome for outcome in run(store)}
    busy, down = first[server.url("/busy.rss")], first[server.url("/down.rss")]
    assert busy.state is OutcomeState.FAILED
    assert busy.message.startswith("HTTP 429 Too Many Requests; the next try waits until ")
    assert down.message.startswith("HTTP 503 Service Unavailable; the next try waits until ")
    assert down.retry_at == in_an_hour.replace(microsecond=0)

    second = run(store)
    assert [outcome.state for outcome in second] == [OutcomeState.SKIPPED] * 2
    assert all(o.summary.startswith("skipped: the server asked to wait until ") for o in second)
    assert server.hits["/busy.rss"] == 1
    assert server.hits["/down.rss"] == 1


def test_a_retry_after_in_the_past_does_not_hold_the_feed_back(
    store: Store, server: FeedServer
) -> None:
    an_hour_ago = datetime.now(UTC) - timedelta(hours=1)
    follow(
        store,
        server.route("/down.rss", Reply(503, headers={"Retry-After": http_date(an_hour_ago)})),
    )
    assert run(store)[0].retry_at is None
    assert run(store)[0].state is OutcomeState.FAILED
    assert server.hits["/down.rss"] == 2


async def test_progress_is_reported_on_the_event_loop_as_each_feed_finishes(
    store: Store, server: FeedServer
) -> None:
    follow(
        store,
        *(server.route(f"/feed/{n}.rss", Reply(200, rss(f"Feed {n}", []))) for n in range(5)),
        server.route("/gone.rss", Reply(410)),
    )
    seen: list[tuple[int, int, str, int]] = []

    def on_progress(progress: RefreshProgress) -> None:
        seen.append(
            (progress.done, progress.total, progress.outcome.state.value, threading.get_ident())
        )

    outcomes = await refresh_feeds(store, settings=SETTINGS, progress=on_progress)
    loop_thread = threading.get_ident()
    assert [(done, total) for done, total, _, _ in seen] == [(n, 6) for n in range(1, 7)]
    assert sorted(state for _, _, state, _ in seen) == ["failed"] + ["fetched"] * 5
    assert {thread for *_, thread in seen} == {loop_thread}
    assert len(outcomes) == 6


def test_a_local_file_is_read_again_on_each_refresh(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "local.rss"
    path.write_bytes(rss("Local News", numbered_items(1)))
    (added,) = subscribe(store, [str(path)], settings=SETTINGS)
    assert (added.state, added.new, added.feed.source) == (OutcomeState.FETCHED, 1, str(path))
    path.write_bytes(rss("Local News", numbered_items(3)))
    (again,) = run(store)
    assert (again.state, again.new, again.unchanged) == (OutcomeState.FETCHED, 2, 1)


def test_subscribing_fetches_urls_and_files_at_once(
    store: Store, server: FeedServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "mine.atom").write_bytes(atom("My Notes", [{"id": "n1", "title": "Note"}]))
    monkeypatch.chdir(tmp_path)
    url = server.route("/news.rss", Reply(200, rss("Test News", numbered_items(2))))
    outcomes = subscribe(store, [url, "mine.atom"], settings=SETTINGS)
    assert [(o.state, o.new, o.feed.title) for o in outcomes] == [
        (OutcomeState.FETCHED, 2, "Test News"),
        (OutcomeState.FETCHED, 1, "My Notes"),
    ]
    sources = sorted(summary.feed.source for summary in store.feeds())
    assert sources == sorted([url, str(tmp_path / "mine.atom")])


def test_a_source_that_cannot_be_read_is_not_subscribed(
    store: Store, server: FeedServer, tmp_path: Path
) -> None:
    missing = str(tmp_path / "nowhere.rss")
    outcomes = subscribe(
        store, [server.url("/missing.rss"), missing, "ftp://example.org/feed"], settings=SETTINGS
    )
    assert [o.state for o in outcomes] == [OutcomeState.FAILED] * 3
    assert outcomes[0].message == "HTTP 404 Not Found"
    assert outcomes[1].message == f"{missing}: no such file"
    assert outcomes[2].message == "ftp://example.org/feed: only http and https URLs work"
    assert not store.has_feeds()


def test_only_the_named_feeds_are_refreshed(store: Store, server: FeedServer) -> None:
    wanted, _ = follow(
        store,
        server.route("/wanted.rss", Reply(200, rss("Wanted", []))),
        server.route("/other.rss", Reply(200, rss("Other", []))),
    )
    assert [o.feed.title for o in run(store, [wanted])] == ["Wanted"]
    assert (server.hits["/wanted.rss"], server.hits["/other.rss"]) == (1, 0)


def test_removing_a_feed_takes_its_articles_and_search_hits_along(
    store: Store, server: FeedServer
) -> None:
    (feed,) = follow(store, server.route("/news.rss", Reply(200, rss("News", numbered_items(3)))))
    run(store)
    assert len(store.search("story")) == 3
    assert remove_feed(store, feed)
    assert not store.has_feeds()
    assert store.search("story") == []
    assert store.connection().execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 0
    assert store.connection().execute("SELECT COUNT(*) FROM feed_state").fetchone()[0] == 0
    assert not remove_feed(store, feed), "removing twice finds nothing"


def test_worker_processes_parse_feeds_just_like_a_thread(store: Store, server: FeedServer) -> None:
    (feed,) = follow(store, server.route("/news.rss", Reply(200, rss("News", numbered_items(4)))))
    settings = FetchSettings(parse_in="process", parse_workers=1, trust_env=False)
    (outcome,) = refresh(store, settings=settings)
    assert (outcome.state, outcome.new, outcome.feed.title) == (OutcomeState.FETCHED, 4, "News")
    assert titles(store, feed) == [f"Story {n}" for n in range(4)]


@pytest.fixture
def process_starts(monkeypatch: pytest.MonkeyPatch) -> list[threading.Thread]:
    """The thread that started each worker process."""
    import multiprocessing.process

    starts: list[threading.Thread] = []
    real_start = multiprocessing.process.BaseProcess.start

    def noting_start(process: multiprocessing.process.BaseProcess) -> None:
        starts.append(threading.current_thread())
        real_start(process)

    monkeypatch.setattr(multiprocessing.process.BaseProcess, "start", noting_start)
    return starts


def test_worker_processes_start_off_the_event_loop(
    store: Store, server: FeedServer, process_starts: list[threading.Thread]
) -> None:
    """Starting the first worker waits for the parser to be imported: on the event loop,
    that froze the reader's screen when a refresh began."""
    follow(
        store,
        *(server.route(f"/{n}.rss", Reply(200, rss("News", numbered_items(2)))) for n in range(3)),
    )
    settings = FetchSettings(parse_in="process", parse_workers=2, trust_env=False)
    outcomes = refresh(store, settings=settings)
    assert [outcome.new for outcome in outcomes] == [2, 2, 2]
    assert len(process_starts) == 2  # every worker, started at once
    assert threading.main_thread() not in process_starts


def test_a_refresh_of_unchanged_feeds_starts_no_worker_processes(
    store: Store, server: FeedServer, process_starts: list[threading.Thread]
) -> None:
    def answer(request: Request) -> Reply:
        if request.headers.get("If-None-Match") == '"v1"':
            return Reply(304)
        return Reply(200, rss("News", numbered_items(2)), headers={"ETag": '"v1"'})

    follow(store, server.route("/news.rss", answer))
    settings = FetchSettings(parse_in="process", parse_workers=2, trust_env=False)
    refresh(store, settings=settings)
    process_starts.clear()
    (outcome,) = refresh(store, settings=settings)
    assert outcome.state is OutcomeState.NOT_MODIFIED
    assert process_starts == []


def test_the_bundled_story_is_read_again_from_the_package(seeded_store: Store) -> None:
    (first,) = run(seeded_store)
    assert (first.state, first.unchanged, first.feed.title) == (
        OutcomeState.FETCHED,
        1,
        "NDR Niedersachsen",
    )
    assert run(seeded_store)[0].state is OutcomeState.SAME_CONTENT


def test_the_sync_wrapper_runs_its_own_event_loop(store: Store, server: FeedServer) -> None:
    follow(store, server.route("/news.rss", Reply(200, rss("News", numbered_items(1)))))
    assert asyncio.run(refresh_feeds(store, settings=SETTINGS))[0].new == 1
    assert run(store)[0].state is OutcomeState.SAME_CONTENT
