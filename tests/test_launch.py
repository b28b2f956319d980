"""Opening links and playing media: the URL reaches the program as one argument, never a shell.

The programs are stand-ins written into a temporary directory: each records the arguments
it was given, and how it was started, to a JSON file next to it.
"""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
import webbrowser
from pathlib import Path
from typing import Any

import pytest

from newsreader.config import CommandsConfig, Config
from newsreader.launch import Launched, LaunchError, open_link, play_media, player_command

VIDEO = "https://media.example.org/video/hallo-niedersachsen.mp4"
RECORDER = """#!{python}
import json, os, sys
null = os.stat(os.devnull)
stdin = os.fstat(0)
with open({record!r}, "w") as out:
    json.dump(
        {{
            "argv": sys.argv[1:],
            "own_session": os.getsid(0) == os.getpid(),
            "stdin_is_null": (stdin.st_dev, stdin.st_ino) == (null.st_dev, null.st_ino),
        }},
        out,
    )
"""


class Program:
    """A stand-in program that records how it was run."""

    def __init__(self, directory: Path, name: str) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self.path = directory / name
        self.record = directory / f"{name}.run.json"
        self.path.write_text(
            RECORDER.format(python=sys.executable, record=str(self.record)), encoding="utf-8"
        )
        self.path.chmod(0o755)

    def run_by(self, launched: Launched) -> dict[str, Any]:
        """What the program recorded, once the launched process has finished."""
        assert launched.process is not None
        assert launched.process.wait(timeout=60) == 0
        result: dict[str, Any] = json.loads(self.record.read_text(encoding="utf-8"))
        return result

    @property
    def ran(self) -> bool:
        return self.record.exists()


def with_commands(browser: list[str] | None = None, player: list[str] | None = None) -> Config:
    return Config(
        commands=CommandsConfig(
            browser=tuple(browser) if browser is not None else None,
            player=tuple(player) if player is not None else None,
        )
    )


