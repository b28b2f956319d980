"""``newsreader config`` and ``newsreader programme`` as someone at a shell prompt uses them."""

from __future__ import annotations

import json
import sys
import tomllib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import icalendar
import pytest

from newsreader.cli.config_commands import editor_command
from newsreader.cli.main import main
from newsreader.config import TEMPLATE, Config, parse_config, render_toml
from newsreader.feeds.fetch import FetchSettings
from newsreader.models import Article, Feed, ProgrammeSlot
from newsreader.store.database import Store

FIXTURES = Path(__file__).parent / "fixtures" / "config"
EVERY_SETTING = FIXTURES / "every-setting.toml"
EVERY_MISTAKE = FIXTURES / "every-mistake.toml"
HEADLINE = "In die Cloud: VW und Amazon gehen Kooperation ein"
# An editor stand-in: records its arguments and the file as it found it, then appends
# $EDITOR_APPENDS to the file and exits with $EDITOR_EXIT.
EDITOR = """#!{python}
import json, os, pathlib, sys
path = pathlib.Path(sys.argv[-1])
before = path.read_text(encoding="utf-8")
with open({record!r}, "w") as out:
    json.dump({{"argv": sys.argv[1:], "before": before}}, out)
path.write_text(before + os.environ.get("EDITOR_APPENDS", ""), encoding="utf-8")
sys.exit(int(os.environ.get("EDITOR_EXIT", "0")))
"""


@dataclass
class Run:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)

    @property
    def warnings(self) -> list[str]:
        return [
            line.removeprefix("newsreader: warning: ")
            for line in self.err.splitlines()
            if line.startswith("newsreader: warning: ")
        ]


class Shell:
    """Runs ``newsreader`` in-process, as the command line would."""

    def __init__(self, capsys: pytest.CaptureFixture[str]) -> None:
        self.capsys = capsys

    def __call__(self, *argv: str | Path) -> Run:
        self.capsys.readouterr()
        code = main([str(arg) for arg in argv])
        captured = self.capsys.readouterr()
        return Run(code, captured.out, captured.err)


class Editor:
    def __init__(self, directory: Path) -> None:
        self.path = directory / "fake-editor"
        self.record = directory / "editor.json"
        self.path.write_text(
            EDITOR.format(python=sys.executable, record=str(self.record)), encoding="utf-8"
        )
        self.path.chmod(0o755)

    @property
    def saw(self) -> dict[str, Any]:
        result: dict[str, Any] = json.loads(self.record.read_text(encoding="utf-8"))
        return result


@pytest.fixture
def newsreader(capsys: pytest.CaptureFixture[str]) -> Shell:
    return Shell(capsys)


