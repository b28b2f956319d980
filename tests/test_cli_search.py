"""``newsreader search`` and ``newsreader searches``: the search language at a shell prompt."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from newsreader.cli.main import main

HEADLINE = "In die Cloud: VW und Amazon gehen Kooperation ein"
HARBOUR = Path(__file__).parent / "fixtures" / "cli" / "harbour.rss"


class Shell:
    def __init__(self, db: Path, capsys: pytest.CaptureFixture[str]) -> None:
        self.db = db
        self.capsys = capsys

    def __call__(self, *argv: str) -> tuple[int, str, str]:
        self.capsys.readouterr()
        code = main(["--db", str(self.db), *argv])
        captured = self.capsys.readouterr()
        return code, captured.out, captured.err

    def ok(self, *argv: str) -> str:
        code, out, err = self(*argv)
        assert code == 0, err
        return out


@pytest.fixture
def newsreader(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Shell:
    return Shell(tmp_path / "cli.sqlite3", capsys)


def hit_titles(newsreader: Shell, *argv: str) -> list[str]:
    return [hit["title"] for hit in json.loads(newsreader.ok("search", *argv, "--json"))]


@pytest.mark.parametrize(
    "query",
    ["Kooperationen", "Werk", "feed:ndr", 'feed:"NDR Niedersachsen" Bezos', "is:unread Amazon"],
)
def test_search_takes_the_whole_language(newsreader: Shell, query: str) -> None:
    assert hit_titles(newsreader, query)[0] == HEADLINE


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("is:maybe", "is: takes unread, read or starred"),
        ("since:yesterday", "since: takes 7d"),
        ("feed:", "feed: needs a value"),
        ('"open', "not closed"),
    ],
)
def test_bad_syntax_is_one_clear_line_and_no_traceback(
    newsreader: Shell, query: str, message: str
) -> None:
    code, out, err = newsreader("search", query)
    assert code == 2 and out == ""
    assert err.startswith("newsreader: error: query: ") and message in err
    assert len(err.splitlines()) == 1 and "Traceback" not in err


def test_sort_by_date_lists_the_newest_first(newsreader: Shell) -> None:
    newsreader.ok("add", str(HARBOUR))
    relevance = hit_titles(newsreader, "feed:harbour")
    by_date = [
        hit["published"]
        for hit in json.loads(newsreader.ok("search", "feed:harbour", "--sort", "date", "--json"))
    ]
    assert len(relevance) == 2
    assert by_date == sorted(by_date, reverse=True)


def test_an_unknown_sort_is_a_usage_error(newsreader: Shell) -> None:
    code, _, err = newsreader("search", "VW", "--sort", "alphabet")
    assert code == 2 and "invalid choice" in err


def test_a_search_can_be_saved_and_listed_with_counts(newsreader: Shell) -> None:
    out = newsreader.ok("search", "Kooperationen", "--save", "VW Cloud")
    assert HEADLINE in out
    assert json.loads(newsreader.ok("searches", "--json")) == [
        {"name": "VW Cloud", "query": "Kooperationen", "articles": 1, "unread": 1}
    ]
    table = newsreader.ok("searches")
    assert "VW Cloud" in table and "Kooperationen" in table


def test_saving_under_a_name_in_use_says_what_it_replaces(newsreader: Shell) -> None:
    code, _, err = newsreader("search", "VW", "--save", "news")
    assert code == 0 and err.strip() == "Saved as 'news'."
    code, _, err = newsreader("search", "Amazon", "--save", "News")
    assert code == 0
    assert "replacing the saved search 'news' that was 'VW'" in err
    assert [s["query"] for s in json.loads(newsreader.ok("searches", "--json"))] == ["Amazon"]


def test_a_saved_search_can_be_removed(newsreader: Shell) -> None:
    newsreader.ok("search", "VW", "--save", "vw")
    assert newsreader.ok("searches", "remove", "VW") == ""
    assert json.loads(newsreader.ok("searches", "--json")) == []
    code, _, err = newsreader("searches", "remove", "VW")
    assert code == 2 and "no saved search named 'VW'" in err


def test_no_saved_searches_says_how_to_make_one(newsreader: Shell) -> None:
    code, out, err = newsreader("searches")
    assert code == 0 and out == ""
    assert "--save NAME" in err


def test_a_bad_query_is_not_saved(newsreader: Shell) -> None:
    code, _, err = newsreader("search", "is:maybe", "--save", "bad")
    assert code == 2 and "query:" in err
    assert json.loads(newsreader.ok("searches", "--json")) == []


def test_an_empty_name_is_refused(newsreader: Shell) -> None:
    code, _, err = newsreader("search", "VW", "--save", " ")
    assert code == 2 and "needs a name" in err


def test_the_help_explains_the_filters(newsreader: Shell) -> None:
    out = newsreader.ok("search", "--help")
    for word in ("title:", "feed:", "author:", "tag:", "is:unread", "since:7d", "before:"):
        assert word in out


def test_other_forms_of_a_word_find_the_story_and_its_related_item(newsreader: Shell) -> None:
    """Typed as a reader might: a plural the story and its item only hold in the singular."""
    out = newsreader.ok("search", "Konzerne")  # the story and an item say "Konzern"
    assert out.index(HEADLINE) < out.index("Vernetzung: Volkswagen übernimmt WirelessCar")
    items = newsreader.ok("search", "Übernahmen")  # the item says "Übernahme"
    assert "related item 1 of article 1" in items
    assert "[Übernahme]" in items


# The query is the rest of the line: no quotes, negations and AND as a user types them.


@pytest.mark.parametrize(
    "argv",
    [
        ["vw", "amazon"],
        ["vw", "AND", "amazon"],
        ["-is:read"],
        ["-is:read", "Bezos"],
        ["vw", "-Fahrrad"],
        ["--sort", "date", "vw", "-feed:sport"],
        ["Industrial Cloud", "VW"],
        ["Amazon VW"],  # one argument with a space: words, not a phrase
        ["--json", "--", "Kooperation"],
    ],
)
def test_the_query_is_the_rest_of_the_line(newsreader: Shell, argv: list[str]) -> None:
    assert HEADLINE in hit_titles(newsreader, *argv)


@pytest.mark.parametrize(
    "argv",
    [
        ["vw", "AND", "Fahrrad"],
        ["vw", "-amazon"],
        ["Bezos", "-is:unread"],
        ["Amazon VW", "Kooperation"],  # among several, it was quoted as a phrase
    ],
)
def test_negations_and_and_narrow_the_hits(newsreader: Shell, argv: list[str]) -> None:
    assert HEADLINE not in hit_titles(newsreader, *argv)


def test_an_exclusion_alone_is_answered_by_the_language_not_argparse(newsreader: Shell) -> None:
    code, out, err = newsreader("search", "-amazon")
    assert (code, out) == (2, "")
    assert err.strip().endswith("Add a word to search for: -word only excludes.")
    assert "unrecognized arguments" not in err


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("*", "A prefix needs at least 2 letters before the *, as in di*."),
        ("d*", "A prefix needs at least 2 letters: d*"),
        ("vw AND", "AND needs a word or filter on each side."),
    ],
)
def test_prefix_and_and_mistakes_say_what_to_type(
    newsreader: Shell, query: str, message: str
) -> None:
    code, _out, err = newsreader("search", query)
    assert code == 2
    assert err.strip() == f"newsreader: error: query: {message}"
    assert "?" not in err


def test_a_shell_user_types_a_negation_without_quotes(tmp_path: Path) -> None:
    """The real command, as a shell runs it: `newsreader search -is:read vw --json`."""
    command = ["search", "-is:read", "Kooperation", "--json"]
    done = subprocess.run(
        [sys.executable, "-m", "newsreader", "--db", str(tmp_path / "s.sqlite3"), *command],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert [hit["title"] for hit in json.loads(done.stdout)] == [HEADLINE]


def test_date_filters_hold_for_related_items_too(newsreader: Shell) -> None:
    hits = json.loads(
        newsreader.ok("search", "since:2019-03-25", "before:2019-03-28", "Diess", "--json")
    )
    assert [(hit["title"], hit["related_position"]) for hit in hits] == [(HEADLINE, None)]
    hits = json.loads(newsreader.ok("search", "before:2019-03-21", "Diess", "--json"))
    assert [(hit["title"], hit["related_position"]) for hit in hits] == [
        ("VW: Schlagabtausch zwischen Osterloh und Diess", 1)
    ]
