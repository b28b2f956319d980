"""Start a program in a pseudo-terminal and time until its screen shows some text."""

from __future__ import annotations

import contextlib
import os
import time
from pathlib import Path

import pexpect
import pyte

COLUMNS, LINES = 120, 40


def _rss_mib(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def time_to_text(argv: list[str], needle: str, timeout: float = 60.0) -> tuple[float, float | None]:
    """Seconds from spawning ``argv`` until ``needle`` is on screen, and the RSS then (MiB).

    The program is asked to quit with ctrl+q afterwards and killed if it does not.
    """
    screen = pyte.Screen(COLUMNS, LINES)
    stream = pyte.ByteStream(screen)
    # As installed: with compiled bytecode kept (pip compiles it at install), whatever the
    # calling shell asks for, so that start-up is not measured compiling the sources.
    env = {**os.environ, "TERM": "xterm-256color"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    started = time.perf_counter()
    child = pexpect.spawn(argv[0], argv[1:], env=env, dimensions=(LINES, COLUMNS), echo=False)
    try:
        while True:
            with contextlib.suppress(pexpect.TIMEOUT):
                stream.feed(child.read_nonblocking(65536, timeout=0.01))
            if any(needle in line for line in screen.display):
                elapsed = time.perf_counter() - started
                break
            if time.perf_counter() - started > timeout or not child.isalive():
                raise RuntimeError(f"{needle!r} never appeared:\n" + "\n".join(screen.display))
        time.sleep(0.5)  # let the first screen settle before reading its memory
        rss = _rss_mib(child.pid)
        child.sendcontrol("q")
        child.expect(pexpect.EOF, timeout=10)
        return elapsed, rss
    except pexpect.ExceptionPexpect:
        return elapsed, rss
    finally:
        if child.isalive():
            child.terminate(force=True)
