"""The key reference, built from the live bindings so a remapped key shows as remapped.

Each line also names the binding's id, which is what ``[keymap]`` in the config takes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, ClassVar

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingsMap, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from newsreader.ui.labels import key_description, labels_of, localise_tree
from newsreader.ui.render import Palette
from newsreader.ui.widgets.key_footer import KeyFooter


@dataclass(frozen=True, slots=True)
class HelpEntry:
    section: str
    keys: str
    description: str
    binding_id: str = ""


def _help_nodes(app: App[Any], screen: Screen[Any]) -> list[tuple[str, DOMNode]]:
    """The screen, its widgets that name a help section, and the app, in that order."""
    nodes: list[tuple[str, DOMNode]] = []
    for node in [screen, *screen.query("*")]:
        section = getattr(node, "HELP_SECTION", None)
        if isinstance(section, str) and all(node is not seen for _, seen in nodes):
            nodes.append((section, node))
    nodes.append(("General", app))
    return nodes


def collect_help(
    app: App[Any],
    screen: Screen[Any],
    elsewhere: Iterable[tuple[str, Iterable[BindingType]]] = (),
) -> list[HelpEntry]:
    """One entry per binding id, with every key it is bound to after the keymap.

    ``elsewhere`` names the bindings of screens that are not open now, such as search.
    """
    grouped: dict[tuple[str, str], tuple[list[str], str]] = {}
    labels = labels_of(app)
    maps = [(section, node._bindings.copy()) for section, node in _help_nodes(app, screen)]
    maps += [(section, BindingsMap(bindings)) for section, bindings in elsewhere]
    for section, bindings in maps:
        # The same copy-and-apply a screen does for its own binding chain.
        bindings.apply_keymap(app._keymap)
        for _key, binding in bindings:
            _add(app, grouped, labels.section(section), binding)
    return [
        HelpEntry(section, " / ".join(keys), description, binding_id)
        for (section, binding_id), (keys, description) in grouped.items()
    ]


def _add(
    app: App[Any],
    grouped: dict[tuple[str, str], tuple[list[str], str]],
    section: str,
    binding: Binding,
) -> None:
    if binding.id is None or not binding.description:
        return  # framework defaults without an id are not ours to document
    description = key_description(labels_of(app), binding)
    keys, _ = grouped.setdefault((section, binding.id), ([], description))
    display = app.get_key_display(binding)
    if display not in keys:
        keys.append(display)


def _section_renderable(section: str, entries: list[HelpEntry], palette: Palette) -> Group:
    table = Table.grid(padding=(0, 2))
    table.add_column(min_width=12)
    table.add_column()
    table.add_column(style=palette.muted, overflow="fold")
    for entry in entries:
        table.add_row(
            Text(entry.keys, style="bold"), Text(entry.description), Text(entry.binding_id)
        )
    return Group(Text(section, style=palette.accent), table, Text())


def _balanced_columns(
    grouped: list[tuple[str, list[HelpEntry]]],
) -> tuple[list[tuple[str, list[HelpEntry]]], list[tuple[str, list[HelpEntry]]]]:
    """The sections cut into two columns of even height, so every key fits on one screen.

    A section may be cut in two; its heading then starts the second column again.
    """
    total = sum(len(entries) + 2 for _, entries in grouped)  # heading, rows, blank line
    half = (total + 1) // 2
    left: list[tuple[str, list[HelpEntry]]] = []
    right: list[tuple[str, list[HelpEntry]]] = []
    used = 0
    for section, entries in grouped:
        room = half - used - 2
        if right or room <= 0:
            right.append((section, entries))
        elif len(entries) <= room:
            left.append((section, entries))
            used += len(entries) + 2
        else:
            left.append((section, entries[:room]))
            right.append((section, entries[room:]))
            used = half
    return left, right


def help_renderable(entries: list[HelpEntry], palette: Palette) -> RenderableType:
    """The sections in two balanced columns, so every key fits on one screen."""
    sections = list(dict.fromkeys(entry.section for entry in entries))
    grouped = [(section, [e for e in entries if e.section == section]) for section in sections]
    left, right = _balanced_columns(grouped)
    grid = Table.grid(padding=(0, 4), expand=True)
    grid.add_column(ratio=1)
    grid.add_column(ratio=1)
    grid.add_row(
        Group(*(_section_renderable(name, rows, palette) for name, rows in left)),
        Group(*(_section_renderable(name, rows, palette) for name, rows in right)),
    )
    return grid


class HelpScreen(ModalScreen[None]):
    HELP_SECTION: ClassVar[str] = "Help"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark", "close", "Close help", id="close-help"),
    ]

    def __init__(self, entries: list[HelpEntry], palette: Palette) -> None:
        super().__init__()
        self._body = help_renderable(entries, palette)

    def compose(self) -> ComposeResult:
        with Vertical(id="help-dialog") as dialog:
            dialog.border_title = labels_of(self.app).keys_title
            with VerticalScroll(id="help-scroll"):
                yield Static(self._body, id="help-body")
        yield KeyFooter()

    def on_mount(self) -> None:
        localise_tree(self, labels_of(self.app))

    def action_close(self) -> None:
        self.dismiss(None)
