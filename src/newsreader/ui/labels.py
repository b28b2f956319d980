"""The reader's own words, in English and German (``ui.language`` in the config).

Only the UI's own strings live here: pane titles, notices, key descriptions, help sections.
What an article says about itself (the sidebar headings a feed names, "Stand: ... Uhr")
still comes from the feed. Messages with a count or a name are ``str.format`` templates
with named fields; the values filled in are data, and the result is shown as plain text.

The tables themselves live in ``labels_en`` (with the ``Labels`` fields) and ``labels_de``.
Key descriptions are looked up by binding id, so the footer, the help screen and the
command palette all say the same thing in the same language.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from types import MappingProxyType
from typing import Any, Final

from textual.app import App
from textual.binding import Binding, BindingsMap
from textual.dom import DOMNode

from newsreader.ui.labels_de import GERMAN, GERMAN_COMMAND_HELP, GERMAN_KEY_NAMES, GERMAN_KEYS
from newsreader.ui.labels_en import ENGLISH, ENGLISH_COMMAND_HELP, Labels

__all__ = [
    "ENGLISH",
    "GERMAN",
    "GERMAN_KEYS",
    "Labels",
    "command_help",
    "key_description",
    "key_display",
    "labels_for",
    "labels_of",
    "localise_node",
    "localise_tree",
    "localised_bindings",
]


_BY_LANGUAGE: Final = {labels.language: labels for labels in (ENGLISH, GERMAN)}
_COMMAND_HELP: Final[Mapping[str, Mapping[str, str]]] = MappingProxyType(
    {"en": ENGLISH_COMMAND_HELP, "de": GERMAN_COMMAND_HELP}
)


def labels_for(language: str | None) -> Labels:
    """The labels for a config language ("en" or "de"); English for anything else."""
    return _BY_LANGUAGE.get((language or "en").lower()[:2], ENGLISH)


def labels_of(app: App[Any]) -> Labels:
    """The labels of a running newsreader app (English for any other app, as in tests)."""
    labels = getattr(app, "labels", None)
    return labels if isinstance(labels, Labels) else ENGLISH


def key_description(labels: Labels, binding: Binding) -> str:
    """What a key does, in the labels' language; bindings carry the English."""
    if labels.language == "de" and binding.id is not None:
        return GERMAN_KEYS.get(binding.id, binding.description)
    return binding.description


def key_display(labels: Labels, shown: str) -> str:
    """A key as Textual shows it ("shift+tab", "pgdn"), named as the labels' keyboard names it."""
    if labels.language != "de":
        return shown
    return "+".join(GERMAN_KEY_NAMES.get(part.lower(), part) for part in shown.split("+"))


def command_help(labels: Labels, binding_id: str) -> str:
    """The palette's line under a command's name."""
    return _COMMAND_HELP.get(labels.language, _COMMAND_HELP["en"]).get(binding_id, "")


def localised_bindings(bindings: BindingsMap, labels: Labels) -> BindingsMap:
    """A copy of ``bindings`` whose descriptions are in the labels' language."""
    if labels.language == "en":
        return bindings.copy()
    keys = {
        key: [_with_description(binding, key_description(labels, binding)) for binding in group]
        for key, group in bindings.key_to_bindings.items()
    }
    return BindingsMap.from_keys(keys)


def localise_node(node: DOMNode, labels: Labels) -> None:
    """Put a widget's or screen's key descriptions into the labels' language, once.

    Every instance has its own copy of its class's bindings, so apps in different
    languages never share them; the footer and the help screen read these copies.
    """
    if labels.language != "en":
        node._bindings = localised_bindings(node._bindings, labels)
        node.refresh_bindings()


def localise_tree(screen: DOMNode, labels: Labels) -> None:
    """``localise_node`` for a screen and every widget on it."""
    for node in [screen, *screen.query("*")]:
        localise_node(node, labels)


def _with_description(binding: Binding, description: str) -> Binding:
    if description == binding.description:
        return binding
    return replace(binding, description=description)
