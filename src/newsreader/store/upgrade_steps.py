"""Telling a caller how a long upgrade of the store goes, step by step and while a step runs.

A migration that touches every article of a large store runs for seconds inside one SQL
script; SQLite's progress hook lets the wait be shown without splitting the script.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from types import TracebackType

# What a long upgrade tells its caller: (step, steps, seconds since the upgrade began).
UpgradeProgress = Callable[[int, int, float], None]
# SQLite calls the progress hook once per this many of its instructions (a few ms).
PROGRESS_INSTRUCTIONS = 100_000


class UpgradeSteps:
    """Says each step as it starts (``tell``), and about once a second during it."""

    def __init__(
        self, connection: sqlite3.Connection, steps: int, progress: UpgradeProgress | None
    ) -> None:
        self.connection = connection
        self.steps = steps
        self.progress = progress
        self.step = 0
        self.started = self.told = time.monotonic()

    def tell(self, step: int) -> None:
        self.step = step
        self.told = time.monotonic()
        if self.progress is not None:
            self.progress(step, self.steps, self.told - self.started)

    def _tick(self) -> int:
        if time.monotonic() - self.told >= 1.0:
            self.tell(self.step)
        return 0  # go on

    def __enter__(self) -> UpgradeSteps:
        if self.progress is not None:
            self.connection.set_progress_handler(self._tick, PROGRESS_INSTRUCTIONS)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.connection.set_progress_handler(None, 0)