@pytest.fixture
def config_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Where $NEWSREADER_CONFIG points; no file there yet."""
    path = tmp_path / "settings" / "config.toml"
    monkeypatch.setenv("NEWSREADER_CONFIG", str(path))
    return path


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "store.sqlite3"
    monkeypatch.setenv("NEWSREADER_DB", str(path))
    return path


@pytest.fixture
def editor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Editor:
    fake = Editor(tmp_path)
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", str(fake.path))
    return fake


# config path


def test_config_path_prints_the_file_named_by_the_environment(
    newsreader: Shell, config_file: Path
) -> None:
    run = newsreader("config", "path")
    assert (run.code, run.out, run.err) == (0, f"{config_file}\n", "")


def test_the_config_option_wins_before_or_after_the_command(
    newsreader: Shell, config_file: Path, tmp_path: Path
) -> None:
    chosen = tmp_path / "other.toml"
    assert newsreader("--config", chosen, "config", "path").out == f"{chosen}\n"
    assert newsreader("config", "path", "--config", chosen).out == f"{chosen}\n"
    assert newsreader("config", "--config", chosen, "path").out == f"{chosen}\n"


def test_without_any_override_the_file_is_in_the_user_config_directory(
    newsreader: Shell, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NEWSREADER_CONFIG")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    expected = tmp_path / "xdg" / "newsreader" / "config.toml"
    assert newsreader("config", "path").out == f"{expected}\n"


def test_config_commands_neither_create_nor_need_a_store(
    newsreader: Shell, config_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSREADER_DB", str(tmp_path / "not-yet.sqlite3"))
    assert newsreader("config", "path").code == 0
    assert newsreader("config", "show").code == 0
    assert not (tmp_path / "not-yet.sqlite3").exists()
    # A store that cannot be opened does not get in the way of fixing the settings.
    assert newsreader("--db", tmp_path, "config", "show").code == 0


def test_an_unknown_config_action_is_a_one_line_mistake(newsreader: Shell) -> None:
    run = newsreader("config", "delete")
    assert run.code == 2
    assert run.err.startswith("newsreader: error: argument ACTION: invalid choice: 'delete'")
    assert len(run.err.splitlines()) == 1


# config show


def test_config_show_without_a_file_prints_the_defaults_as_toml(
    newsreader: Shell, config_file: Path
) -> None:
    run = newsreader("config", "show")
    assert (run.code, run.err) == (0, "")
    assert run.out.startswith(f"# newsreader settings in effect, from {config_file} (there is")
    assert tomllib.loads(run.out)["refresh"] == {"interval_minutes": 0}
    assert parse_config(run.out).config == Config()
    assert not config_file.exists()


def test_config_show_prints_the_files_settings_with_defaults_filled_in(
    newsreader: Shell, config_file: Path
) -> None:
    config_file.parent.mkdir()
    config_file.write_text('[ui]\ntheme = "nord"\n[keymap]\nsearch = "ctrl+f"\n', "utf-8")
    run = newsreader("config", "show")
    assert (run.code, run.err) == (0, "")
    shown = tomllib.loads(run.out)
    assert shown["ui"] == {
        "theme": "nord",
        "language": "en",
        "article_width": 90,
        "date_format": "%Y-%m-%d %H:%M",
        "images": "auto",
        "image_cache_mib": 200,
    }
    assert shown["keymap"] == {"search": "ctrl+f"}
    assert shown["fetch"]["timeout"] == 30.0


def test_config_show_round_trips_every_setting(newsreader: Shell) -> None:
    run = newsreader("--config", EVERY_SETTING, "config", "show")
    assert (run.code, run.err) == (0, "")
    again = parse_config(run.out)
    assert again.problems == []
    assert render_toml(again.config) in run.out


def test_config_show_lists_each_problem_on_stderr_and_still_succeeds(newsreader: Shell) -> None:
    run = newsreader("--config", EVERY_MISTAKE, "config", "show")
    assert run.code == 0
    assert parse_config(run.out).config == Config()
    assert len(run.warnings) == 21
    assert all(warning.startswith(f"{EVERY_MISTAKE}: ") for warning in run.warnings)
    assert (
        f"{EVERY_MISTAKE}: refresh.interval_minutes: must be a whole number of minutes from 0 "
        '(off) to 10080, not "soon"'
    ) in run.warnings


def test_config_show_says_when_the_file_is_not_toml(newsreader: Shell, config_file: Path) -> None:
    config_file.parent.mkdir()
    config_file.write_text("[ui\n", "utf-8")
    run = newsreader("config", "show")
    assert run.code == 0
    (warning,) = run.warnings
    assert warning.startswith(f"{config_file}: not valid TOML")


# config edit


def test_config_edit_starts_a_new_file_from_the_template_and_checks_it(
    newsreader: Shell, config_file: Path, editor: Editor, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EDITOR_APPENDS", 'browser = ["firefox", "--new-tab"]\n')
    run = newsreader("config", "edit")
    assert run.code == 0, run.err
    assert editor.saw == {"argv": [str(config_file)], "before": TEMPLATE}
    assert run.err == f"{config_file}: no problems\n"
    shown = tomllib.loads(newsreader("config", "show").out)
    assert shown["commands"] == {"browser": ["firefox", "--new-tab"]}


def test_config_edit_reports_what_the_edit_got_wrong(
    newsreader: Shell, config_file: Path, editor: Editor, monkeypatch: pytest.MonkeyPatch
) -> None:
    config_file.parent.mkdir()
    config_file.write_text('[ui]\ntheme = "nord"\n', "utf-8")
    monkeypatch.setenv("EDITOR_APPENDS", 'language = "fr"\n')
    run = newsreader("config", "edit")
    assert run.code == 1
    assert editor.saw["before"] == '[ui]\ntheme = "nord"\n'  # an existing file is kept
    assert run.warnings == [f'{config_file}: ui.language: must be "en" or "de", not "fr"']


def test_the_editor_command_is_split_into_words_and_visual_comes_first(
    newsreader: Shell, config_file: Path, editor: Editor, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VISUAL", f"'{editor.path}' --wait -c 'set ft=toml'")
    monkeypatch.setenv("EDITOR", "no-such-editor")
    assert newsreader("config", "edit").code == 0
    assert editor.saw["argv"] == ["--wait", "-c", "set ft=toml", str(config_file)]


def test_an_editor_that_fails_makes_the_edit_fail(
    newsreader: Shell, config_file: Path, editor: Editor, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EDITOR_EXIT", "3")
    run = newsreader("config", "edit")
    assert run.code == 1
    assert "newsreader: warning: the editor exited with status 3" in run.err


def test_an_editor_that_is_not_there_is_a_one_line_error(
    newsreader: Shell, config_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", f"{tmp_path / 'gone'}; touch {tmp_path / 'pwned'}")
    run = newsreader("config", "edit")
    assert run.code == 2
    assert run.err.startswith("newsreader: error: cannot start the editor ")
    assert len(run.err.splitlines()) == 1
    assert not (tmp_path / "pwned").exists()


def test_an_editor_variable_that_cannot_be_split_is_reported(
    newsreader: Shell, config_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", "vim 'unbalanced")
    run = newsreader("config", "edit")
    assert run.code == 2
    assert run.err.startswith("newsreader: error: $EDITOR cannot be split into words")


def test_without_visual_or_editor_vi_is_used() -> None:
    assert editor_command({}) == ["vi"]
    assert editor_command({"VISUAL": "  ", "EDITOR": ""}) == ["vi"]
    assert editor_command({"EDITOR": "nano -w"}) == ["nano", "-w"]
    assert editor_command({"VISUAL": "code --wait", "EDITOR": "nano"}) == ["code", "--wait"]


# programme


def test_programme_lists_the_bundled_slot(newsreader: Shell, db: Path) -> None:
    run = newsreader("programme")
    assert (run.code, run.err) == (0, "")
    assert run.out.splitlines() == [
        "past  2019-03-27 13:30 (+01:00)",
        "      NDR 1 Niedersachsen · Regional Braunschweig",
        f"      article 1: {HEADLINE}",
    ]


def test_programme_as_json(newsreader: Shell, db: Path) -> None:
    run = newsreader("programme", "--json")
    assert run.code == 0
    assert run.json() == [
        {
            "article_id": 1,
            "article_title": HEADLINE,
            "station": "NDR 1 Niedersachsen",
            "programme": "Regional Braunschweig",
            "start": "2019-03-27T13:30:00+01:00",
            "status": "past",
        }
    ]


def test_programme_marks_slots_still_to_come(newsreader: Shell, db: Path) -> None:
    assert newsreader("feeds").code == 0  # the bundled story first
    store = Store(db)
    try:
        feed = store.add_feed(Feed(source="test:radio", title="Radio"))
        assert feed.id is not None
        soon = (datetime.now(UTC) + timedelta(days=30)).replace(microsecond=0)
        slot = ProgrammeSlot("Radio Bremen", "Abendjournal", soon)
        store.save_articles(feed.id, [Article(guid="t", title="Next week", programme=(slot,))])
    finally:
        store.close()
    slots = newsreader("programme", "--json").json()
    assert [(slot["station"], slot["status"]) for slot in slots] == [
        ("NDR 1 Niedersachsen", "past"),
        ("Radio Bremen", "upcoming"),
    ]
    listing = newsreader("programme").out.splitlines()
    assert [line.split()[0] for line in listing if not line.startswith(" ")] == [
        "past",
        "upcoming",
    ]
    assert listing[4].strip() == "Radio Bremen · Abendjournal"


def test_programme_writes_a_calendar_others_can_read(
    newsreader: Shell, db: Path, tmp_path: Path
) -> None:
    path = tmp_path / "programme.ics"
    run = newsreader("programme", "--ics", path)
    assert (run.code, run.out) == (0, "")
    assert run.err == f"1 event written to {path}\n"
    (event,) = icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT")
    start = event.decoded("DTSTART")
    assert (start.replace(tzinfo=None), start.utcoffset()) == (
        datetime(2019, 3, 27, 13, 30),
        timedelta(hours=1),
    )
    assert str(event["SUMMARY"]) == "NDR 1 Niedersachsen: Regional Braunschweig"


def test_programme_can_write_the_calendar_to_stdout(newsreader: Shell, db: Path) -> None:
    run = newsreader("programme", "--ics", "-")
    assert run.code == 0
    assert run.out.startswith("BEGIN:VCALENDAR\r\n")
    assert len(icalendar.Calendar.from_ical(run.out).walk("VEVENT")) == 1


def test_programme_calendar_into_a_missing_folder_is_a_one_line_error(
    newsreader: Shell, db: Path, tmp_path: Path
) -> None:
    run = newsreader("programme", "--ics", tmp_path / "no" / "such" / "dir.ics")
    assert run.code == 2
    assert len(run.err.splitlines()) == 1
    assert "No such file or directory" in run.err


def test_programme_takes_json_or_a_calendar_not_both(newsreader: Shell, db: Path) -> None:
    run = newsreader("programme", "--json", "--ics", "x.ics")
    assert run.code == 2
    assert "not allowed with" in run.err


def test_refresh_and_add_fetch_with_the_config_files_settings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from newsreader.cli import feeds as cli_feeds

    config = tmp_path / "config.toml"
    config.write_text('[fetch]\ntimeout = 7.5\nper_host = 2\nconcurrency = "many"\n')
    settings = cli_feeds.fetch_settings(config)
    assert (settings.timeout, settings.max_per_host) == (7.5, 2)
    assert settings.max_connections == FetchSettings().max_connections
    warning = capsys.readouterr().err
    assert "fetch.concurrency" in warning and warning.startswith("newsreader: warning:")


def test_config_show_reports_keymap_clashes_and_unknown_ids(
    newsreader: Shell, config_file: Path
) -> None:
    config_file.parent.mkdir()
    config_file.write_text('[keymap]\ntoggle-star = "m"\nserach = "ctrl+f"\n', "utf-8")
    run = newsreader("config", "show")
    assert run.code == 0
    assert "keymap: m is bound to toggle-read, toggle-star at once" in run.err
    assert "keymap.serach: no key has this id" in run.err
    assert tomllib.loads(run.out)["keymap"] == {"toggle-star": "m", "serach": "ctrl+f"}