@pytest.fixture
def only_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A PATH holding nothing but a fresh directory, so no real mpv is found."""
    directory = tmp_path / "bin"
    directory.mkdir()
    monkeypatch.setenv("PATH", str(directory))
    return directory


# The player.


def test_the_configured_player_gets_its_words_and_then_the_url(tmp_path: Path) -> None:
    player = Program(tmp_path, "player")
    config = with_commands(player=[str(player.path), "--really-quiet", "--volume=50"])
    launched = play_media(VIDEO, config)
    assert launched.program == "player"
    assert player.run_by(launched)["argv"] == ["--really-quiet", "--volume=50", VIDEO]


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/a b.mp4",
        'https://example.org/it\'s "quoted".mp4',
        "https://example.org/x.mp4;rm -rf ~",
        "https://example.org/x.mp4?q=$(touch pwned)&r=`id`|cat>out",
        "https://example.org/*.mp4 && echo owned",
    ],
)
def test_a_url_full_of_shell_characters_stays_one_argument(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, url: str
) -> None:
    monkeypatch.chdir(tmp_path)  # where a shell would have run `touch pwned`
    player = Program(tmp_path, "player")
    launched = play_media(url, with_commands(player=[str(player.path)]))
    (argument,) = player.run_by(launched)["argv"]
    assert argument.startswith("https://example.org/")
    assert " " not in argument  # spaces travel percent-encoded, within the one argument
    assert not (tmp_path / "pwned").exists()
    assert not (tmp_path / "out").exists()
    assert sorted(path.name for path in tmp_path.iterdir()) == ["player", "player.run.json"]


def test_programs_never_run_through_a_shell(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[Any, dict[str, Any]]] = []
    real_popen = subprocess.Popen

    def watched(args: Any, **kwargs: Any) -> subprocess.Popen[bytes]:
        calls.append((args, kwargs))
        return real_popen(args, **kwargs)

    monkeypatch.setattr(subprocess, "Popen", watched)
    player = Program(tmp_path, "player")
    player.run_by(play_media(VIDEO + "?a=1;b", with_commands(player=[str(player.path)])))
    ((args, kwargs),) = calls
    assert isinstance(args, list)
    assert args == [str(player.path), VIDEO + "?a=1;b"]
    assert kwargs.get("shell", False) is False


def test_the_player_runs_apart_from_the_readers_terminal(tmp_path: Path) -> None:
    player = Program(tmp_path, "player")
    run = player.run_by(play_media(VIDEO, with_commands(player=[str(player.path)])))
    assert run["own_session"] is True
    assert run["stdin_is_null"] is True


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "file:///etc/passwd",
        "ftp://example.org/video.mp4",
        "--ytdl-raw-options=exec=touch pwned",
        "-o/tmp/out",
        "",
        "   ",
        "https://",
        "mailto:someone@example.org",
    ],
)
def test_only_http_and_https_urls_are_played_or_opened(tmp_path: Path, url: str) -> None:
    player = Program(tmp_path, "player")
    browser = Program(tmp_path, "browser")
    config = with_commands(browser=[str(browser.path)], player=[str(player.path)])
    with pytest.raises(LaunchError, match="only http and https links can be opened"):
        play_media(url, config)
    with pytest.raises(LaunchError, match="only http and https links can be opened"):
        open_link(url, config)
    assert not player.ran
    assert not browser.ran


def test_without_a_configured_player_mpv_plays_when_it_is_installed(
    only_path: Path, tmp_path: Path
) -> None:
    mpv = Program(only_path, "mpv")
    browser = Program(tmp_path, "browser")
    config = with_commands(browser=[str(browser.path)])
    assert player_command(config) == (str(mpv.path),)
    launched = play_media(VIDEO, config)
    assert launched.program == "mpv"
    assert mpv.run_by(launched)["argv"] == [VIDEO]  # no flags of our own
    assert not browser.ran


def test_without_a_player_or_mpv_media_goes_to_the_browser(only_path: Path, tmp_path: Path) -> None:
    browser = Program(tmp_path, "browser")
    config = with_commands(browser=[str(browser.path), "--new-tab"])
    assert player_command(config) is None
    launched = play_media(VIDEO, config)
    assert launched.program == "browser"
    assert browser.run_by(launched)["argv"] == ["--new-tab", VIDEO]


def test_a_configured_player_wins_over_an_installed_mpv(only_path: Path, tmp_path: Path) -> None:
    mpv = Program(only_path, "mpv")
    vlc = Program(tmp_path, "vlc")
    launched = play_media(VIDEO, with_commands(player=[str(vlc.path)]))
    assert vlc.run_by(launched)["argv"] == [VIDEO]
    assert not mpv.ran


def test_a_player_that_does_not_exist_is_reported(tmp_path: Path) -> None:
    config = with_commands(player=[str(tmp_path / "no-such-player")])
    with pytest.raises(LaunchError, match="cannot start no-such-player: no such program"):
        play_media(VIDEO, config)


def test_a_player_that_may_not_run_is_reported(tmp_path: Path) -> None:
    player = Program(tmp_path, "player")
    player.path.chmod(stat.S_IRUSR | stat.S_IWUSR)
    if os.access(player.path, os.X_OK):  # root may run anything: make it a directory instead
        player.path.unlink()
        player.path.mkdir()
    with pytest.raises(LaunchError, match="cannot start player: "):
        play_media(VIDEO, with_commands(player=[str(player.path)]))


# Links.


def test_a_link_opens_in_the_configured_browser(tmp_path: Path) -> None:
    browser = Program(tmp_path, "browser")
    url = "https://www.ndr.de/nachrichten/niedersachsen/braunschweig_harz_goettingen/"
    launched = open_link(url, with_commands(browser=[str(browser.path), "--new-window"]))
    assert launched.program == "browser"
    run = browser.run_by(launched)
    assert run["argv"] == ["--new-window", url]
    assert run["own_session"] is True


def test_without_a_configured_browser_the_systems_browser_opens_the_link(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    opened: list[str] = []

    class SystemBrowser(webbrowser.BaseBrowser):
        def open(self, url: str, new: int = 0, autoraise: bool = True) -> bool:
            opened.append(url)
            return True

    monkeypatch.setattr(webbrowser, "get", lambda using=None: SystemBrowser("system"))
    launched = open_link("https://example.org/a b", Config())
    assert launched == Launched("the web browser", None)
    assert opened == ["https://example.org/a%20b"]


def test_a_browser_named_in_the_environment_runs_apart_from_the_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    browser = Program(tmp_path, "firefox")
    controller = webbrowser.GenericBrowser([str(browser.path), "--new-tab", "%s"])
    monkeypatch.setattr(webbrowser, "get", lambda using=None: controller)
    run = browser.run_by(open_link(VIDEO, Config()))
    assert run["argv"] == ["--new-tab", VIDEO]
    assert run["own_session"] is True
    assert run["stdin_is_null"] is True


@pytest.mark.parametrize(
    "browser",
    [
        webbrowser.GenericBrowser("lynx"),
        webbrowser.GenericBrowser("w3m"),
        webbrowser.GenericBrowser("/usr/bin/www-browser"),
        webbrowser.Elinks("elinks"),
    ],
    ids=["lynx", "w3m", "www-browser", "elinks"],
)
def test_a_text_mode_browser_is_not_started_inside_the_reader(
    monkeypatch: pytest.MonkeyPatch, browser: webbrowser.BaseBrowser
) -> None:
    monkeypatch.setattr(webbrowser, "get", lambda using=None: browser)
    with pytest.raises(LaunchError, match=re.escape("runs in the terminal: set commands.browser")):
        open_link(VIDEO, Config())


def test_no_browser_at_all_is_reported_with_the_fix(monkeypatch: pytest.MonkeyPatch) -> None:
    def nothing(using: str | None = None) -> webbrowser.BaseBrowser:
        raise webbrowser.Error("could not locate runnable browser")

    monkeypatch.setattr(webbrowser, "get", nothing)
    with pytest.raises(LaunchError, match=re.escape("no web browser found: set commands.browser")):
        open_link(VIDEO, Config())


def test_a_browser_that_fails_to_open_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    class Broken(webbrowser.BaseBrowser):
        def open(self, url: str, new: int = 0, autoraise: bool = True) -> bool:
            return False

    monkeypatch.setattr(webbrowser, "get", lambda using=None: Broken("broken"))
    with pytest.raises(LaunchError, match="the web browser could not be started"):
        open_link(VIDEO, Config())


def test_error_messages_are_one_clean_line() -> None:
    with pytest.raises(LaunchError) as raised:
        open_link("javascript:\x1b[2Jalert(1)\n" + "x" * 500, Config())
    message = str(raised.value)
    assert "\x1b" not in message
    assert "\n" not in message
    assert len(message) < 200
