"""The command palette (ctrl+p): the reader's own actions, only those that can act now.

Each command is a key binding of the screen the palette was opened on (or of one of its
widgets, or of the app), found by its binding id. It is offered only while that node's
``check_action`` says the action can run, which is also what shows or hides the key in
the footer, and choosing it runs the very action the key runs. Themes come last, one
"Theme: <name>" command each.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import Any, Final

from textual.actions import parse
from textual.app import App
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.dom import DOMNode
from textual.screen import Screen

from newsreader.ui.labels import command_help, key_description, labels_of

# The bindings the palette offers, in the order it lists them.
PALETTE_BINDINGS: Final = (
    "list-open",
    "search",
    "save-search",
    "delete-search",
    "add-feed",
    "remove-feed",
    "refresh",
    "toggle-read",
    "mark-all-read",
    "undo-mark-read",
    "toggle-star",
    "open-link",
    "links",
    "play-media",
    "export-programme",
    "zoom",
    "back",
    "forward",
    "help",
    "quit",
)
KEY_SEPARATOR: Final = " · "


@dataclass(frozen=True, slots=True)
class PaletteCommand:
    """A command as the palette lists it, and what choosing it does."""

    name: str
    help: str
    run: Callable[[], Awaitable[object] | None]
    binding_id: str | None = None


def _nodes(app: App[Any], screen: Screen[Any]) -> Iterator[DOMNode]:
    yield screen
    yield from screen.query("*")
    yield app


def action_commands(app: App[Any], screen: Screen[Any]) -> list[PaletteCommand]:
    """The reader's actions that can run now, with their keys (as remapped) in the help."""
    labels = labels_of(app)
    found: dict[str, tuple[str, list[str], str, DOMNode, str]] = {}
    for node in _nodes(app, screen):
        bindings = node._bindings.copy()
        bindings.apply_keymap(app._keymap)
        for _key, binding in bindings:
            binding_id = binding.id
            if binding_id not in PALETTE_BINDINGS:
                continue
            if binding_id in found:
                entry = found[binding_id]
                if entry[3] is node and (shown := app.get_key_display(binding)) not in entry[1]:
                    entry[1].append(shown)
                continue
            _namespace, action, parameters = parse(binding.action)
            if node.check_action(action, parameters) is not True:
                continue
            name = key_description(labels, binding)
            keys = [app.get_key_display(binding)]
            found[binding_id] = (name, keys, binding.action, node, binding_id)
    commands = []
    for binding_id in PALETTE_BINDINGS:
        if binding_id not in found:
            continue
        name, keys, action, node, _ = found[binding_id]
        description = command_help(labels, binding_id)
        help_text = KEY_SEPARATOR.join(part for part in (description, " / ".join(keys)) if part)
        run = partial(app.run_action, action, node)
        commands.append(PaletteCommand(name, help_text, run, binding_id))
    return commands


def theme_commands(app: App[Any]) -> list[PaletteCommand]:
    """One command per theme; the app remembers the choice."""
    labels = labels_of(app)

    def switch(name: str) -> None:
        app.theme = name

    return [
        PaletteCommand(
            labels.theme_command.format(name=name), labels.theme_help, partial(switch, name)
        )
        for name in sorted(app.available_themes)
    ]


def palette_commands(app: App[Any], screen: Screen[Any]) -> list[PaletteCommand]:
    return [*action_commands(app, screen), *theme_commands(app)]


class NewsreaderCommands(Provider):
    """Offers ``palette_commands`` for the screen the palette was opened on."""

    async def discover(self) -> Hits:
        for command in palette_commands(self.app, self.screen):
            yield DiscoveryHit(command.name, command.run, help=command.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in palette_commands(self.app, self.screen):
            score = matcher.match(command.name)
            if score > 0:
                yield Hit(
                    score, matcher.highlight(command.name), command.run, command.name, command.help
                )
