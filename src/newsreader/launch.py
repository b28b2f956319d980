"""Opening links in a browser and playing media, without a shell and without the terminal.

Only http and https URLs are handed out (``sanitize.openable_url``); anything else raises
``LaunchError``, whose message is one line fit for a notification.

A configured command is an argv list (``Config.commands``) and runs as
``[*command, url]``: no shell ever sees the URL, so spaces, quotes or ``;rm -rf`` in it are
just characters of one argument. The URL is the last argument and, having passed
``openable_url``, always starts with ``http://`` or ``https://``, so no program can take it
for an option. Someone who wants ``--`` before it ends their command with ``"--"``.

Programs start in a new session with stdin, stdout and stderr on /dev/null, so they never
read keys from, or draw over, the reader's terminal; a thread reaps each one when it exits.
Without a configured browser, Python's ``webbrowser`` picks the system's; a text-mode
browser it might pick (lynx, w3m...) would fight the reader for the terminal, so that is
refused with a hint to configure one. The default browser may take a moment to answer:
call these functions from a worker thread, not the UI thread.
"""

from __future__ import annotations

import shutil
import subprocess
import threading
import webbrowser
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import Final

from newsreader.config import Config
from newsreader.text.sanitize import clean_line, openable_url

DEFAULT_PLAYER: Final = "mpv"
SYSTEM_BROWSER: Final = "the web browser"
# Browsers that draw in the terminal. ``www-browser`` is Debian's name for a text-mode one.
TEXT_MODE_BROWSERS: Final = frozenset(
    {"www-browser", "links", "links2", "elinks", "lynx", "w3m", "browsh", "carbonyl"}
)


class LaunchError(Exception):
    """A link or media item could not be opened; the message says why, in one line."""


@dataclass(frozen=True, slots=True)
class Launched:
    """What was started: a name to show ("mpv", "the web browser") and the process, if ours.

    The process is None when the system's browser was asked through ``webbrowser``.
    """

    program: str
    process: subprocess.Popen[bytes] | None = None


def open_link(url: str, config: Config) -> Launched:
    """Open an http(s) ``url`` in the configured browser, else in the system's."""
    target = _openable(url)
    if config.commands.browser is not None:
        return _spawn(config.commands.browser, target)
    return _system_browser(target)


def play_media(url: str, config: Config) -> Launched:
    """Play an http(s) ``url``: the configured player, else mpv if installed, else the browser."""
    target = _openable(url)
    player = player_command(config)
    if player is None:
        return open_link(target, config)
    return _spawn(player, target)


def view_image(url: str, config: Config) -> Launched:
    """Show the picture at an http(s) ``url``: the configured viewer, else the browser."""
    target = _openable(url)
    if config.commands.image_viewer is not None:
        return _spawn(config.commands.image_viewer, target)
    return open_link(target, config)


def player_command(config: Config) -> tuple[str, ...] | None:
    """The player's argv without the URL; None when media should go to the browser."""
    if config.commands.player is not None:
        return config.commands.player
    found = shutil.which(DEFAULT_PLAYER)
    return (found,) if found else None


def _openable(url: str) -> str:
    target = openable_url(url)
    if target is None:
        shown = clean_line(url, limit=80) or "an empty address"
        raise LaunchError(f"only http and https links can be opened, not {shown}")
    return target


def _name(program: str) -> str:
    return clean_line(PurePath(program).name, limit=40) or "the program"


def _spawn(command: Sequence[str], url: str) -> Launched:
    """Start ``[*command, url]`` detached from the terminal, without a shell."""
    return _start([*command, url])


def _start(argv: list[str]) -> Launched:
    name = _name(argv[0])
    try:
        process = subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
            close_fds=True,
        )
    except FileNotFoundError:
        raise LaunchError(f"cannot start {name}: no such program") from None
    except PermissionError:
        raise LaunchError(f"cannot start {name}: not allowed to run it") from None
    except OSError as error:
        raise LaunchError(f"cannot start {name}: {error.strerror or error}") from None
    threading.Thread(target=process.wait, name=f"reap-{name}", daemon=True).start()
    return Launched(name, process)


def _system_browser(url: str) -> Launched:
    try:
        browser = webbrowser.get()
    except webbrowser.Error:
        raise LaunchError("no web browser found: set commands.browser in the config file") from None
    name = _name(browser.name)
    if name in TEXT_MODE_BROWSERS:
        raise LaunchError(
            f"the web browser found, {name}, runs in the terminal: "
            "set commands.browser in the config file"
        )
    if isinstance(browser, webbrowser.GenericBrowser):
        # A plain command line, as $BROWSER gives: webbrowser would run it on our terminal
        # and wait for it, so it is started like a configured command instead.
        args = [arg.replace("%s", url) for arg in browser.args]
        if url not in args:
            args.append(url)
        return _start([browser.name, *args])
    try:
        opened = browser.open(url)
    except (OSError, webbrowser.Error) as error:
        raise LaunchError(f"the web browser could not be started: {error}") from None
    if not opened:
        raise LaunchError("the web browser could not be started")
    return Launched(SYSTEM_BROWSER)
