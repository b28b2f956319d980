"""Search as you type over everything stored; choosing a hit returns it to the caller."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState

from newsreader.models import SearchHit
from newsreader.search import QuerySyntaxError
from newsreader.store import Store
from newsreader.ui.labels import ENGLISH, Labels, labels_of, localise_tree
from newsreader.ui.render import palette_from_theme, search_hit_prompt
from newsreader.ui.settings import config_of
from newsreader.ui.widgets.key_footer import KeyFooter

DEBOUNCE_SECONDS = 0.2
RESULT_LIMIT = 50


def _summary(text: str, count: int, labels: Labels = ENGLISH) -> str:
    """How many hits; with none, a hint that whole words are matched unless a * follows."""
    if count:
        return labels.one_match if count == 1 else labels.matches.format(count=count)
    last = text.split()[-1] if text.split() else ""
    if last.isalnum():
        return labels.no_matches_hint.format(word=last)
    return labels.no_matches


class SearchResults(OptionList):
    """The hits; moving up from the first one returns to the input."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "cursor_down", "Next result", show=False, id="results-next"),
        Binding("up", "cursor_up", "Previous result", show=False, id="results-previous"),
        Binding("enter", "select", "Open result", id="results-open"),
    ]

    class LeftAtTop(Message):
        """Up was pressed on the first result."""

    def action_cursor_up(self) -> None:
        if self.highlighted in (None, 0):
            self.post_message(self.LeftAtTop())
        else:
            super().action_cursor_up()


class SearchScreen(ModalScreen[SearchHit | None]):
    """Dismisses with the chosen hit, or None when the reader escapes."""

    HELP_SECTION: ClassVar[str] = "Search"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close search", id="close-search"),
        # A priority binding, since the Input claims down for itself; check_action lets the
        # key through to the results once they have the focus.
        Binding("down", "focus_results", "Go to results", id="search-to-results", priority=True),
    ]

    @dataclass
    class Finished(Message):
        """Results (or the syntax error) for exactly the query ``text``."""

        text: str
        hits: list[SearchHit]
        error: str | None = None

    def __init__(self, store: Store) -> None:
        super().__init__()
        self._store = store
        self._timer: Timer | None = None
        self._hits: list[SearchHit] = []
        self._shown_text: str | None = None
        self._open_when_ready = False

    def compose(self) -> ComposeResult:
        labels = labels_of(self.app)
        with Vertical(id="search-dialog") as dialog:
            dialog.border_title = labels.search
            yield Input(placeholder=labels.search_placeholder, id="search-input")
            yield Static(labels.search_prompt, id="search-status", markup=False)
            yield SearchResults(id="search-results")
        yield KeyFooter()

    def on_mount(self) -> None:
        localise_tree(self, labels_of(self.app))
        self.query_one(Input).focus()

    @property
    def _results(self) -> SearchResults:
        return self.query_one(SearchResults)

    def _set_status(self, text: str) -> None:
        self.query_one("#search-status", Static).update(Text(text))

    @on(Input.Changed, "#search-input")
    def _schedule_search(self, event: Input.Changed) -> None:
        """Wait for a pause in typing before asking the store."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self._open_when_ready = False
        if not event.value.strip():
            self._show_hits("", [])
            self._set_status(labels_of(self.app).search_prompt)
            return
        text = event.value
        self._timer = self.set_timer(DEBOUNCE_SECONDS, lambda: self._search(text))

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def _search(self, text: str) -> None:
        try:
            hits = self._store.search(text, limit=RESULT_LIMIT)
        except QuerySyntaxError as error:
            self.post_message(self.Finished(text, [], str(error)))
        else:
            self.post_message(self.Finished(text, hits))

    @on(Worker.StateChanged)
    def _report_failed_search(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR:
            self._open_when_ready = False
            self._set_status(labels_of(self.app).search_failed.format(error=event.worker.error))

    @on(Finished)
    def _show_results(self, message: Finished) -> None:
        if message.text != self.query_one(Input).value:
            return  # the reader has typed on; a newer search is coming
        self._show_hits(message.text, message.hits)
        if message.error is not None:
            self._set_status(message.error)
            self._open_when_ready = False
            return
        self._set_status(_summary(message.text, len(message.hits), labels_of(self.app)))
        if self._open_when_ready:
            self._open_when_ready = False
            if message.hits:
                self.dismiss(message.hits[0])

    def _show_hits(self, text: str, hits: list[SearchHit]) -> None:
        self._hits, self._shown_text = hits, text
        palette = palette_from_theme(self.app.theme_variables)
        results = self._results
        results.clear_options()
        options: list[Option | None] = []
        for number, hit in enumerate(hits):
            if number:
                options.append(None)
            prompt = search_hit_prompt(hit, palette, config_of(self.app).ui.date_format)
            options.append(Option(prompt, id=f"hit-{number}"))
        results.add_options(options)
        if hits:
            results.action_first()
        self.refresh_bindings()

    @on(Input.Submitted, "#search-input")
    def _open_first_hit(self, event: Input.Submitted) -> None:
        """Enter opens the highlighted hit, searching first if the results are not in yet."""
        if self._shown_text == event.value and self._hits:
            index = self._results.highlighted_option
            self.dismiss(self._hit_for(index) or self._hits[0])
            return
        if not event.value.strip():
            return
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self._open_when_ready = True
        self._search(event.value)

    def _hit_for(self, option: Option | None) -> SearchHit | None:
        if option is None or option.id is None:
            return None
        return self._hits[int(option.id.removeprefix("hit-"))]

    @on(OptionList.OptionSelected, "#search-results")
    def _open_selected_hit(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        hit = self._hit_for(event.option)
        if hit is not None:
            self.dismiss(hit)

    @on(SearchResults.LeftAtTop)
    def _back_to_input(self) -> None:
        self.query_one(Input).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "focus_results":
            return bool(self._hits) and isinstance(self.focused, Input)
        return True

    def action_focus_results(self) -> None:
        self._results.focus()

    def action_close(self) -> None:
        self.dismiss(None)
