"""The config as the UI uses it: read from the app, checked against the keys, told to the reader.

``config_of`` gives any widget the running app's settings (the defaults in an app that has
none). ``unknown_bindings`` finds keymap entries that name no key, which the config file
alone cannot know, and ``problems_notice`` writes every problem into one notification,
cleaned of control characters and shown as plain text.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final

from textual.app import App
from textual.binding import Binding
from textual.dom import DOMNode

from newsreader.config import Config
from newsreader.text.sanitize import clean_line
from newsreader.ui.labels import Labels

MAX_SHOWN_PROBLEMS: Final = 8
MAX_PROBLEM_LENGTH: Final = 300
_DEFAULTS: Final = Config()


def config_of(app: App[Any]) -> Config:
    """The running newsreader app's config; the defaults for any other app."""
    config = getattr(app, "config", None)
    return config if isinstance(config, Config) else _DEFAULTS


def binding_ids(owners: Iterable[type[DOMNode]]) -> set[str]:
    """Every binding id the classes declare, as the keymap may name them."""
    ids: set[str] = set()
    for owner in owners:
        for binding in owner.BINDINGS:
            if isinstance(binding, Binding) and binding.id is not None:
                ids.add(binding.id)
    return ids


def unknown_bindings(keymap: Mapping[str, str], known: set[str], labels: Labels) -> list[str]:
    """A problem for each keymap entry whose id no binding has (a typo, most likely)."""
    return [
        labels.unknown_binding.format(binding=binding_id)
        for binding_id in sorted(keymap)
        if binding_id not in known
    ]


def problems_notice(problems: Sequence[str], labels: Labels) -> str:
    """One line per problem, cleaned and shortened; the rest counted, not listed."""
    shown = [clean_line(problem, limit=MAX_PROBLEM_LENGTH) for problem in problems]
    lines = shown[:MAX_SHOWN_PROBLEMS]
    if len(shown) > MAX_SHOWN_PROBLEMS:
        lines.append(labels.more_problems.format(count=len(shown) - MAX_SHOWN_PROBLEMS))
    return "\n".join(lines)
