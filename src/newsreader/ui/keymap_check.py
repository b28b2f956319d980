"""Checks the config's keymap against the bindings it remaps, before anyone presses a key.

Two mistakes fail silently in Textual: an id that no binding has (a typo), and a key given
to a binding that another binding live at the same time already has (``toggle-star = "m"``
leaves "Read/unread" without a key). Both are told at start and by ``newsreader config
show``. This imports every screen and widget, so it is loaded only when a keymap is set.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from textual.binding import Binding, BindingType
from textual.dom import DOMNode

from newsreader.ui.labels import Labels
from newsreader.ui.settings import binding_ids, unknown_bindings


def binding_scopes() -> list[list[type[DOMNode]]]:
    """The classes whose bindings are live together: a screen, the focused widget."""
    from newsreader.ui.screens.add_feed import AddFeedScreen
    from newsreader.ui.screens.confirm import ConfirmScreen
    from newsreader.ui.screens.help import HelpScreen
    from newsreader.ui.screens.links import LinkList, LinksScreen
    from newsreader.ui.screens.main import MainScreen
    from newsreader.ui.screens.save_search import SaveSearchScreen
    from newsreader.ui.screens.search import SearchResults, SearchScreen
    from newsreader.ui.widgets.article_list import ArticleList
    from newsreader.ui.widgets.article_view import ArticleView
    from newsreader.ui.widgets.feed_list import FeedList
    from newsreader.ui.widgets.sidebar import Sidebar

    return [
        [MainScreen, ArticleList],
        [MainScreen, ArticleView],
        [MainScreen, FeedList],
        [MainScreen, Sidebar],
        [SearchScreen, SearchResults],
        [SaveSearchScreen],
        [HelpScreen],
        [LinksScreen, LinkList],
        [AddFeedScreen],
        [ConfirmScreen],
    ]


def _keys(binding: Binding, keymap: Mapping[str, str]) -> list[str]:
    keys = keymap.get(binding.id, binding.key) if binding.id is not None else binding.key
    return [key.strip() for key in keys.split(",") if key.strip()]


def keymap_clashes(
    keymap: Mapping[str, str],
    app_bindings: Sequence[BindingType],
    scopes: Sequence[Sequence[type[DOMNode]]] | None = None,
) -> list[tuple[str, tuple[str, ...]]]:
    """Each key that the keymap leaves with two or more binding ids live at once."""
    found: dict[tuple[str, tuple[str, ...]], None] = {}
    for scope in binding_scopes() if scopes is None else scopes:
        owners: dict[str, set[str]] = {}
        for binding in [*app_bindings, *(b for owner in scope for b in owner.BINDINGS)]:
            if isinstance(binding, Binding) and binding.id is not None:
                for key in _keys(binding, keymap):
                    owners.setdefault(key, set()).add(binding.id)
        for key, ids in owners.items():
            if len(ids) > 1 and ids & set(keymap):
                found[(key, tuple(sorted(ids)))] = None
    return list(found)


def keymap_problems(
    keymap: Mapping[str, str], app_bindings: Sequence[BindingType], labels: Labels
) -> list[str]:
    """Unknown ids, then clashes, each one line in the labels' language."""
    scopes = binding_scopes()
    problems = unknown_bindings(keymap, all_binding_ids(app_bindings), labels)
    problems += [
        labels.keymap_clash.format(key=key, ids=", ".join(ids))
        for key, ids in keymap_clashes(keymap, app_bindings, scopes)
    ]
    return problems


def all_binding_ids(app_bindings: Sequence[BindingType]) -> set[str]:
    """Every id the keymap may name: the app's and those of every screen and widget."""
    own = {b.id for b in app_bindings if isinstance(b, Binding) and b.id is not None}
    return own | binding_ids(owner for scope in binding_scopes() for owner in scope)
