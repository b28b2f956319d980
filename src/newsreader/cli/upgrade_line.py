"""How a long upgrade of the store goes, told on stderr while it runs.

The reader's screen and every command start only once the store is open, so the command
line tells it for both.
"""

from __future__ import annotations

import sys


class UpgradeLine:
    """How a long upgrade goes, on stderr (the reader's screen starts once it is done):
    on a terminal one line rewritten in place, elsewhere a line per step."""

    def __init__(self) -> None:
        self.terminal = sys.stderr.isatty()
        self.step = 0

    def __call__(self, step: int, steps: int, seconds: float) -> None:
        line = f"newsreader: updating the store: step {step} of {steps}, {seconds:.0f} s…"
        if self.terminal:
            print(f"\r{line}", end="", file=sys.stderr, flush=True)
        elif step != self.step:
            print(line, file=sys.stderr, flush=True)
        self.step = step

    def finish(self) -> None:
        if self.terminal and self.step:
            print(file=sys.stderr, flush=True)
