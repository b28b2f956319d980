"""Run every benchmark and write one Markdown report: ``make bench``.

    python -m bench [--quick] [--output docs/benchmarks.md]

Each benchmark runs in a process of its own and prints a Markdown table; the report puts
them together under a description of the machine they ran on.
"""

from __future__ import annotations

import argparse
import os
import platform
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCHMARKS = [
    ("Refresh: 200 feeds × 50 entries, against newsboat", "bench.refresh", []),
    ("Moving in from newsboat: 10,000 articles", "bench.newsboat_import", []),
    ("Parsing the refresh corpus", "bench.parse", []),
    ("Search over 100,000 articles", "bench.search", []),
    ("Related articles over 100,000 articles", "bench.related", []),
    ("First screen and memory", "bench.startup", []),
    ("Opening an article and the article list", "bench.reading", []),
    ("An article with 20 pictures", "bench.images", []),
    ("Full text from web pages: quality and speed", "bench.extraction", []),
    ("Sync with Tiny Tiny RSS: 200 feeds × 50 entries, against newsboat", "bench.sync", []),
]
# Run only by `make bench-large` (minutes, and a store of a million articles): each run
# replaces its own section of the report and keeps the others, and `make bench` keeps it.
LARGE = [("A million articles", "bench.large", [])]
QUICK = {
    "bench.refresh": ["--feeds", "40"],
    "bench.newsboat_import": ["--feeds", "40", "--rounds", "1"],
    "bench.search": ["--rounds", "2"],
    "bench.related": ["--sample", "50"],
    "bench.startup": ["--runs", "2"],
    "bench.images": ["--runs", "2"],
    "bench.extraction": ["--rounds", "1"],
    "bench.sync": ["--feeds", "40"],
}


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        total_kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {total_kib / 1024 / 1024:.0f} GiB memory"
    except (OSError, ValueError, IndexError):
        pass
    versions = ", ".join(
        f"{name} {metadata.version(name)}" for name in ("textual", "rich", "feedparser")
    )
    return (
        f"{cpu}, {os.cpu_count()} cores{memory}; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, {versions}"
    )


def run(module: str, arguments: list[str]) -> str:
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", module, *arguments],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=3600,
    )
    took = time.perf_counter() - started
    if result.returncode != 0:
        tail = "\n".join(result.stderr.strip().splitlines()[-5:])
        return f"Failed (exit status {result.returncode}):\n\n```\n{tail}\n```\n"
    return f"{result.stdout.strip()}\n\n_(ran in {took:.0f} s)_\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="run every benchmark")
    parser.add_argument("--quick", action="store_true", help="smaller runs, for a try-out")
    parser.add_argument("--large", action="store_true", help="only the million-article run")
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "results" / "benchmarks.md")
    args = parser.parse_args(argv)
    sections = [
        "# Benchmarks",
        "",
        f"Run with `make bench` on {datetime.now(UTC):%Y-%m-%d}: {machine()}.",
        "",
        "Times are wall-clock on a shared machine, so compare the ratios measured within "
        "one run rather than seconds across runs.",
    ]
    head, kept = _sections(args.output)
    ran = LARGE if args.large else BENCHMARKS
    if args.large and head:
        sections = head  # the machine line of the last full run stays
    # Each run keeps the other kind's sections of the last report.
    others = BENCHMARKS if args.large else LARGE
    results = {title: kept[title] for title, _, _ in others if title in kept}
    for title, module, arguments in ran:
        if args.quick:
            arguments = [*arguments, *QUICK.get(module, [])]
        print(f"running {module} …", file=sys.stderr)
        results[title] = run(module, arguments)
    for title, _, _ in BENCHMARKS + LARGE:
        if title in results:
            sections += ["", f"## {title}", "", results[title].strip() + "\n"]
    report = "\n".join(sections).rstrip() + "\n"
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(report, encoding="utf-8")
    print(report)
    return 0


def _sections(report: Path) -> tuple[list[str], dict[str, str]]:
    """An earlier report: the lines before its first section, and its sections by title."""
    if not report.exists():
        return [], {}
    head: list[str] = []
    found: dict[str, str] = {}
    title, lines = "", head
    for line in report.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            if title:
                found[title] = "\n".join(lines)
            title, lines = line[3:].strip(), []
        else:
            lines.append(line)
    if title:
        found[title] = "\n".join(lines)
    while head and not head[-1].strip():
        head.pop()
    return head, found


if __name__ == "__main__":
    raise SystemExit(main())
