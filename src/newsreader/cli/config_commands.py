"""The ``config`` and ``programme`` commands.

``config path`` prints the config file in effect (``--config``, else ``$NEWSREADER_CONFIG``,
else the platform default), whether or not it exists. ``config show`` prints the effective
settings as TOML, defaults filled in, and then each problem with the file on stderr; the
exit status is 0 even then, since the reader runs with exactly those settings. ``config
edit`` opens the file in ``$VISUAL`` or ``$EDITOR`` (split into words, never run by a
shell; ``vi`` when neither is set), starting it from a commented template if it does not
exist, then checks it: exit status 1 if the edited file has problems.

``programme`` lists every broadcast slot the stories name, upcoming and past, or writes them
as an iCalendar file with ``--ics FILE``.
"""

from __future__ import annotations

import argparse
import os
import shlex
import subprocess
import sys
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path

from rich.console import Group
from rich.table import Table
from rich.text import Text

from newsreader.cli.output import (
    EXIT_FAILED,
    EXIT_OK,
    CliError,
    complain,
    dump_json,
    emit,
    iso,
    make_console,
)
from newsreader.config import TEMPLATE, config_path, load_config, render_toml
from newsreader.feeds.subscriptions import ensure_bundled_feed
from newsreader.store.database import Store
from newsreader.store.programme import ProgrammeEntry, export_ics, ics_for, programme_slots
from newsreader.text.sanitize import clean_line
from newsreader.text.timefmt import local

FALLBACK_EDITOR = "vi"
STDOUT = "-"


# config path|show|edit


def config_command(args: argparse.Namespace) -> int:
    """``newsreader config ACTION``; needs no store."""
    path = config_path(getattr(args, "config", None))
    action: str = args.config_action
    if action == "path":
        print(path)
        return EXIT_OK
    if action == "show":
        return _show(path)
    return _edit(path)


def _show(path: Path) -> int:
    result = load_config(path)
    exists = "" if path.exists() else " (there is no such file: all defaults)"
    print(f"# newsreader settings in effect, from {clean_line(str(path))}{exists}")
    print(render_toml(result.config), end="")
    sys.stdout.flush()
    _report([*result.problems, *_keymap_problems(result.config.keymap)])
    return EXIT_OK


def _keymap_problems(keymap: Mapping[str, str]) -> list[str]:
    """Ids no key has, and keys bound twice: what only the reader's bindings can tell."""
    if not keymap:
        return []
    from newsreader.ui.app import NewsreaderApp  # the whole reader: only when there is a keymap
    from newsreader.ui.keymap_check import keymap_problems
    from newsreader.ui.labels import ENGLISH

    return keymap_problems(keymap, NewsreaderApp.BINDINGS, ENGLISH)


def _edit(path: Path) -> int:
    path = path.absolute()  # so that no editor takes a name like "-x.toml" for an option
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            with path.open("x", encoding="utf-8") as stream:
                stream.write(TEMPLATE)
        except FileExistsError:
            pass  # made in the meantime: edit that one
    argv = [*editor_command(), str(path)]
    try:
        finished = subprocess.run(argv, check=False)
    except OSError as error:
        name = clean_line(argv[0], limit=80)
        raise CliError(f"cannot start the editor {name}: {error.strerror or error}") from None
    status = EXIT_OK
    if finished.returncode != 0:
        complain(f"the editor exited with status {finished.returncode}", kind="warning")
        status = EXIT_FAILED
    loaded = load_config(path)
    problems = [*loaded.problems, *_keymap_problems(loaded.config.keymap)]
    _report(problems)
    if problems:
        return EXIT_FAILED
    print(f"{clean_line(str(path))}: no problems", file=sys.stderr)
    return status


def editor_command(environ: dict[str, str] | None = None) -> list[str]:
    """``$VISUAL``, else ``$EDITOR``, split into words like a shell would; else ``vi``."""
    environ = dict(os.environ) if environ is None else environ
    for variable in ("VISUAL", "EDITOR"):
        value = environ.get(variable, "")
        if not value.strip():
            continue
        try:
            words = shlex.split(value)
        except ValueError as error:
            raise CliError(f"${variable} cannot be split into words: {error}") from None
        if words:
            return words
    return [FALLBACK_EDITOR]


def _report(problems: Sequence[str]) -> None:
    for problem in problems:
        complain(problem, kind="warning")


# programme


def programme_command(args: argparse.Namespace, store: Store) -> int:
    """``newsreader programme [--ics FILE | --json]``."""
    ensure_bundled_feed(store)
    if args.ics is not None:
        return _write_calendar(store, args.ics)
    slots = programme_slots(store)
    now = datetime.now(UTC)
    if args.json:
        dump_json(programme_json(slots, now), sys.stdout)
    elif slots:
        emit(make_console(sys.stdout), programme_table(slots, now))
    else:
        print("No programme slots.", file=sys.stderr)
    return EXIT_OK


def _write_calendar(store: Store, target: str) -> int:
    if target == STDOUT:
        sys.stdout.flush()
        sys.stdout.buffer.write(ics_for(programme_slots(store)).encode("utf-8"))
        sys.stdout.buffer.flush()
        return EXIT_OK
    path = Path(target).expanduser()
    count = export_ics(store, path)
    events = "1 event" if count == 1 else f"{count} events"
    print(f"{events} written to {clean_line(str(path))}", file=sys.stderr)
    return EXIT_OK


def programme_json(slots: Sequence[ProgrammeEntry], now: datetime) -> list[dict[str, object]]:
    return [
        {
            "article_id": slot.article_id,
            "article_title": slot.article_title,
            "station": slot.station,
            "programme": slot.programme,
            "start": iso(slot.start),
            "status": slot.status(now),
        }
        for slot in slots
    ]


def programme_table(slots: Sequence[ProgrammeEntry], now: datetime) -> Table:
    """Per slot: upcoming or past beside its start, station and programme, and story."""
    grid = Table.grid(padding=(0, 2))
    grid.add_column(no_wrap=True)
    grid.add_column(ratio=1)
    for slot in slots:
        status = slot.status(now)
        on_air = Text(" · ".join(part for part in (slot.station, slot.programme) if part))
        on_air.stylize("bold")
        story = Text(f"article {slot.article_id}: ", style="dim")
        story.append(slot.article_title)
        grid.add_row(
            Text(status, style="bold" if status == "upcoming" else "dim"),
            Group(Text(format_start(slot.start)), on_air, story),
        )
    return grid


def format_start(start: datetime | None) -> str:
    """ "2019-03-27 13:30 (+01:00)": the time in the reader's zone, with its UTC offset."""
    if start is None:
        return "-"
    start = local(start)
    text = start.strftime("%Y-%m-%d %H:%M")
    offset = start.utcoffset()
    if offset is None:
        return text
    minutes = int(offset.total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    hours, minutes = divmod(abs(minutes), 60)
    return f"{text} ({sign}{hours:02d}:{minutes:02d})"
