"""Marking a whole view read at once, and taking it back: a base of the reading screen.

"Mark all read" acts on what the article list shows: a feed, one of the views across
feeds, or a saved search. The notification counts the stories and offers the undo key;
the undo makes exactly the articles it changed unread again. The keys are bound in
``MainScreen.BINDINGS``, so they keep their place in the footer and the palette.
"""

from __future__ import annotations

from dataclasses import replace

from textual import on

from newsreader.ui.labels import labels_of
from newsreader.ui.screens.outside import OutsideActions
from newsreader.ui.widgets.feeds_column import FeedsColumn
from newsreader.ui.widgets.read_marker import ReadMarker

UNDO_SECONDS = 10.0  # how long the undo line stays up; the undo key works until replaced


class MarkingActions(OutsideActions):
    """The actions behind "mark all read" and its undo."""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "undo_mark_read":
            return self.query_one(ReadMarker).can_undo
        return super().check_action(action, parameters)

    def action_mark_all_read(self) -> None:
        """Mark every article of the view shown read, in one step."""
        self.query_one(ReadMarker).mark_read(self.query_one(FeedsColumn).view)

    def action_undo_mark_read(self) -> None:
        self.query_one(ReadMarker).undo()
        self.refresh_bindings()

    def _undo_key(self) -> str:
        """The undo key as the footer shows it, after the reader's keymap."""
        bindings = self._bindings.copy()
        bindings.apply_keymap(self.app._keymap)
        for _key, binding in bindings:
            if binding.id == "undo-mark-read":
                return self.app.get_key_display(binding)
        return "u"

    @on(ReadMarker.Marked)
    def _show_marked(self, message: ReadMarker.Marked) -> None:
        """The list, the counts and the open article follow; the reader is told."""
        marker, labels = self.query_one(ReadMarker), labels_of(self.app)
        if message.read:
            marker.undoable = message.article_ids
        self.query_one(FeedsColumn).follow_read_flags(message.article_ids, read=message.read)
        article = self._open_article
        if article is not None and article.id in set(message.article_ids):
            self._open_article = replace(article, read=message.read)
        if message.read and message.stories:
            text = labels.marked_read.format(count=message.stories, key=self._undo_key())
        elif message.read:
            text = labels.nothing_to_mark
        else:
            text = labels.marked_unread_again.format(count=message.stories)
        self.notify(text, timeout=UNDO_SECONDS, markup=False)
        self.refresh_bindings()
