"""Search as you type over everything stored; choosing a hit returns it to the caller.

ctrl+o sorts the hits by relevance or by date, ctrl+s keeps the query as a saved search,
and up and down in the field walk back through the queries searched before.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
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

from newsreader.models import SavedSearch, SearchHit
from newsreader.store.database import Store
from newsreader.store.query import QuerySyntaxError, SortOrder
from newsreader.ui.core_messages import localised
from newsreader.ui.labels import ENGLISH, Labels, labels_of, localise_tree
from newsreader.ui.render import palette_from_theme, search_hit_prompt
from newsreader.ui.settings import config_of
from newsreader.ui.widgets.key_footer import KeyFooter

DEBOUNCE_SECONDS = 0.2
RESULT_LIMIT = 50


@dataclass(frozen=True, slots=True)
class SearchChoice:
    """The hit the reader chose, and the query that found it (for the history)."""

    hit: SearchHit
    query: str


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


class SearchScreen(ModalScreen[SearchChoice | None]):
    """Dismisses with the chosen hit, or None when the reader escapes."""

    HELP_SECTION: ClassVar[str] = "Search"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close search", id="close-search"),
        Binding("ctrl+o", "toggle_sort", "Sort", id="search-sort"),
        Binding("ctrl+s", "save_search", "Save search", id="save-search"),
        # Priority bindings, since the Input claims up and down for itself; check_action
        # lets the keys through to the results once they have the focus. Down walks back
        # towards the newest query first, and from the reader's own text to the results.
        Binding(
            "up",
            "history_previous",
            "Previous search",
            show=False,
            id="search-history-previous",
            priority=True,
        ),
        Binding(
            "down",
            "history_next",
            "Next search",
            show=False,
            id="search-history-next",
            priority=True,
        ),
        Binding("down", "focus_results", "Go to results", id="search-to-results", priority=True),
    ]

    @dataclass
    class Finished(Message):
        """Results (or the syntax error) for exactly the query ``text`` in order ``sort``."""

        text: str
        sort: SortOrder
        hits: list[SearchHit]
        error: str | None = None

    @dataclass
    class HistoryRead(Message):
        """The queries searched before, newest first."""

        queries: list[str]

    @dataclass
    class Saved(Message):
        """The search was saved (``saved``), or why it was not (``error``)."""

        saved: SavedSearch | None
        error: str | None = None

    def __init__(
        self, store: Store, *, on_saved: Callable[[SavedSearch], None] | None = None
    ) -> None:
        """``on_saved`` is told of each search saved here, so the feed list can show it."""
        super().__init__()
        self._store = store
        self._on_saved = on_saved
        self._timer: Timer | None = None
        self._hits: list[SearchHit] = []
        self._shown: tuple[str, SortOrder] | None = None
        self._open_when_ready = False
        self._sort = SortOrder.RELEVANCE
        self._history: list[str] = []
        self._history_position = -1  # -1: the reader's own text, else an index into history
        self._draft = ""
        self._recalled: str | None = None
        self._last_run: str | None = None  # the last query that ran without an error

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
        self._show_sort()
        self.query_one(Input).focus()
        self._read_history()

    @property
    def _results(self) -> SearchResults:
        return self.query_one(SearchResults)

    @property
    def _input(self) -> Input:
        return self.query_one("#search-input", Input)

    def _set_status(self, text: str, *, error: bool = False) -> None:
        status = self.query_one("#search-status", Static)
        status.update(Text(text))
        status.set_class(error, "-error")

    def _show_sort(self) -> None:
        labels = labels_of(self.app)
        by_date = self._sort is SortOrder.DATE
        words = labels.sorted_by_date if by_date else labels.sorted_by_relevance
        self.query_one("#search-dialog").border_subtitle = Text(words)

    # Searching

    @on(Input.Changed, "#search-input")
    def _schedule_search(self, event: Input.Changed) -> None:
        """Wait for a pause in typing before asking the store."""
        if event.value != self._recalled:
            self._history_position, self._recalled = -1, None  # the reader typed
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self._open_when_ready = False
        self.refresh_bindings()
        if not event.value.strip():
            self._show_hits("", [])
            self._set_status(labels_of(self.app).search_prompt)
            return
        text = event.value
        self._timer = self.set_timer(DEBOUNCE_SECONDS, lambda: self._search(text, self._sort))

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def _search(self, text: str, sort: SortOrder) -> None:
        try:
            hits = self._store.search(text, limit=RESULT_LIMIT, sort=sort)
        except QuerySyntaxError as error:
            self.post_message(self.Finished(text, sort, [], str(error)))
        else:
            self.post_message(self.Finished(text, sort, hits))

    @work(thread=True, exclusive=True, group="search-history", exit_on_error=False)
    def _read_history(self) -> None:
        self.post_message(self.HistoryRead(self._store.search_history()))

    @work(thread=True, exclusive=True, group="search-save", exit_on_error=False)
    def _save(self, name: str, query: str) -> None:
        try:
            saved = self._store.save_search(name, query)
        except ValueError as error:  # QuerySyntaxError included: one sentence for the reader
            self.post_message(self.Saved(None, str(error)))
            return
        self._store.remember_search(query)
        self.post_message(self.Saved(saved))

    @on(Worker.StateChanged)
    def _report_failed_search(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR:
            self._open_when_ready = False
            error = labels_of(self.app).search_failed.format(error=event.worker.error)
            self._set_status(error, error=True)

    @on(Finished)
    def _show_results(self, message: Finished) -> None:
        if message.text != self._input.value or message.sort is not self._sort:
            return  # the reader has typed on or sorted anew; a newer search is coming
        self._show_hits(message.text, message.hits)
        if message.error is not None:
            self._set_status(localised(message.error, labels_of(self.app)), error=True)
            self._open_when_ready = False
            return
        self._set_status(_summary(message.text, len(message.hits), labels_of(self.app)))
        self._last_run = message.text.strip() or None
        if self._open_when_ready:
            self._open_when_ready = False
            if message.hits:
                self.dismiss(SearchChoice(message.hits[0], message.text))

    def _show_hits(self, text: str, hits: list[SearchHit]) -> None:
        self._hits, self._shown = hits, (text, self._sort)
        palette = palette_from_theme(self.app.theme_variables)
        labels = labels_of(self.app)
        results = self._results
        results.clear_options()
        options: list[Option | None] = []
        for number, hit in enumerate(hits):
            if number:
                options.append(None)
            prompt = search_hit_prompt(
                hit, palette, config_of(self.app).ui.date_format, labels.related_item
            )
            options.append(Option(prompt, id=f"hit-{number}"))
        results.add_options(options)
        if hits:
            results.action_first()
        self.refresh_bindings()

    @on(Input.Submitted, "#search-input")
    def _open_first_hit(self, event: Input.Submitted) -> None:
        """Enter opens the highlighted hit, searching first if the results are not in yet."""
        if self._shown == (event.value, self._sort) and self._hits:
            index = self._results.highlighted_option
            self.dismiss(SearchChoice(self._hit_for(index) or self._hits[0], event.value))
            return
        if not event.value.strip():
            return
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self._open_when_ready = True
        self._search(event.value, self._sort)

    def _hit_for(self, option: Option | None) -> SearchHit | None:
        if option is None or option.id is None:
            return None
        return self._hits[int(option.id.removeprefix("hit-"))]

    @on(OptionList.OptionSelected, "#search-results")
    def _open_selected_hit(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        hit = self._hit_for(event.option)
        if hit is not None and self._shown is not None:
            self.dismiss(SearchChoice(hit, self._shown[0]))

    @on(SearchResults.LeftAtTop)
    def _back_to_input(self) -> None:
        self._input.focus()

    # History and saving

    @on(HistoryRead)
    def _keep_history(self, message: HistoryRead) -> None:
        self._history = message.queries
        self.refresh_bindings()

    def _recall(self, position: int) -> None:
        """Put a query from the history (or, at -1, the reader's own text) into the field."""
        if self._history_position == -1:
            self._draft = self._input.value
        self._history_position = position
        text = self._draft if position == -1 else self._history[position]
        self._recalled = text
        self._input.value = text
        self._input.cursor_position = len(text)
        self.refresh_bindings()

    @on(Saved)
    def _report_saved(self, message: Saved) -> None:
        labels = labels_of(self.app)
        saved = message.saved
        if saved is None:
            error = localised(message.error or "", labels)
            self._set_status(labels.save_failed.format(error=error), error=True)
            return
        self._set_status(labels.search_saved.format(name=saved.name))
        self._history = [saved.query, *(q for q in self._history if q != saved.query)]
        if self._on_saved is not None:
            self._on_saved(saved)

    def _save_named(self, query: str, name: str | None) -> None:
        if name is not None:
            self._save(name, query)

    # Actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        in_field = isinstance(self.focused, Input)
        if action == "focus_results":
            return bool(self._hits) and in_field
        if action == "history_previous":
            return in_field and self._history_position + 1 < len(self._history)
        if action == "history_next":
            return in_field and self._history_position > -1
        if action == "save_search":
            return any(field.value.strip() for field in self.query("#search-input").results(Input))
        return True

    def action_focus_results(self) -> None:
        self._results.focus()

    def action_history_previous(self) -> None:
        self._recall(self._history_position + 1)

    def action_history_next(self) -> None:
        self._recall(self._history_position - 1)

    def action_toggle_sort(self) -> None:
        """Relevance or date; the hits are fetched again in the new order."""
        by_date = self._sort is SortOrder.DATE
        self._sort = SortOrder.RELEVANCE if by_date else SortOrder.DATE
        self._show_sort()
        text = self._input.value
        if text.strip():
            if self._timer is not None:
                self._timer.stop()
                self._timer = None
            self._search(text, self._sort)

    def action_save_search(self) -> None:
        """Ask for a name (the query, to start with), then save the query under it."""
        from newsreader.ui.screens.save_search import SaveSearchScreen

        query = self._input.value.strip()
        if query:
            self.app.push_screen(SaveSearchScreen(query, query), partial(self._save_named, query))

    def action_close(self) -> None:
        """Leave search; the last query that ran goes into the history all the same."""
        query = self._last_run
        if query is not None:  # an app worker: it outlives this screen
            self.app.run_worker(
                partial(self._store.remember_search, query),
                thread=True,
                group="search-history",
                exit_on_error=False,
            )
        self.dismiss(None)
