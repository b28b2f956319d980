"""Starts the browser and the media player and writes calendar files, off the UI thread.

An invisible widget, so that its thread workers belong to the reading screen; each result
comes back as a message and is reported in a notification. The programs are the ones the
config names (``newsreader.launch``), started without a shell, the URL one argument.
What has no link (a broadcast, a video without an address) is described instead.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from textual import on, work
from textual.message import Message
from textual.widget import Widget
from textual.worker import Worker, WorkerState

from newsreader.config import Config
from newsreader.models import MediaItem, ProgrammeSlot
from newsreader.store.database import Store
from newsreader.text.sanitize import clean_line, openable_url
from newsreader.text.timefmt import format_day, format_time, local_day
from newsreader.ui.core_messages import localised
from newsreader.ui.labels import ENGLISH, Labels, labels_of

MAX_SLUG: Final = 60
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def export_dir() -> Path:
    """Where calendar files go: the user's downloads folder, else home, else here."""
    from platformdirs import user_downloads_dir

    for candidate in (Path(user_downloads_dir()), Path.home()):
        if candidate.is_dir():
            return candidate
    return Path.cwd()


def export_name(article_id: int, title: str) -> str:
    """A file name from the story's title: ASCII letters, digits and dashes only."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = _NOT_SLUG.sub("-", ascii_title.lower()).strip("-")[:MAX_SLUG].strip("-")
    return f"newsreader-{article_id}-{slug}.ics" if slug else f"newsreader-{article_id}.ics"


class Launcher(Widget):
    """Opens links, plays media and exports broadcasts; says how it went."""

    DEFAULT_CSS = """
    Launcher {
        display: none;
    }
    """

    @dataclass
    class Finished(Message):
        """What happened, as the notification should say it."""

        text: str
        failed: bool

    def __init__(self, store: Store, config: Config, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._store = store
        self._config = config
        self._labels: Labels = ENGLISH

    def on_mount(self) -> None:
        self._labels = labels_of(self.app)

    def open_link(self, url: str) -> None:
        """Open ``url`` in the configured browser, else the system's."""
        self._launch(url, media=False)

    def open_link_or_say_none(self, url: str | None) -> None:
        """Open ``url``; without one, say that there is no web link."""
        if url is None:
            self.notify(self._labels.no_link, markup=False)
        else:
            self.open_link(url)

    def open_stored_link(self, article_id: int) -> None:
        """Open the web link of the stored article ``article_id`` (read off the UI thread)."""
        self._open_stored(article_id)

    @work(thread=True, group="launch", exit_on_error=False)
    def _open_stored(self, article_id: int) -> None:
        article = self._store.article(article_id)
        url = openable_url(article.url) if article is not None else None
        self.app.call_from_thread(self.open_link_or_say_none, url)

    def play(self, url: str) -> None:
        """Play ``url`` with the configured player, else mpv, else the browser."""
        self._launch(url, media=True)

    def view_image(self, url: str) -> None:
        """Show the picture at ``url`` in the configured viewer, else the browser."""
        self._launch(url, media=False, image=True)

    def play_item(self, item: MediaItem) -> None:
        """Play the item; say so when it has no http(s) link."""
        url = openable_url(item.url)
        if url is None:
            self.notify(self._labels.no_media_link.format(kind=item.kind), markup=False)
        else:
            self.play(url)

    def describe_programme(self, slot: ProgrammeSlot, language: str | None) -> None:
        """A broadcast has no link to open: say when and where it is on instead."""
        when = ""
        if slot.start is not None:
            day, time = (
                format_day(local_day(slot.start), language),
                format_time(slot.start, language),
            )
            when = f", {day} {time}"
        self.notify(
            self._labels.broadcast_notice.format(
                station=slot.station, programme=slot.programme, when=when
            ),
            title=self._labels.on_air_title,
            markup=False,
        )

    def export_programme(self, article_id: int, title: str) -> None:
        """Write the article's broadcasts to an .ics file where the reader finds it."""
        self._export(article_id, title)

    @work(thread=True, group="launch", exit_on_error=False)
    def _launch(self, url: str, *, media: bool, image: bool = False) -> None:
        from newsreader.launch import LaunchError, open_link, play_media, view_image

        labels = self._labels
        try:
            if image:
                started = view_image(url, self._config)
            elif media:
                started = play_media(url, self._config)
            else:
                started = open_link(url, self._config)
        except LaunchError as error:
            reason = localised(str(error), labels)
            self.post_message(self.Finished(labels.launch_failed.format(error=reason), True))
            return
        template = labels.playing if media else labels.opened_link
        self.post_message(self.Finished(template.format(url=url, program=started.program), False))

    @work(thread=True, exclusive=True, group="export", exit_on_error=False)
    def _export(self, article_id: int, title: str) -> None:
        from newsreader.store.programme import export_ics, programme_slots

        labels = self._labels
        if not any(slot.start is not None for slot in programme_slots(self._store, article_id)):
            self.post_message(self.Finished(labels.no_slots, True))
            return
        path = export_dir() / export_name(article_id, title)
        try:
            count = export_ics(self._store, path, article_id)
        except OSError as error:
            reason = f"{path}: {error.strerror or error}"
            self.post_message(self.Finished(labels.export_failed.format(error=reason), True))
            return
        said = labels.exported_one if count == 1 else labels.exported
        self.post_message(self.Finished(said.format(count=count, path=path), False))

    @on(Finished)
    def _report(self, message: Finished) -> None:
        message.stop()
        self.notify(
            clean_line(message.text, limit=500),
            severity="error" if message.failed else "information",
            markup=False,
        )

    @on(Worker.StateChanged)
    def _report_failed_worker(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR:
            event.stop()
            template = (
                self._labels.export_failed
                if event.worker.group == "export"
                else self._labels.launch_failed
            )
            self.notify(
                clean_line(template.format(error=event.worker.error), limit=500),
                severity="error",
                markup=False,
            )
