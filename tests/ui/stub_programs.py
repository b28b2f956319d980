"""A stand-in for the browser and the media player: a program that writes down its arguments."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path

RECORDER = """\
import json, pathlib, sys
pathlib.Path(sys.argv[1]).write_text(json.dumps(sys.argv[2:]), encoding="utf-8")
"""


@dataclass(frozen=True)
class StubProgram:
    """``command`` for the config; ``arguments()`` is what it was started with, once it ran."""

    command: tuple[str, ...]
    record: Path

    def ran(self) -> bool:
        return self.record.exists() and bool(self.record.read_text(encoding="utf-8"))

    def arguments(self) -> list[str]:
        loaded = json.loads(self.record.read_text(encoding="utf-8"))
        assert isinstance(loaded, list)
        return [str(argument) for argument in loaded]


def stub_program(folder: Path, name: str) -> StubProgram:
    script = folder / f"{name}.py"
    script.write_text(RECORDER, encoding="utf-8")
    record = folder / f"{name}-argv.json"
    return StubProgram((sys.executable, str(script), str(record)), record)
