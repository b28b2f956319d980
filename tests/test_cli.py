"""The ``newsreader`` command as someone at a shell prompt, or a script, uses it."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import types
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsreader.cli import feeds as cli_feeds
from newsreader.cli.main import main
from newsreader.config import Config
from newsreader.feeds.fetch import FetchSettings
from newsreader.store.database import Store

CLI_FIXTURES = Path(__file__).parent / "fixtures" / "cli"
HARBOUR = CLI_FIXTURES / "harbour.rss"
UNLABELLED = CLI_FIXTURES / "unlabelled.atom"
MARKUP = CLI_FIXTURES / "markup.rss"

HEADLINE = "In die Cloud: VW und Amazon gehen Kooperation ein"
TEASER = "VW-Vorstand Herbert Diess hat sich mehrfach mit Amazon-Chef Jeff Bezos getroffen."
SUBHEADINGS = [
    'Diess: "Ich freue mich, gemeinsam die Zukunft zu gestalten"',
    "Vernetzt mit Amazons Hilfe",
    "Schlanker, beweglicher, schneller: VW kooperiert auch mit Microsoft",
    "Innovationszentrum in Berlin geplant",
]


@dataclass
class Run:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


class Shell:
    """Runs ``newsreader`` in-process against one store file."""

    def __init__(self, db: Path, capsys: pytest.CaptureFixture[str]) -> None:
        self.db = db
        self.capsys = capsys

    def __call__(self, *argv: str | Path, db: bool = True) -> Run:
        args = [str(arg) for arg in argv]
        self.capsys.readouterr()
        code = main(["--db", str(self.db), *args] if db else args)
        captured = self.capsys.readouterr()
        return Run(code, captured.out, captured.err)

    def ok(self, *argv: str | Path) -> Run:
        run = self(*argv)
        assert run.code == 0, run.err
        return run


# Feeds are parsed in a thread here; the shell's own worker processes are tested elsewhere.
IN_PROCESS = FetchSettings(connect_timeout=0.5, timeout=2.0, parse_in="thread", trust_env=False)


@pytest.fixture(autouse=True)
def parse_in_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli_feeds, "fetch_settings", lambda *_: IN_PROCESS)


@pytest.fixture
def newsreader(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Shell:
    return Shell(tmp_path / "cli.sqlite3", capsys)


def assert_one_line_error(run: Run) -> None:
    assert run.code == 2
    assert run.out == ""
    lines = run.err.splitlines()
    assert len(lines) == 1, run.err
    assert lines[0].startswith("newsreader: error: ")
    assert "Traceback" not in run.err


# A fresh store shows the bundled story everywhere.


def test_feeds_on_a_fresh_store_list_the_bundled_feed(newsreader: Shell) -> None:
    run = newsreader.ok("feeds")
    assert "NDR Niedersachsen" in run.out
    assert "bundled:ndr-niedersachsen.atom" in run.out


def test_feeds_as_json_give_id_title_source_and_counts(newsreader: Shell) -> None:
    assert newsreader.ok("feeds", "--json").json() == [
        {
            "id": 1,
            "title": "NDR Niedersachsen",
            "source": "bundled:ndr-niedersachsen.atom",
            "account": None,  # a local feed: fetched from its site, not synced
            "group": None,
            "articles": 1,
            "unread": 1,
            "folder": [],
            "hidden": False,
            "last_checked": None,
            "last_state": None,
            "last_error": None,
        }
    ]


def test_articles_list_the_bundled_story(newsreader: Shell) -> None:
    run = newsreader.ok("articles")
    assert "In die Cloud" in run.out
    assert "2019-03-27 20:43" in run.out


def test_articles_as_json_keep_the_sources_utc_offset(newsreader: Shell) -> None:
    assert newsreader.ok("articles", "--json").json() == [
        {
            "id": 1,
            "title": HEADLINE,
            "feed": "NDR Niedersachsen",
            "published": "2019-03-27T20:43:00+01:00",
            "read": False,
            "starred": False,
            "first_seen": None,
        }
    ]


def test_show_prints_the_story_with_marked_subheadings_and_the_feeds_own_labels(
    newsreader: Shell,
) -> None:
    out = newsreader.ok("show", "1").out
    flat = " ".join(out.split())
    assert "Stand: 27.03.2019 20:43 Uhr" in flat
    assert HEADLINE in flat
    assert TEASER in flat
    for heading in SUBHEADINGS:
        assert f"## {heading}" in flat
    assert "Zwei internationale Wirtschaftsriesen" in flat
    order = [
        flat.index(HEADLINE),
        flat.index(SUBHEADINGS[0]),
        flat.index("Weitere Informationen"),
        flat.index("Dieses Thema im Programm:"),
        flat.index("Mehr Nachrichten aus Niedersachsen"),
    ]
    assert order == sorted(order)
    assert "Vernetzung: Volkswagen übernimmt WirelessCar 19.08.2019" in flat
    assert "VW: Schlagabtausch zwischen Osterloh und Diess 20.03.2019" in flat
    assert "NDR 1 Niedersachsen | Regional Braunschweig | 27.03.2019 | 13:30 Uhr" in flat
    assert [line.split()[-1] for line in out.splitlines() if "Hallo Niedersachsen" in line] == [
        "02:52",
        "03:20",
        "04:20",
    ]


def test_show_wraps_to_the_terminal_width(
    newsreader: Shell, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "50")
    lines = newsreader.ok("show", "1").out.splitlines()
    assert max(len(line) for line in lines) <= 50
    assert all(line == line.rstrip() for line in lines), "no padding after the text"
    assert len(lines) > 80


def test_show_as_json_has_exactly_the_documented_shape(newsreader: Shell) -> None:
    article = newsreader.ok("show", "1", "--json").json()
    assert list(article) == [
        "id",
        "title",
        "teaser",
        "body",
        "published",
        "updated",
        "url",
        "body_source",
        "page_url",
        "page_fetched_at",
        "related",
        "programme",
        "media",
        "first_seen",
        "similar",
    ]
    assert article["id"] == 1
    assert article["title"] == HEADLINE
    assert article["teaser"] == TEASER
    assert article["body"].startswith("Zwei internationale Wirtschaftsriesen")
    assert SUBHEADINGS[1] in article["body"]
    assert article["published"] is None
    assert article["updated"] == "2019-03-27T20:43:00+01:00"
    assert article["url"] is None
    assert (article["body_source"], article["page_url"], article["page_fetched_at"]) == (
        "feed",
        None,
        None,
    )
    assert [(item["title"], item["date"]) for item in article["related"]] == [
        ("Vernetzung: Volkswagen übernimmt WirelessCar", "2019-08-19"),
        ("VW: Schlagabtausch zwischen Osterloh und Diess", "2019-03-20"),
    ]
    assert all(
        set(item) == {"title", "teaser", "date", "article_id"} for item in article["related"]
    )
    assert article["related"][0]["teaser"].startswith("Volkswagen kauft den Mehrheitsanteil")
    assert article["programme"] == [
        {
            "station": "NDR 1 Niedersachsen",
            "programme": "Regional Braunschweig",
            "start": "2019-03-27T13:30:00+01:00",
        }
    ]
    assert [item["duration_seconds"] for item in article["media"]] == [172, 200, 260]
    assert all(
        item
        == {
            "title": "Hallo Niedersachsen",
            "duration_seconds": item["duration_seconds"],
            "url": None,
            "kind": "video",
            "type": None,
            "length": None,
        }
        for item in article["media"]
    )


def test_show_falls_back_to_english_labels_when_the_feed_names_none(newsreader: Shell) -> None:
    newsreader.ok("add", UNLABELLED)
    article_id = newsreader.ok("articles", "--json").json()[0]["id"]
    out = newsreader.ok("show", str(article_id)).out
    for label in ("Related", "On air", "More media"):
        assert any(line.startswith(f"{label} ─") for line in out.splitlines()), label
    flat = " ".join(out.split())
    assert "Updated: 2024-05-03 08:00" in flat
    assert "## New date" in flat
    assert "Harbour Radio | Morning Tide | 2024-05-03 | 06:05" in flat
    assert "The whole morning show 1:02:05" in flat


# Search.


def test_search_marks_matches_in_brackets_when_output_is_piped(newsreader: Shell) -> None:
    out = newsreader.ok("search", "Bezos").out
    assert HEADLINE in out
    assert "[Bezos]" in out


def test_search_as_json_gives_plain_snippets_and_where_the_hit_lies(newsreader: Shell) -> None:
    hits = newsreader.ok("search", "Bezos", "--json").json()
    assert len(hits) == 1
    hit = hits[0]
    assert list(hit) == ["id", "title", "feed", "published", "snippet", "related_position"]
    assert hit["id"] == 1
    assert hit["title"] == HEADLINE
    assert hit["feed"] == "NDR Niedersachsen"
    assert hit["published"] == "2019-03-27T20:43:00+01:00"
    assert "Bezos" in hit["snippet"]
    assert "\x02" not in hit["snippet"] and "\x03" not in hit["snippet"]
    assert hit["related_position"] is None


def test_search_finds_related_items_of_the_story(newsreader: Shell) -> None:
    hits = newsreader.ok("search", "WirelessCar", "--json").json()
    assert [(h["id"], h["title"], h["related_position"], h["published"]) for h in hits] == [
        (1, "Vernetzung: Volkswagen übernimmt WirelessCar", 0, "2019-08-19")
    ]
    assert "related item 1 of article 1" in newsreader.ok("search", "WirelessCar").out


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ('"Jeff Bezos"', True),
        ('"Bezos Jeff"', False),
        ("Bezo*", True),
        ("Bezos Dropbox", True),
        ("Bezos Zeppelin", False),
        ("Zeppelin OR Bezos", True),
        ("Bezos -Dropbox", False),
    ],
)
def test_search_speaks_the_query_language(newsreader: Shell, query: str, found: bool) -> None:
    titles = [hit["title"] for hit in newsreader.ok("search", query, "--json").json()]
    assert (HEADLINE in titles) is found


def test_search_limit_caps_the_hits(newsreader: Shell) -> None:
    assert len(newsreader.ok("search", "VW", "--json").json()) > 1
    assert len(newsreader.ok("search", "VW", "--json", "--limit", "1").json()) == 1


# Subscribing to local files.


def test_add_subscribes_to_a_file_and_its_articles_show_up_everywhere(newsreader: Shell) -> None:
    out = newsreader.ok("add", HARBOUR).out
    assert "Harbour Gazette: 2 new, 0 updated, 0 unchanged" in out

    feeds = newsreader.ok("feeds", "--json").json()
    assert [(f["title"], f["source"], f["articles"]) for f in feeds] == [
        ("Harbour Gazette", str(HARBOUR.resolve()), 2)
    ]
    feed_id = feeds[0]["id"]
    articles = newsreader.ok("articles", "--feed", str(feed_id), "--json").json()
    assert [a["title"] for a in articles] == [
        "Lighthouse keeper retires after forty winters",
        "Ferry timetable changes for the summer",
    ]
    assert articles[0]["published"] == "2024-05-02T09:15:00+00:00"
    hits = newsreader.ok("search", "lighthouse", "--json").json()
    assert [hit["id"] for hit in hits] == [articles[0]["id"]]
    assert "Roter Sand" in newsreader.ok("show", str(articles[0]["id"])).out


def test_adding_a_file_again_finds_it_unchanged(newsreader: Shell) -> None:
    newsreader.ok("add", HARBOUR)
    assert "Harbour Gazette: unchanged (same content)" in newsreader.ok("add", HARBOUR).out
    feeds = newsreader.ok("feeds", "--json").json()
    assert [(feed["title"], feed["articles"]) for feed in feeds] == [("Harbour Gazette", 2)]


def test_articles_limit_and_feed_filter(newsreader: Shell) -> None:
    newsreader.ok("add", HARBOUR, UNLABELLED)
    assert len(newsreader.ok("articles", "--json").json()) == 3
    assert len(newsreader.ok("articles", "--json", "--limit", "2").json()) == 2


def test_feed_text_is_printed_as_text_never_as_console_markup(newsreader: Shell) -> None:
    newsreader.ok("add", MARKUP)
    listing = newsreader.ok("articles").out.replace("\n", "")
    assert "[link=https://evil.example]" in listing.replace(" ", "")
    assert ":skull:" in listing
    shown = newsreader.ok("show", newsreader.ok("articles", "--json").json()[0]["id"]).out
    assert "[bold red]Loud[/] :warning: Feed" in shown
    assert "[blink]Square brackets[/blink] are just text." in shown


@pytest.mark.parametrize(
    "source", ["ftp://ftp.example.org/feed.xml", "javascript:alert(1)", "file:///etc/passwd"]
)
def test_a_source_that_is_neither_http_nor_a_file_is_refused_in_one_line(
    newsreader: Shell, source: str
) -> None:
    run = newsreader("add", source)
    assert_one_line_error(run)
    assert "only http and https URLs and local feed files" in run.err


def test_one_bad_file_does_not_stop_the_others(newsreader: Shell, tmp_path: Path) -> None:
    run = newsreader("add", tmp_path / "missing.xml", HARBOUR)
    assert run.code == 2
    assert "Harbour Gazette: 2 new" in run.out
    assert run.err.splitlines() == [f"newsreader: error: {tmp_path / 'missing.xml'}: no such file"]


# Mistakes end in one line and exit status 2.


@pytest.mark.parametrize(
    "argv",
    [
        ["show", "999"],
        ["show", "abc"],
        ["articles", "--feed", "42"],
        ["articles", "--limit", "0"],
        ["add", "no-such-feed.xml"],
        ["add", str(CLI_FIXTURES)],
        ["search", '"unclosed'],
        ["search", "-only"],
        ["frobnicate"],
        ["feeds", "--colour"],
        ["--colour"],
        ["add"],
    ],
    ids=" ".join,
)
def test_mistakes_give_one_line_and_exit_status_2(newsreader: Shell, argv: list[str]) -> None:
    assert_one_line_error(newsreader(*argv))


def test_an_unclosed_quote_says_how_to_fix_it(newsreader: Shell) -> None:
    run = newsreader("search", '"unclosed')
    assert_one_line_error(run)
    assert "quote" in run.err


def test_a_file_that_is_not_a_store_is_reported_not_damaged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    junk = tmp_path / "notes.txt"
    junk.write_bytes(b"shopping list: bread, milk\n" * 200)
    run = Shell(junk, capsys)("feeds")
    assert_one_line_error(run)
    assert str(junk) in run.err
    assert junk.read_bytes() == b"shopping list: bread, milk\n" * 200


def test_a_directory_as_the_store_is_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert_one_line_error(Shell(tmp_path, capsys)("articles"))


def test_a_store_from_a_newer_newsreader_is_refused(newsreader: Shell) -> None:
    newsreader.ok("feeds")
    store = Store(newsreader.db)
    store.connection().execute("PRAGMA user_version = 999")
    store.close()
    run = newsreader("feeds")
    assert_one_line_error(run)
    assert "newer" in run.err


def test_help_still_prints_the_full_usage(newsreader: Shell) -> None:
    run = newsreader("--help", db=False)
    assert run.code == 0
    for command in ("add", "refresh", "remove", "opml", "feeds", "articles", "show", "search"):
        assert command in run.out
    assert "--db" in run.out and "--version" in run.out
    assert "exit status" in run.out
    run = newsreader("search", "--help", db=False)
    assert run.code == 0
    assert "--limit" in run.out


def test_version(newsreader: Shell) -> None:
    run = newsreader("--version", db=False)
    assert (run.code, run.out.strip()) == (0, "newsreader 0.1.0")


# Where the data lives.


def test_the_store_named_by_newsreader_db_is_used_without_db_option(newsreader: Shell) -> None:
    default = Path(os.environ["NEWSREADER_DB"])
    assert not default.exists()
    run = newsreader("feeds", "--json", db=False)
    assert run.code == 0
    assert run.json()[0]["title"] == "NDR Niedersachsen"
    assert default.is_file()
    assert not newsreader.db.exists()


def test_db_may_follow_the_subcommand(newsreader: Shell, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere.sqlite3"
    run = newsreader("add", HARBOUR, "--db", str(elsewhere), db=False)
    assert run.code == 0
    assert elsewhere.is_file()
    assert not Path(os.environ["NEWSREADER_DB"]).exists()


# Starting the reader.


def test_no_command_starts_the_reader_on_the_bundled_story(
    newsreader: Shell, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    started: list[tuple[list[str], int, list[str]]] = []

    class FakeApp:
        return_code = 0

        def __init__(
            self,
            store: Store,
            config: Config,
            config_problems: Sequence[str] = (),
            graphics: bool = False,
            image_cache: Path | None = None,
        ) -> None:
            self.store, self.config, self.problems = store, config, list(config_problems)
            # Not a terminal that may show Kitty graphics: it was not even asked.
            assert graphics is False

        def run(self) -> None:
            titles = [summary.feed.title for summary in self.store.feeds()]
            started.append((titles, self.config.ui.article_width, self.problems))

    module = types.ModuleType("newsreader.ui.app")
    module.NewsreaderApp = FakeApp  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "newsreader.ui.app", module)
    assert newsreader().code == 0
    assert started == [(["NDR Niedersachsen"], 90, [])]

    # The settings file in effect reaches the app; a bad value is passed on, not fatal.
    settings = tmp_path / "settings.toml"
    settings.write_text("[ui]\narticle_width = 60\nlanguage = 5\n", encoding="utf-8")
    assert newsreader("--config", settings).code == 0
    _titles, width, problems = started[-1]
    assert width == 60
    assert len(problems) == 1
    assert "ui.language" in problems[0]


def test_the_subcommands_never_load_textual(tmp_path: Path) -> None:
    script = (
        "import sys\n"
        "from newsreader.cli.main import main\n"
        f"code = main(['--db', {str(tmp_path / 'x.sqlite3')!r}, 'search', 'Bezos'])\n"
        "assert code == 0, code\n"
        "print(sorted({name.split('.')[0] for name in sys.modules} & {'textual'}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.splitlines()[-1] == "[]"


def test_a_long_upgrade_of_a_large_store_is_announced_once(
    newsreader: Shell, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsreader.cli import main as cli

    newsreader.ok("feeds")  # a new store: nothing to say
    monkeypatch.setattr(cli, "UPGRADE_NOTICE_ARTICLES", 1)
    assert "updating the store" not in newsreader.ok("feeds").err
    # A newer stemmer means rebuilding the word-form index, as a new schema means migrating.
    connection = sqlite3.connect(newsreader.db)
    connection.execute("UPDATE search_meta SET value = 'older' WHERE key = 'forms_version'")
    connection.commit()
    connection.close()
    first = newsreader.ok("feeds")
    assert "newsreader: updating the store of 1 articles" in first.err
    assert "newsreader: updating the store: step 1 of 1, 0 s…" in first.err
    assert "updating the store" not in newsreader.ok("feeds").err


def test_a_long_migration_shows_its_steps(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from newsreader.cli import main as cli
    from newsreader.store.schema import LATEST_VERSION, migrate

    monkeypatch.setattr(cli, "UPGRADE_NOTICE_ARTICLES", 1)
    path = tmp_path / "old.sqlite3"
    connection = sqlite3.connect(path)
    migrate(connection, target=LATEST_VERSION - 2)  # two migrations behind
    connection.execute("INSERT INTO feeds (id, source, title, added_at) VALUES (1, 'a', 'A', '1')")
    connection.execute("INSERT INTO articles (feed_id, guid, title) VALUES (1, 'g', 'T')")
    connection.commit()
    connection.close()
    done = Shell(path, capsys).ok("feeds")
    steps = [line for line in done.err.splitlines() if ": step " in line]
    assert steps[:2] == [
        "newsreader: updating the store: step 1 of 3, 0 s…",
        "newsreader: updating the store: step 2 of 3, 0 s…",
    ]


def test_a_store_named_by_a_relative_path_opens_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The second start found the store there and looked at it through a file URI, which
    a relative path cannot be: it ended in a traceback."""
    monkeypatch.chdir(tmp_path)
    shell = Shell(Path("relative.sqlite3"), capsys)
    shell.ok("feeds")
    again = shell.ok("feeds")
    assert "NDR Niedersachsen" in again.out
    assert (tmp_path / "relative.sqlite3").is_file()


