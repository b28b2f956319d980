"""Following real feeds from a shell: add, refresh, remove, and OPML in and out.

Every feed here is served by a server the tests start on 127.0.0.1; nothing leaves the machine.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from httpserver import FeedServer, Reply, Request, atom, http_date, numbered_items, rss
from shared_paths import SHARED_CORPUS
from test_cli import CLI_FIXTURES, HARBOUR, Run, Shell, assert_one_line_error

from newsreader.cli import feeds as cli_feeds
from newsreader.feeds.fetch import FetchSettings
from newsreader.feeds.fetchstate import Folder, folders
from newsreader.store.database import Store

SUBSCRIPTIONS = CLI_FIXTURES / "subscriptions.opml"
NEWSBOAT = SHARED_CORPUS / "newsboat" / "test" / "data"
NEWSBOAT_FILES = [
    "example.opml",
    "example2.opml",
    "test-urls+.opml",
    "piped.opml",
    "filtered.opml",
    "category.opml",
]
SETTINGS = FetchSettings(connect_timeout=0.5, timeout=2.0, parse_in="thread", trust_env=False)


@pytest.fixture(autouse=True)
def parse_in_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli_feeds, "fetch_settings", lambda *_: SETTINGS)


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as running:
        yield running


@pytest.fixture
def newsreader(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Shell:
    return Shell(tmp_path / "cli.sqlite3", capsys)


def subscriptions(db: Path) -> set[tuple[str, str, Folder]]:
    """Every subscription in a store file as (source, title, folder)."""
    store = Store(db)
    try:
        folder_of = folders(store)
        return {
            (summary.feed.source, summary.feed.title, folder_of.get(summary.feed.id or 0, ()))
            for summary in store.feeds()
        }
    finally:
        store.close()


def feed_id(newsreader: Shell, title: str) -> int:
    ids = [feed["id"] for feed in newsreader.ok("feeds", "--json").json() if feed["title"] == title]
    assert len(ids) == 1, ids
    return int(ids[0])


def failed_lines(run: Run) -> list[str]:
    return [line for line in run.out.splitlines() if ": failed: " in line]


# add


def test_add_url_subscribes_under_the_feeds_own_title_and_its_articles_show_up(
    newsreader: Shell, server: FeedServer
) -> None:
    url = server.route("/post.rss", Reply(200, rss("Morning Post", numbered_items(3))))
    run = newsreader.ok("add", url)
    assert run.out.startswith("Morning Post: 3 new, 0 updated, 0 unchanged (feed ")
    assert run.err == ""
    feeds = newsreader.ok("feeds", "--json").json()
    assert [(feed["title"], feed["source"], feed["articles"]) for feed in feeds] == [
        ("Morning Post", url, 3)
    ]
    assert feeds[0]["last_state"] == "fetched"
    listed = newsreader.ok("articles", "--json").json()
    assert sorted(article["title"] for article in listed) == ["Story 0", "Story 1", "Story 2"]
    hits = newsreader.ok("search", "story", "--json").json()
    assert {hit["id"] for hit in hits} == {article["id"] for article in listed}


def test_add_takes_urls_and_files_together(newsreader: Shell, server: FeedServer) -> None:
    url = server.route("/log.atom", Reply(200, atom("Ship Log", [{"id": "l1", "title": "Aye"}])))
    out = newsreader.ok("add", url, HARBOUR).out
    assert out.splitlines()[0].startswith("Ship Log: 1 new")
    assert out.splitlines()[1].startswith("Harbour Gazette: 2 new")


def test_add_a_url_that_answers_404_reports_it_and_subscribes_nothing(
    newsreader: Shell, server: FeedServer
) -> None:
    run = newsreader("add", server.url("/gone.rss"))
    assert run.code == 1
    assert run.out == ""
    assert run.err.splitlines() == [
        f"newsreader: error: {server.url('/gone.rss')}: HTTP 404 Not Found"
    ]
    assert subscriptions(newsreader.db) == set()


def test_add_one_failing_url_does_not_stop_the_others(
    newsreader: Shell, server: FeedServer, tmp_path: Path
) -> None:
    not_a_feed = tmp_path / "notes.txt"
    not_a_feed.write_text("shopping list: bread, milk\n")
    run = newsreader("add", server.url("/gone.rss"), HARBOUR, not_a_feed)
    assert run.code == 1
    assert run.out.startswith("Harbour Gazette: 2 new")
    errors = run.err.splitlines()
    assert len(errors) == 2
    assert errors[0].endswith("/gone.rss: HTTP 404 Not Found")
    assert errors[1].startswith(f"newsreader: error: {not_a_feed}: ")
    assert {title for _, title, _ in subscriptions(newsreader.db)} == {"Harbour Gazette"}


def test_a_mistake_on_the_command_line_outranks_a_failed_fetch(
    newsreader: Shell, server: FeedServer, tmp_path: Path
) -> None:
    run = newsreader("add", server.url("/gone.rss"), tmp_path / "missing.rss")
    assert run.code == 2
    assert len(run.err.splitlines()) == 2


# refresh


@pytest.fixture
def two_feeds(newsreader: Shell, server: FeedServer) -> dict[str, str]:
    """A news feed and a blog, subscribed and fetched once."""
    urls = {
        "news": server.route("/news.rss", Reply(200, rss("Town News", numbered_items(2)))),
        "blog": server.route(
            "/blog.atom", Reply(200, atom("Quay Blog", [{"id": "b1", "title": "Hi"}]))
        ),
    }
    newsreader.ok("add", *urls.values())
    return urls


def test_refresh_says_per_feed_what_was_new_and_what_failed(
    newsreader: Shell, server: FeedServer, two_feeds: dict[str, str]
) -> None:
    server.route("/news.rss", Reply(200, rss("Town News", numbered_items(3))))
    server.route("/blog.atom", Reply(500))
    run = newsreader("refresh")
    assert run.code == 1
    assert run.out.splitlines() == [
        "Quay Blog: failed: HTTP 500 Internal Server Error",
        "Town News: 1 new, 0 updated, 2 unchanged",
    ]
    assert run.err.splitlines() == ["newsreader: error: 1 of 2 feeds could not be refreshed"]


def test_refresh_with_nothing_new_succeeds_and_says_so(
    newsreader: Shell, server: FeedServer, two_feeds: dict[str, str]
) -> None:
    def not_modified(request: Request) -> Reply:
        if request.headers.get("If-None-Match") == '"v1"':
            return Reply(304)
        return Reply(200, atom("Quay Blog", [{"id": "b1", "title": "Hi"}]), {"ETag": '"v1"'})

    server.route("/blog.atom", not_modified)
    newsreader.ok("refresh")
    run = newsreader("refresh")
    assert (run.code, run.err) == (0, "")
    assert run.out.splitlines() == [
        "Quay Blog: not modified",
        "Town News: unchanged (same content)",
    ]


def test_a_feed_the_server_asked_to_wait_for_is_skipped_without_failing(
    newsreader: Shell, server: FeedServer, two_feeds: dict[str, str]
) -> None:
    in_an_hour = (datetime.now(UTC) + timedelta(hours=1)).replace(microsecond=0)
    server.route("/blog.atom", Reply(503, headers={"Retry-After": http_date(in_an_hour)}))
    assert newsreader("refresh").code == 1
    hits = server.hits["/blog.atom"]
    run = newsreader("refresh")
    assert run.code == 0
    assert f"Quay Blog: skipped until {in_an_hour:%Y-%m-%d %H:%M} UTC" in run.out
    assert server.hits["/blog.atom"] == hits, "not asked again"


def test_refresh_as_json_gives_every_feeds_outcome(
    newsreader: Shell, server: FeedServer, two_feeds: dict[str, str]
) -> None:
    in_an_hour = (datetime.now(UTC) + timedelta(hours=1)).replace(microsecond=0)
    server.route("/blog.atom", Reply(503, headers={"Retry-After": http_date(in_an_hour)}))
    server.route("/news.rss", Reply(200, rss("Town News", numbered_items(4))))
    run = newsreader("refresh", "--json")
    assert (run.code, run.err) == (1, "")
    blog, news = run.json()
    assert list(blog) == [
        "id",
        "title",
        "source",
        "state",
        "new",
        "updated",
        "unchanged",
        "message",
        "retry_at",
    ]
    assert blog["id"] == feed_id(newsreader, "Quay Blog")
    assert (blog["title"], blog["source"], blog["state"]) == (
        "Quay Blog",
        two_feeds["blog"],
        "failed",
    )
    assert blog["message"].startswith("HTTP 503 Service Unavailable; the next try waits until")
    assert blog["retry_at"] == in_an_hour.isoformat()
    assert datetime.fromisoformat(blog["retry_at"]).utcoffset() == timedelta(0)
    assert news == {
        "id": feed_id(newsreader, "Town News"),
        "title": "Town News",
        "source": two_feeds["news"],
        "state": "fetched",
        "new": 2,
        "updated": 0,
        "unchanged": 2,
        "message": "",
        "retry_at": None,
    }


@pytest.mark.parametrize("how", ["id", "url", "title"])
def test_refresh_only_the_feed_named_by_id_url_or_title(
    newsreader: Shell, server: FeedServer, two_feeds: dict[str, str], how: str
) -> None:
    name = {
        "id": str(feed_id(newsreader, "Quay Blog")),
        "url": two_feeds["blog"],
        "title": "qUAY bLOG",
    }[how]
    before = dict(server.hits)
    outcomes = newsreader.ok("refresh", name, "--json").json()
    assert [outcome["title"] for outcome in outcomes] == ["Quay Blog"]
    assert server.hits["/blog.atom"] == before["/blog.atom"] + 1
    assert server.hits["/news.rss"] == before["/news.rss"]


def test_refresh_a_local_file_by_its_relative_path(
    newsreader: Shell, monkeypatch: pytest.MonkeyPatch
) -> None:
    newsreader.ok("add", HARBOUR)
    monkeypatch.chdir(HARBOUR.parent)
    assert newsreader.ok("refresh", HARBOUR.name).out.startswith("Harbour Gazette: ")


@pytest.mark.parametrize("name", ["Nonesuch", "99", "http://127.0.0.1:9/other.rss", ""])
def test_refresh_an_unknown_feed_is_a_one_line_mistake(
    newsreader: Shell, two_feeds: dict[str, str], name: str
) -> None:
    run = newsreader("refresh", "Quay Blog", name)
    assert_one_line_error(run)
    assert "no feed has the id, source or title" in run.err


def test_two_feeds_with_one_title_must_be_named_by_id(
    newsreader: Shell, server: FeedServer
) -> None:
    newsreader.ok(
        "add",
        server.route("/a.rss", Reply(200, rss("Daily", numbered_items(1, "A")))),
        server.route("/b.rss", Reply(200, rss("Daily", numbered_items(1, "B")))),
    )
    run = newsreader("refresh", "daily")
    assert_one_line_error(run)
    assert "2 feeds are titled 'daily'" in run.err


def test_feed_text_in_the_summary_is_never_console_markup(
    newsreader: Shell, server: FeedServer
) -> None:
    title = "[bold red]Loud[/] :skull: News"
    newsreader.ok("add", server.route("/loud.rss", Reply(200, rss(title, numbered_items(1)))))
    assert newsreader.ok("refresh").out.splitlines() == [f"{title}: unchanged (same content)"]


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_progress_bar_shows_only_on_a_terminal(
    newsreader: Shell,
    server: FeedServer,
    two_feeds: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert newsreader.ok("refresh").err == "", "no bar when stderr is not a terminal"
    for name in ("FORCE_COLOR", "TTY_COMPATIBLE", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)
    terminal = FakeTerminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    newsreader.ok("refresh", "--json")
    assert terminal.getvalue() == "", "no bar with --json"
    newsreader.ok("refresh")
    drawn = terminal.getvalue()
    assert "Fetching" in drawn
    assert "2/2" in drawn


# remove


def test_remove_takes_the_feed_and_its_articles_away(
    newsreader: Shell, two_feeds: dict[str, str]
) -> None:
    assert newsreader.ok("search", "story", "--json").json()
    blog = feed_id(newsreader, "Quay Blog")
    run = newsreader.ok("remove", "Town News")
    assert run.out.startswith("Removed Town News (feed ") and run.out.endswith(" and 2 articles\n")
    assert [feed["title"] for feed in newsreader.ok("feeds", "--json").json()] == ["Quay Blog"]
    assert {article["feed"] for article in newsreader.ok("articles", "--json").json()} == {
        "Quay Blog"
    }
    assert newsreader.ok("search", "story", "--json").json() == []
    assert newsreader.ok("remove", str(blog)).out.startswith("Removed Quay Blog")
    assert_one_line_error(newsreader("remove", "Town News"))


# OPML


def test_opml_import_subscribes_with_folders_and_lists_what_it_ignored(
    newsreader: Shell, server: FeedServer
) -> None:
    run = newsreader.ok("opml", "import", SUBSCRIPTIONS)
    lines = run.out.splitlines()
    assert lines[0] == "Subscribed to 3 new feeds; `newsreader refresh` fetches them."
    assert lines[1:] == [
        "Ignored 1 outline:",
        "  Free prizes <javascript:alert(document.cookie)>: "
        "only http and https feeds can be imported",
    ]
    assert subscriptions(newsreader.db) == {
        ("https://gazette.example.org/feed.rss", "Harbour Gazette", ()),
        ("https://coastguard.example.org/notices.atom", "Coast Guard notices", ("News",)),
        ("https://ferry.example.net/news.xml", "Ferry company", ("News", "Local")),
    }
    assert newsreader.ok("articles", "--json").json() == [], "nothing fetched yet"
    again = newsreader.ok("opml", "import", SUBSCRIPTIONS).out
    assert again.startswith("Subscribed to 0 new feeds (3 of the 3 listed already subscribed).")


def test_opml_export_and_import_into_a_new_store_gives_the_same_subscriptions(
    newsreader: Shell, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    newsreader.ok("opml", "import", SUBSCRIPTIONS)
    newsreader.ok("add", HARBOUR)  # a local file: other readers could not open it
    exported = newsreader.ok("opml", "export").out
    assert exported.startswith("<?xml")
    assert str(HARBOUR) not in exported

    written = tmp_path / "out" / "subscriptions.opml"
    written.parent.mkdir()
    run = newsreader.ok("opml", "export", written)
    assert run.out == f"Exported 3 feeds to {written} (1 local feed left out)\n"

    expected = subscriptions(newsreader.db) - {(str(HARBOUR), "Harbour Gazette", ())}
    for number, source in enumerate([exported, written.read_text()]):
        copy = tmp_path / f"copy{number}.opml"
        copy.write_text(source)
        fresh = Shell(tmp_path / f"fresh{number}.sqlite3", capsys)
        assert fresh.ok("opml", "import", copy).out.startswith("Subscribed to 3 new feeds")
        assert subscriptions(fresh.db) == expected


def test_opml_can_come_from_stdin(newsreader: Shell, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(SUBSCRIPTIONS.read_bytes())))
    assert newsreader.ok("opml", "import", "-").out.startswith("Subscribed to 3 new feeds")
    assert len(subscriptions(newsreader.db)) == 3


def test_opml_import_then_refresh_fetches_under_the_feeds_own_titles(
    newsreader: Shell, server: FeedServer, tmp_path: Path
) -> None:
    url = server.route("/news.rss", Reply(200, rss("Town News", numbered_items(2))))
    listing = tmp_path / "list.opml"
    listing.write_text(
        '<opml version="2.0"><body><outline text="Local">'
        f'<outline text="placeholder" xmlUrl="{url}"/></outline></body></opml>'
    )
    newsreader.ok("opml", "import", listing)
    assert server.hits["/news.rss"] == 0
    assert newsreader.ok("refresh").out == "Town News: 2 new, 0 updated, 0 unchanged\n"
    assert subscriptions(newsreader.db) == {(url, "Town News", ("Local",))}
    table = newsreader.ok("feeds").out
    assert "FOLDER" in table.splitlines()[0]
    assert "Local" in table


@pytest.mark.parametrize(
    ("content", "status"),
    [
        (None, 2),
        ("<opml><head/></opml>", 1),
        ('<!DOCTYPE x [<!ENTITY e "boom">]><opml><body/></opml>', 1),
        ("not xml at all", 1),
    ],
    ids=["missing", "no body", "entities", "not xml"],
)
def test_an_opml_file_that_cannot_be_imported_is_one_line(
    newsreader: Shell, tmp_path: Path, content: str | None, status: int
) -> None:
    path = tmp_path / "broken.opml"
    if content is not None:
        path.write_text(content)
    run = newsreader("opml", "import", path)
    assert (run.code, run.out) == (status, "")
    assert len(run.err.splitlines()) == 1 and str(path) in run.err
    assert subscriptions(newsreader.db) == set()


@pytest.mark.skipif(not NEWSBOAT.is_dir(), reason="the shared newsboat corpus is not here")
@pytest.mark.parametrize("name", NEWSBOAT_FILES)
def test_newsboat_opml_files_survive_a_round_trip(
    newsreader: Shell, tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    newsreader.ok("opml", "import", NEWSBOAT / name)
    imported = subscriptions(newsreader.db)
    assert imported
    exported = tmp_path / "exported.opml"
    newsreader.ok("opml", "export", exported)
    fresh = Shell(tmp_path / "fresh.sqlite3", capsys)
    fresh.ok("opml", "import", exported)
    assert subscriptions(fresh.db) == imported


def test_the_opml_command_needs_an_action(newsreader: Shell) -> None:
    assert_one_line_error(newsreader("opml"))


# articles and feeds


def test_articles_unread_and_starred(newsreader: Shell) -> None:
    newsreader.ok("add", HARBOUR)
    lighthouse, ferry = (article["id"] for article in newsreader.ok("articles", "--json").json())
    store = Store(newsreader.db)
    store.set_read(lighthouse)
    store.set_starred(ferry)
    store.close()

    def ids(*flags: str) -> list[int]:
        return [article["id"] for article in newsreader.ok("articles", "--json", *flags).json()]

    assert ids("--unread") == [ferry]
    assert ids("--starred") == [ferry]
    assert ids("--unread", "--starred") == [ferry]
    harbour = str(feed_id(newsreader, "Harbour Gazette"))
    assert ids("--starred", "--feed", harbour) == [ferry]
    listed = newsreader.ok("articles", "--json").json()
    assert [(a["read"], a["starred"]) for a in listed] == [(True, False), (False, True)]
    assert "★ Ferry timetable changes" in newsreader.ok("articles", "--starred").out
    unread = [feed["unread"] for feed in newsreader.ok("feeds", "--json").json()]
    assert unread == [1]


def test_feeds_show_the_last_error_until_a_refresh_works(
    newsreader: Shell, server: FeedServer, two_feeds: dict[str, str]
) -> None:
    server.route("/blog.atom", Reply(404))
    newsreader("refresh")
    listed = {feed["title"]: feed for feed in newsreader.ok("feeds", "--json").json()}
    assert (listed["Quay Blog"]["last_state"], listed["Quay Blog"]["last_error"]) == (
        "failed",
        "HTTP 404 Not Found",
    )
    assert listed["Town News"]["last_error"] is None
    table = newsreader.ok("feeds").out
    assert "LAST ERROR" in table and "HTTP 404 Not Found" in table
    server.route("/blog.atom", Reply(200, atom("Quay Blog", [{"id": "b2", "title": "Back"}])))
    newsreader.ok("refresh")
    assert "LAST ERROR" not in newsreader.ok("feeds").out


# From a real shell, with feeds parsed in worker processes.


def test_the_installed_command_refreshes_with_worker_processes(
    server: FeedServer, tmp_path: Path
) -> None:
    url = server.route("/news.rss", Reply(200, rss("Town News", numbered_items(2))))
    env = {
        name: value
        for name, value in os.environ.items()
        if name.lower() not in {"http_proxy", "https_proxy", "all_proxy"}
    }
    env["NO_PROXY"] = env["no_proxy"] = "127.0.0.1"
    db = str(tmp_path / "shell.sqlite3")
    done = subprocess.run(
        [sys.executable, "-m", "newsreader", "--db", db, "add", url],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.startswith("Town News: 2 new")
    server.route("/news.rss", Reply(200, rss("Town News", numbered_items(3))))
    done = subprocess.run(
        [sys.executable, "-m", "newsreader", "refresh", "--db", db],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == "Town News: 1 new, 0 updated, 2 unchanged\n"


def test_a_refresh_with_nothing_to_parse_loads_no_parser_and_no_certificates(
    server: FeedServer, tmp_path: Path
) -> None:
    """A command line refresh pays its start every time: a refresh of feeds that answer
    304 neither imports a parser, nor reads the certificates (http only), nor starts workers,
    nor loads httpx's own command line."""
    url = server.route("/news.rss", Reply(200, rss("Town News", numbered_items(2))))
    db = tmp_path / "warm.sqlite3"
    env = {
        name: value
        for name, value in os.environ.items()
        if name.lower() not in {"http_proxy", "https_proxy", "all_proxy"}
    }
    assert subprocess.run(
        [sys.executable, "-m", "newsreader", "--db", str(db), "add", url],
        capture_output=True,
        timeout=120,
        env=env,
        check=True,
    )
    server.route("/news.rss", Reply(304))
    script = (
        "import sys, multiprocessing.process as mp\n"
        "from newsreader.cli.main import main\n"
        f"status = main(['--db', {str(db)!r}, 'refresh'])\n"
        "from newsreader.feeds.fetch import tls_context\n"
        "loaded = [name for name in ('feedparser', 'newsreader.feeds.ingest',\n"
        "    'newsreader.feeds.fastparse.parse', 'click', 'pygments') if name in sys.modules]\n"
        "certificates = sum(tls_context(trust).cert_store_stats()['x509_ca'] for trust in (0, 1))\n"
        "print(status, loaded, certificates,\n"
        "    len(mp.active_children()), file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, env=env
    )
    assert done.stdout == "Town News: not modified\n"
    assert done.stderr.strip() == "0 [] 0 0"


def test_an_import_that_moves_a_feed_into_a_folder_says_so(newsreader: Shell) -> None:
    opml = Path(__file__).parent / "fixtures" / "opml"
    first = newsreader.ok("opml", "import", opml / "flat.opml").out
    assert "Moved" not in first
    again = " ".join(newsreader.ok("opml", "import", opml / "nested.opml").out.split())
    assert "Moved Tagesschau from no folder to News." in again
    assert "Moved NDR Niedersachsen from no folder to News / Regional." in again
    unchanged = newsreader.ok("opml", "import", opml / "nested.opml").out
    assert "Moved" not in unchanged
