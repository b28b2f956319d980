"""Adding and removing feeds from inside the reader, and asking before anything is deleted:
a base of the reading screen.

``a`` (or the palette) asks for an address and subscribes in a worker; ``d`` on a feed
unsubscribes from it and ``d`` on a saved search deletes it, each after a yes. While only
the bundled story is there, a line says how to subscribe. The keys are bound in
``MainScreen.BINDINGS`` and ``FeedList.BINDINGS``.
"""

from __future__ import annotations

from textual import on

from newsreader.text.sanitize import clean_line
from newsreader.ui.labels import labels_of
from newsreader.ui.screens.add_feed import AddFeedScreen
from newsreader.ui.screens.confirm import ConfirmScreen
from newsreader.ui.screens.marking import MarkingActions
from newsreader.ui.widgets.feed_list import FeedList
from newsreader.ui.widgets.feeds_column import FeedsColumn
from newsreader.ui.widgets.subscriber import Subscriber

BUNDLED_PREFIX = "bundled:"  # the bundled story's source (feeds.bundled.BUNDLED_SOURCE)
SHOWN_SOURCE_LENGTH = 120


class SubscriptionActions(MarkingActions):
    """The actions behind adding and removing feeds, and the questions before deleting."""

    def action_add_feed(self) -> None:
        def subscribe(source: str | None) -> None:
            if source is not None:
                shown = clean_line(source, limit=SHOWN_SOURCE_LENGTH)
                self.notify(labels_of(self.app).subscribing.format(source=shown), markup=False)
                self.query_one(Subscriber).subscribe(source)

        self.app.push_screen(AddFeedScreen(), subscribe)

    @on(Subscriber.Added)
    def _show_subscribed(self, message: Subscriber.Added) -> None:
        labels = labels_of(self.app)
        if message.error is not None:
            source = clean_line(message.source, limit=SHOWN_SOURCE_LENGTH)
            text = labels.subscribe_failed.format(source=source, error=message.error)
            self.notify(text, severity="error", markup=False)
            return
        self.notify(labels.subscribed.format(title=message.title, new=message.new), markup=False)
        self.query_one(FeedsColumn).reload()

    @on(FeedList.RemoveRequested)
    def _ask_to_remove_feed(self, message: FeedList.RemoveRequested) -> None:
        message.stop()
        question = labels_of(self.app).remove_feed_question.format(title=message.title)

        def remove(yes: bool | None) -> None:
            if yes:
                self.query_one(Subscriber).unsubscribe(message.feed_id)

        self.app.push_screen(ConfirmScreen(question), remove)

    @on(Subscriber.Removed)
    def _show_removed(self, message: Subscriber.Removed) -> None:
        text = labels_of(self.app).feed_removed.format(title=message.title, count=message.articles)
        self.notify(text, markup=False)
        self.query_one(FeedsColumn).forget_feed(message.feed_id)

    @on(FeedList.DeleteRequested)
    def _ask_to_delete_search(self, message: FeedList.DeleteRequested) -> None:
        message.stop()
        question = labels_of(self.app).delete_search_question.format(name=message.name)

        def delete(yes: bool | None) -> None:
            if yes:
                self.query_one(FeedsColumn).delete_search(message.name)

        self.app.push_screen(ConfirmScreen(question), delete)

    @on(FeedsColumn.FirstFeedsShown)
    def _tell_how_to_subscribe(self, message: FeedsColumn.FirstFeedsShown) -> None:
        """While the bundled story is all there is: how to add a feed."""
        if not all(source.startswith(BUNDLED_PREFIX) for source in message.sources):
            return
        key = self._key_of("add-feed") or "a"
        self.notify(labels_of(self.app).how_to_subscribe.format(key=key), timeout=15, markup=False)

    def _key_of(self, binding_id: str) -> str | None:
        """A key as the footer shows it, after the reader's keymap."""
        bindings = self._bindings.copy()
        bindings.apply_keymap(self.app._keymap)
        for _key, binding in bindings:
            if binding.id == binding_id:
                return self.app.get_key_display(binding)
        return None
