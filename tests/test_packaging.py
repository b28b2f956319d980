"""A non-editable install (a wheel) carries the bundled feed and finds it."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]


def test_the_wheel_contains_and_uses_the_bundled_feed(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--wheel-dir",
            str(wheels),
            str(PROJECT),
        ],
        check=True,
        timeout=300,
    )
    (wheel,) = wheels.glob("newsreader-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "newsreader/feeds/ndr-niedersachsen.atom" in names
    assert "newsreader/feeds/README.md" in names

    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        timeout=300,
    )
    probe = (
        "from newsreader.feeds.bundled import bundled_feed_path; "
        "from newsreader.feeds.ingest import parse_feed; "
        "path = bundled_feed_path(); print(path); "
        "print(parse_feed(path.read_bytes(), 'bundled').articles[0].title)"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(target)},
        check=True,
    )
    path_line, title_line = result.stdout.splitlines()
    assert Path(path_line).is_relative_to(target)
    assert title_line == "In die Cloud: VW und Amazon gehen Kooperation ein"
