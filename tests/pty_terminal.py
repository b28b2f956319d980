"""Driving the installed ``newsreader`` in a real pseudo-terminal, for end-to-end tests.

What the child draws is fed into a terminal emulator (pyte), and the raw bytes are kept
too, so tests can check both what a reader sees and what reached the terminal.
"""

from __future__ import annotations

import os
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pexpect
import pyte
import pytest

COLUMNS, LINES = 120, 40
# Generous, for a loaded two-core machine; a healthy run needs a fraction of this.
STARTUP_TIMEOUT = 30.0
STEP_TIMEOUT = 15.0
TAB, ENTER, BACKSPACE = "\t", "\r", "\x7f"
# Box drawing and block elements: the pane borders, rules and scrollbars Textual draws.
BORDER = re.compile("[\u2500-\u259f]+")


def installed_command() -> Path:
    """The console script of the environment running the tests, as ``make run`` uses it."""
    return Path(sys.executable).parent / "newsreader"


class Terminal:
    """A child process on a pseudo-terminal, and the screen it has drawn so far."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        self.screen = pyte.Screen(COLUMNS, LINES)
        self.stream = pyte.ByteStream(self.screen)
        self.raw = bytearray()
        self.child = pexpect.spawn(
            argv[0], argv[1:], env=env, dimensions=(LINES, COLUMNS), echo=False
        )

    def pump(self, wait: float = 0.1) -> None:
        """Feed whatever the child has written into the emulated screen."""
        while True:
            try:
                data = self.child.read_nonblocking(65536, timeout=wait)
            except (pexpect.TIMEOUT, pexpect.EOF):
                return
            self.raw.extend(data)
            self.stream.feed(data)
            wait = 0

    def text(self) -> str:
        return "\n".join(self.screen.display)

    def readable(self) -> str:
        """The screen as a reader takes it in: each pane's text in order, lines rejoined.

        Panes sit side by side between border glyphs, so a headline wrapped inside one
        pane is only whole again once that pane's lines are read on their own.
        """
        panes: dict[int, list[str]] = {}
        for line in self.screen.display:
            start = 0
            for border in [*BORDER.finditer(line), None]:
                end = border.start() if border else len(line)
                if line[start:end].strip():
                    panes.setdefault(start, []).append(line[start:end])
                start = border.end() if border else start
        return "\n".join(" ".join(" ".join(lines).split()) for lines in panes.values())

    def wait_until(self, what: str, test: Callable[[str], bool], timeout: float) -> str:
        """Poll the screen until ``test`` holds; fail with the screen on timeout."""
        deadline = time.monotonic() + timeout
        while True:
            self.pump()
            screen = self.readable()
            if test(screen):
                return screen
            if time.monotonic() > deadline or not self.child.isalive():
                self.pump()
                pytest.fail(f"timed out waiting for {what}; the screen shows:\n{self.text()}")

    def wait_for(self, *needles: str, timeout: float = STEP_TIMEOUT) -> str:
        return self.wait_until(
            " and ".join(repr(n) for n in needles),
            lambda screen: all(needle in screen for needle in needles),
            timeout,
        )

    def press(self, keys: str) -> None:
        self.child.send(keys)

    def wait_for_exit(self, timeout: float) -> int | None:
        deadline = time.monotonic() + timeout
        while self.child.isalive() and time.monotonic() < deadline:
            self.pump()
        if self.child.isalive():
            return None
        self.child.close()
        return self.child.exitstatus

    def close(self) -> None:
        if self.child.isalive():
            self.child.terminate(force=True)
        self.child.close(force=True)


def reader_environment() -> dict[str, str]:
    """The environment of a reader in a colour terminal of COLUMNS x LINES."""
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": str(COLUMNS), "LINES": str(LINES)}
    env.pop("NO_COLOR", None)
    return env


def spawn_reader(*args: str) -> Terminal:
    """``newsreader ARGS`` in a terminal of COLUMNS x LINES."""
    command = installed_command()
    assert command.is_file(), f"newsreader is not installed in this environment ({command})"
    return Terminal([str(command), *args], reader_environment())
