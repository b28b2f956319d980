"""Sync with a real Tiny Tiny RSS (Debian's package, PostgreSQL, PHP) on 127.0.0.1."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from servers.feedhost import FeedHost
from servers.ttrss import TtrssServer, TtrssUser
from sync_helpers import add_ttrss, password_command, stories

from newsreader.cli.main import main
from newsreader.store import sync_state
from newsreader.store.database import Store
from newsreader.sync import engine, ttrss
from newsreader.sync.errors import SyncError
from newsreader.sync.ttrss import TtrssClient

pytestmark = pytest.mark.servers


def remote_ids(store: Store) -> dict[int, int]:
    rows = store.connection().execute("SELECT remote_id, article_id FROM sync_articles")
    return {row[0]: row[1] for row in rows}


def server_flags(user: TtrssUser) -> dict[int, tuple[bool, bool]]:
    """id -> (unread, starred) on the server"""
    return {h["id"]: (h["unread"], h["marked"]) for h in user.headlines()}


def test_categories_feeds_and_articles_come_over_paged_and_then_only_what_is_new(
    store: Store, ttrss_user: TtrssUser, feed_host: FeedHost, tmp_path: Path
) -> None:
    tech = ttrss_user.add_category("Technology")
    ttrss_user.subscribe(feed_host.put(f"/{ttrss_user.login}/t.xml", stories("t", 450)), tech)
    feed = ttrss_user.subscribe(feed_host.put(f"/{ttrss_user.login}/u.xml", stories("u", 5)))
    add_ttrss(store, ttrss_user, tmp_path)

    report = engine.sync_account(store, "work")

    assert report.new == 455 and report.feeds == 2
    groups = {s.feed.title: s.feed.group for s in store.feeds()}
    assert groups == {"t feed": "Technology", "u feed": None}
    assert {s.feed.account for s in store.feeds()} == {"work"}
    assert report.requests >= 5  # login, categories, feeds, 3 pages of 200

    again = engine.sync_account(store, "work")
    assert again.new == 0 and again.state_changes == 0

    feed_host.put(f"/{ttrss_user.login}/u.xml", stories("u", 8))
    ttrss_user.update_feed(feed)
    assert engine.sync_account(store, "work").new == 3
    assert len(remote_ids(store)) == 458


def test_read_and_star_go_both_ways_and_a_thousand_marks_take_one_request_per_batch(
    store: Store, ttrss_user: TtrssUser, feed_host: FeedHost, tmp_path: Path
) -> None:
    ttrss_user.subscribe(feed_host.put(f"/{ttrss_user.login}/m.xml", stories("m", 1100)))
    add_ttrss(store, ttrss_user, tmp_path)
    engine.sync_account(store, "work")
    ids = remote_ids(store)
    some = sorted(ids)[:3]
    ttrss_user.api("updateArticle", article_ids=str(some[0]), mode=0, field=2)  # read there
    ttrss_user.api("updateArticle", article_ids=str(some[1]), mode=1, field=0)  # starred there
    quiet = engine.sync_account(store, "work")
    first = store.article(ids[some[0]])
    second = store.article(ids[some[1]])
    assert first is not None and first.read
    assert second is not None and second.starred
    assert quiet.state_changes == 2

    baseline = engine.sync_account(store, "work")  # nothing changed anywhere
    assert baseline.state_changes == 0 and baseline.new == 0

    marked = sorted(ids)[10:1010]
    for remote_id in marked:
        store.set_read(ids[remote_id])
    report = engine.sync_account(store, "work")

    assert report.pushed == 1000
    # The same sync with nothing to push, plus two updateArticle batches of 500: the
    # queued reads do not make the feed's state look changed.
    assert report.requests == baseline.requests + 2
    flags = server_flags(ttrss_user)
    assert all(not flags[remote_id][0] for remote_id in marked)
    assert flags[sorted(ids)[1050]][0]  # untouched: still unread


def test_an_expired_session_is_renewed_once(
    ttrss_server: TtrssServer, ttrss_user: TtrssUser, feed_host: FeedHost
) -> None:
    client = TtrssClient(ttrss_user.url, ttrss_user.login, lambda: ttrss_user.password)
    try:
        client.login()
        ttrss_server.sql("DELETE FROM ttrss_sessions")
        assert client.feeds() == []
        # login, getCategories refused, login again, getCategories, getFeeds
        assert client.requests == 5
    finally:
        client.close()


def test_a_wrong_password_and_a_switched_off_api_are_one_line_each(
    store: Store,
    ttrss_server: TtrssServer,
    ttrss_user: TtrssUser,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    sync_state.add_account(
        store, "bad", "ttrss", ttrss_user.url, ttrss_user.login,
        password_command(tmp_path, "wrong horse"),
    )  # fmt: skip
    assert main(["--db", str(store.path), "sync"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "refused the user name or password" in err
    assert "wrong horse" not in err

    add_ttrss(store, ttrss_user, tmp_path)
    uid = ttrss_server.uid(ttrss_user.login)
    ttrss_server.sql(f"DELETE FROM ttrss_user_prefs WHERE owner_uid = {uid}")
    with pytest.raises(SyncError, match="the API is switched off for this user"):
        engine.sync_account(store, "work")


def test_the_server_going_away_mid_sync_leaves_nothing_half_done(
    monkeypatch: pytest.MonkeyPatch,
    store: Store,
    ttrss_server: TtrssServer,
    ttrss_user: TtrssUser,
    feed_host: FeedHost,
    tmp_path: Path,
) -> None:
    ttrss_user.subscribe(feed_host.put(f"/{ttrss_user.login}/g.xml", stories("g", 700)))
    add_ttrss(store, ttrss_user, tmp_path)
    # One page at a time, each stored as it comes: the server goes after the second.
    monkeypatch.setattr(ttrss, "WINDOW", 1)
    monkeypatch.setattr(engine, "CONVERT_AHEAD", 0)
    monkeypatch.setattr(engine, "BATCH_ITEMS", 200)
    pages = 0

    def stop_after_two_pages(what: str, _count: int) -> None:
        nonlocal pages
        if what == "pulling articles":
            pages += 1
            if pages == 2:
                ttrss_server.stop_web()

    with pytest.raises(SyncError, match="cannot reach"):
        engine.sync_account(store, "work", progress=stop_after_two_pages)
    account = sync_state.account(store, "work")
    assert account is not None and account.since_id == 0 and account.last_sync is None
    assert len(remote_ids(store)) == 400  # two whole pages, each stored whole
    assert store.integrity_ok()

    ttrss_server.start_web()
    engine.sync_account(store, "work")
    assert len(remote_ids(store)) == 700
    count = store.connection().execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    assert count == 700


def test_subscribe_and_unsubscribe_through_the_server(
    store: Store,
    ttrss_user: TtrssUser,
    feed_host: FeedHost,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    add_ttrss(store, ttrss_user, tmp_path)
    url = feed_host.put(f"/{ttrss_user.login}/new.xml", stories("n", 2))
    db = ["--db", str(store.path)]

    assert main([*db, "add", url, "--account", "work"]) == 0

    assert [feed["feed_url"] for feed in ttrss_user.api("getFeeds", cat_id=-3)] == [url]
    capsys.readouterr()
    assert main([*db, "feeds", "--json"]) == 0
    listed = [f for f in json.loads(capsys.readouterr().out) if f["account"] == "work"]
    assert len(listed) == 1
    assert main([*db, "remove", str(listed[0]["id"])]) == 0
    assert ttrss_user.api("getFeeds", cat_id=-3) == []
    assert all(s.feed.account is None for s in store.feeds())
