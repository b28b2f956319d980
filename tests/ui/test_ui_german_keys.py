"""Every key the reader can press is described in German too, and the tables stay complete."""

from __future__ import annotations

from newsreader.ui.app import known_binding_ids
from newsreader.ui.commands import PALETTE_BINDINGS
from newsreader.ui.labels import GERMAN, GERMAN_KEYS, command_help


def test_every_binding_id_has_a_german_description() -> None:
    assert known_binding_ids() - set(GERMAN_KEYS) == set()
    assert {"save-search", "delete-search", "search-sort", "search-history-previous"} <= set(
        GERMAN_KEYS
    )


def test_every_palette_command_explains_itself_in_both_languages() -> None:
    for binding_id in PALETTE_BINDINGS:
        assert command_help(GERMAN, binding_id), binding_id
    assert command_help(GERMAN, "save-search").startswith("Diese Suche")
    assert GERMAN.section("Save search") == "Suche speichern"
