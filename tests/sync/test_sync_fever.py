"""Sync with a real Fever server (coldsweat on 127.0.0.1), as a user would see it."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
from servers.coldsweat_server import ColdsweatServer
from servers.feedhost import FeedHost, rss_feed
from sync_helpers import add_fever, password_command, stories

from newsreader.cli.main import main
from newsreader.store import sync_state
from newsreader.store.database import Store
from newsreader.sync import engine
from newsreader.sync.errors import SyncError


def fever(server: ColdsweatServer, query: str, **form: str) -> dict[str, object]:
    reply = httpx.post(f"{server.url}?api&{query}", data={"api_key": server.api_key, **form})
    answer: dict[str, object] = reply.json()
    return answer


def unread_on_server(server: ColdsweatServer) -> set[int]:
    text = str(fever(server, "unread_item_ids")["unread_item_ids"])
    return {int(part) for part in text.split(",") if part}


def saved_on_server(server: ColdsweatServer) -> set[int]:
    text = str(fever(server, "saved_item_ids")["saved_item_ids"])
    return {int(part) for part in text.split(",") if part}


def remote_ids(store: Store) -> dict[int, int]:
    """server id -> local article id"""
    rows = store.connection().execute("SELECT remote_id, article_id FROM sync_articles")
    return {row[0]: row[1] for row in rows}


def test_a_first_sync_brings_groups_feeds_articles_and_their_state(
    store: Store, coldsweat: ColdsweatServer, feed_host: FeedHost, tmp_path: Path
) -> None:
    coldsweat.subscribe("Technology", feed_host.put("/tech.xml", stories("tech", 120)))
    coldsweat.subscribe("Local news", feed_host.put("/town.xml", stories("town", 3)))
    fever(coldsweat, "", mark="item", id="2", **{"as": "read"})
    fever(coldsweat, "", mark="item", id="3", **{"as": "saved"})
    add_fever(store, coldsweat, tmp_path)

    report = engine.sync_account(store, "home")

    assert report.new == 123
    feeds = {summary.feed.title: summary for summary in store.feeds()}
    assert feeds["tech feed"].article_count == 120
    assert feeds["tech feed"].feed.group == "Technology"
    assert feeds["town feed"].feed.group == "Local news"
    assert {summary.feed.account for summary in feeds.values()} == {"home"}
    ids = remote_ids(store)
    assert len(ids) == 123
    read = store.article(ids[2])
    starred = store.article(ids[3])
    assert read is not None and read.read and not read.starred
    assert starred is not None and starred.starred and not starred.read
    other = store.article(ids[4])
    assert other is not None and not other.read and other.title.startswith("tech story")
    assert other.body == "Body of tech story 3."
    # Synced articles are searched like any other, and a saved search counts them.
    hits = store.search('"town story 1"')
    assert [hit.title for hit in hits] == ["town story 1"]
    assert hits[0].feed_title == "town feed"
    store.save_search("town", "feed:town")
    assert [(saved.name, saved.total) for saved in store.saved_searches()] == [("town", 3)]


def test_a_second_sync_brings_only_what_is_new_and_what_changed_on_the_server(
    store: Store, coldsweat: ColdsweatServer, feed_host: FeedHost, tmp_path: Path
) -> None:
    url = feed_host.put("/a.xml", stories("a", 10))
    coldsweat.subscribe("News", url)
    add_fever(store, coldsweat, tmp_path)
    engine.sync_account(store, "home")
    feed_host.put("/a.xml", stories("a", 15))
    coldsweat.fetch()
    fever(coldsweat, "", mark="item", id="1", **{"as": "read"})

    report = engine.sync_account(store, "home")

    assert report.new == 5
    assert report.state_changes == 1
    assert len(remote_ids(store)) == 15
    first = store.article(remote_ids(store)[1])
    assert first is not None and first.read
    assert engine.sync_account(store, "home").new == 0


def test_changes_made_here_reach_the_server_and_leave_the_queue(
    store: Store, coldsweat: ColdsweatServer, feed_host: FeedHost, tmp_path: Path
) -> None:
    coldsweat.subscribe("News", feed_host.put("/b.xml", stories("b", 5)))
    add_fever(store, coldsweat, tmp_path)
    engine.sync_account(store, "home")
    ids = remote_ids(store)
    store.set_read(ids[1])
    store.set_starred(ids[2])
    store.set_read(ids[3])
    store.set_read(ids[3], False)  # changed back: the last change is what counts
    account = sync_state.account(store, "home")
    assert account is not None and account.queued == 4

    report = engine.sync_account(store, "home")

    assert report.pushed == 3
    assert unread_on_server(coldsweat) == {2, 3, 4, 5}
    assert saved_on_server(coldsweat) == {2}
    account = sync_state.account(store, "home")
    assert account is not None and account.queued == 0


def test_a_queued_change_wins_over_the_server_state(
    store: Store, coldsweat: ColdsweatServer, feed_host: FeedHost, tmp_path: Path
) -> None:
    coldsweat.subscribe("News", feed_host.put("/c.xml", stories("c", 3)))
    add_fever(store, coldsweat, tmp_path)
    engine.sync_account(store, "home")
    ids = remote_ids(store)
    store.set_read(ids[1])  # read here, offline
    fever(coldsweat, "", mark="item", id="1", **{"as": "saved"})  # starred there meanwhile

    engine.sync_account(store, "home")

    article = store.article(ids[1])
    assert article is not None and article.read and article.starred
    assert 1 not in unread_on_server(coldsweat)


def test_server_text_is_sanitised_like_any_feed(
    store: Store, coldsweat: ColdsweatServer, feed_host: FeedHost, tmp_path: Path
) -> None:
    hostile = rss_feed(
        "Evil\x1b]0;owned\x07 feed",
        [
            (
                "x1",
                "Title \x1b[31mred\x1b[0m",
                '<p>Hi<script>alert(1)</script> <a href="javascript:x">j</a></p>',
            )
        ],
    )
    coldsweat.subscribe("Bad\x1b[2J group", feed_host.put("/evil.xml", hostile))
    add_fever(store, coldsweat, tmp_path)

    engine.sync_account(store, "home")

    (summary,) = store.feeds()
    assert "\x1b" not in summary.feed.title and "\x1b" not in (summary.feed.group or "")
    article = store.article(next(iter(remote_ids(store).values())))
    assert article is not None
    assert "\x1b" not in article.title and "alert" not in article.body
    assert article.links == ()


def test_a_wrong_password_is_one_line_exit_1_and_harms_nothing(
    store: Store,
    coldsweat: ColdsweatServer,
    feed_host: FeedHost,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    coldsweat.subscribe("News", feed_host.put("/d.xml", stories("d", 4)))
    add_fever(store, coldsweat, tmp_path)
    engine.sync_account(store, "home")
    ids = remote_ids(store)
    store.set_read(ids[1])
    wrong = "not the password at all"
    with store.transaction() as db:
        db.execute(
            "UPDATE sync_accounts SET password_command = ?",
            (password_command(tmp_path, wrong),),
        )
    capsys.readouterr()

    status = main(["--db", str(store.path), "sync"])

    err = capsys.readouterr().err
    assert status == 1
    assert err.count("\n") == 1 and "refused the email or password" in err
    assert wrong not in err and coldsweat.password not in err
    assert len(remote_ids(store)) == 4
    account = sync_state.account(store, "home")
    assert account is not None and account.queued == 1


def test_a_server_that_is_gone_is_one_line_and_the_queue_waits(
    store: Store,
    coldsweat: ColdsweatServer,
    feed_host: FeedHost,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    coldsweat.subscribe("News", feed_host.put("/e.xml", stories("e", 4)))
    add_fever(store, coldsweat, tmp_path)
    engine.sync_account(store, "home")
    ids = remote_ids(store)
    coldsweat.stop_web()
    assert main(["--db", str(store.path), "mark", str(ids[2]), "--read"]) == 0
    capsys.readouterr()

    assert main(["--db", str(store.path), "sync", "--json"]) == 1

    (report,) = json.loads(capsys.readouterr().out)
    assert report["ok"] is False and report["error"].startswith("cannot reach 127.0.0.1:")
    article = store.article(ids[2])
    assert article is not None and article.read  # offline-first: the change is here
    coldsweat.start_web()
    assert main(["--db", str(store.path), "sync"]) == 0
    assert 2 not in unread_on_server(coldsweat)


@pytest.mark.parametrize(
    ("body", "status", "reason"),
    [
        (b'{"auth": 1, "feeds": [{"id": "x"}]}', 200, "gave a malformed answer (feed list)"),
        (b"<html>an error page</html>", 200, "gave an answer that is not JSON"),
        (b'["auth"]', 200, "gave a malformed answer (not a Fever reply)"),
        (b"oops", 502, "answered with an error (HTTP 502)"),
    ],
)
def test_a_broken_answer_is_reported_and_nothing_is_stored(
    store: Store, feed_host: FeedHost, tmp_path: Path, body: bytes, status: int, reason: str
) -> None:
    url = feed_host.put("/fever/", body, status)
    sync_state.add_account(store, "odd", "fever", url, "me", password_command(tmp_path, "pw"))
    with pytest.raises(SyncError) as raised:
        engine.sync_account(store, "odd")
    assert str(raised.value) == f"{url.split('/')[2]} {reason}"
    assert store.feeds() == []


def test_accounts_are_added_listed_and_removed_from_the_shell(
    store: Store,
    coldsweat: ColdsweatServer,
    feed_host: FeedHost,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    coldsweat.subscribe("News", feed_host.put("/f.xml", stories("f", 2)))
    db = ["--db", str(store.path)]
    command = password_command(tmp_path, coldsweat.password)
    add = ["sync", "add", "fever", coldsweat.url, "--user", coldsweat.email]
    assert main([*db, *add, "--password-command", command, "--name", "home"]) == 0
    assert main([*db, "sync"]) == 0
    capsys.readouterr()
    assert main([*db, "sync", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert listed == [
        {
            "name": "home",
            "kind": "fever",
            "url": coldsweat.url,
            "user": coldsweat.email,
            "feeds": 1,
            "queued": 0,
            "last_sync": listed[0]["last_sync"],
        }
    ]
    assert listed[0]["last_sync"] is not None
    stored = store.path.read_bytes()
    assert coldsweat.password.encode() not in stored
    assert coldsweat.api_key.encode() not in stored
    assert main([*db, "sync", "remove", "home"]) == 0
    assert store.feeds() == [] and sync_state.accounts(store) == []


def test_an_account_whose_password_fails_is_not_added(
    store: Store, coldsweat: ColdsweatServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    command = password_command(tmp_path, "wrong password")
    args = ["--db", str(store.path), "sync", "add", "fever", coldsweat.url]
    assert main([*args, "--user", coldsweat.email, "--password-command", command]) == 1
    assert "refused the email or password" in capsys.readouterr().err
    assert sync_state.accounts(store) == []
