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
    ("Parsing the refresh corpus", "bench.parse", []),
    ("Search over 100,000 articles", "bench.search", []),
    ("Related articles over 100,000 articles", "bench.related", []),
    ("First screen and memory", "bench.startup", []),
    ("Opening an article and the article list", "bench.reading", []),
]
QUICK = {
    "bench.refresh": ["--feeds", "40"],
    "bench.search": ["--rounds", "2"],
    "bench.related": ["--sample", "50"],
    "bench.startup": ["--runs", "2"],
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
    for title, module, arguments in BENCHMARKS:
        if args.quick:
            arguments = [*arguments, *QUICK.get(module, [])]
        print(f"running {module} …", file=sys.stderr)
        sections += ["", f"## {title}", "", run(module, arguments)]
    report = "\n".join(sections).rstrip() + "\n"
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(report, encoding="utf-8")
    print(report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