def test_an_upgrade_is_pending_for_an_older_store_only(tmp_path: Path) -> None:
    from newsreader.store.schema import migrate, upgrade_pending

    connection = sqlite3.connect(tmp_path / "old.sqlite3")
    assert not upgrade_pending(connection)  # new and empty
    migrate(connection, target=7)
    assert upgrade_pending(connection)
    migrate(connection)
    assert not upgrade_pending(connection)
    connection.close()


def test_the_collector_is_off_while_starting_and_on_for_the_work(
    newsreader: Shell, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gc

    from newsreader.cli import main as cli

    seen: list[tuple[str, bool]] = []
    real_open = cli._open_store

    def opening(path: Path) -> Any:
        seen.append(("opening the store", gc.isenabled()))
        return real_open(path)

    def feeds(args: Any, store: Any) -> int:
        seen.append(("the command", gc.isenabled()))
        return 0

    monkeypatch.setattr(cli, "_open_store", opening)
    monkeypatch.setattr(cli, "_feeds", feeds)
    assert gc.isenabled()
    newsreader.ok("feeds")
    assert seen == [("opening the store", False), ("the command", True)]
    assert gc.isenabled()


OPTIONS = [
    "--db",
    "--config",
    "--image-cache",
    "--dbx",
    "--d",
    "--conf",
    "--image",
    "-h",
    "--version",
    "feeds",
    "--",
]
VALUES = ["x.sqlite3", "c.toml", "-", "-z", "", "a b", "feeds"]


@st.composite
def command_lines(draw: st.DrawFn) -> list[str]:
    """Options with values, as --option VALUE or --option=VALUE, near misses among them."""
    argv: list[str] = []
    for option, value, joined in draw(
        st.lists(st.tuples(st.sampled_from(OPTIONS), st.sampled_from(VALUES), st.booleans()))
    ):
        argv += [f"{option}={value}"] if joined else [option, value]
    return argv + draw(st.lists(st.sampled_from(OPTIONS + VALUES), max_size=1))


@settings(max_examples=400, deadline=None)
@given(command_lines())
def test_a_plain_start_is_read_as_argparse_reads_it(argv: list[str]) -> None:
    """Starting the reader skips building the command line; whatever that shortcut reads,
    argparse reads the same way, and whatever else there is goes to argparse."""
    from newsreader.cli import main as cli

    plain = cli._plain_start(argv)
    if plain is None:
        return
    parsed = cli.full_parser().parse_args(argv)
    assert vars(parsed) == vars(plain)


def test_the_usual_starts_take_the_shortcut() -> None:
    from newsreader.cli import main as cli

    for argv in ([], ["--db", "a.sqlite3"], ["--config=c.toml", "--db", "b", "--image-cache=p"]):
        assert cli._plain_start(argv) is not None
    for argv in (["--help"], ["feeds"], ["--db"], ["--db", "--config", "c"], ["--version"]):
        assert cli._plain_start(argv) is None


def test_starting_the_reader_does_not_load_argparse(tmp_path: Path) -> None:
    script = (
        "import sys\n"
        "from newsreader.cli import main as cli\n"
        "cli._run_app = lambda store, config=None, pictures=None: "
        "print('argparse' in sys.modules) or 0\n"
        f"raise SystemExit(cli.main(['--db', {str(tmp_path / 'plain.sqlite3')!r}]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == "False"


def test_show_names_the_time_of_a_german_article_in_german(
    newsreader: Shell, tmp_path: Path
) -> None:
    feed = tmp_path / "lokal.rss"
    feed.write_text(
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        "<title>Lokalblatt</title><link>https://example.org/</link><language>de</language>"
        "<item><title>Hafenfest verschoben</title><guid>hafenfest</guid>"
        "<pubDate>Mon, 01 Jun 2020 07:30:00 +0200</pubDate>"
        "<description>Das Fest findet im Juli statt.</description></item>"
        "</channel></rss>",
        encoding="utf-8",
    )
    newsreader.ok("add", feed)
    article_id = next(
        a["id"]
        for a in newsreader.ok("articles", "--json").json()
        if a["title"] == "Hafenfest verschoben"
    )
    flat = " ".join(newsreader.ok("show", str(article_id)).out.split())
    assert "Veröffentlicht: " in flat and "Uhr" in flat
    assert "Published:" not in flat
