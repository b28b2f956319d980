"""The theme a reader picks in the app is found again on the next start, unless the config says."""

from __future__ import annotations

from pathlib import Path

from newsreader.paths import cache_dir
from newsreader.ui.ui_state import (
    DEFAULT_THEME,
    StartTheme,
    UiState,
    load_state,
    save_state,
    start_theme,
    state_path,
)

THEMES = {"textual-dark", "textual-light", "nord", "gruvbox"}


def test_the_state_file_lives_in_newsreaders_cache_directory() -> None:
    assert state_path() == cache_dir() / "ui-state.json"


def test_a_saved_theme_loads_back(tmp_path: Path) -> None:
    path = tmp_path / "deeper" / "ui-state.json"
    save_state(path, UiState(theme="nord"))
    assert load_state(path) == UiState(theme="nord")
    assert [p.name for p in path.parent.iterdir()] == ["ui-state.json"]  # no temporary left


def test_a_missing_or_damaged_state_file_means_nothing_was_chosen(tmp_path: Path) -> None:
    path = tmp_path / "ui-state.json"
    assert load_state(path) == UiState()
    for damaged in (b"{not json", b"[1, 2]", b'{"theme": 7}', b"\xff\xfe", b'{"theme": ""}'):
        path.write_bytes(damaged)
        assert load_state(path) == UiState(), damaged
    path.write_bytes(b'{"theme": "' + b"x" * 70_000 + b'"}')
    assert load_state(path) == UiState()


def test_a_theme_named_in_the_config_wins_over_one_chosen_before_it_was_written() -> None:
    assert start_theme("gruvbox", "nord", THEMES) == StartTheme("gruvbox")
    assert start_theme("gruvbox", "nord", THEMES, DEFAULT_THEME) == StartTheme("gruvbox")


def test_a_theme_chosen_while_the_config_named_the_same_theme_wins() -> None:
    assert start_theme("gruvbox", "nord", THEMES, "gruvbox") == StartTheme("nord")


def test_the_zoom_is_kept_beside_the_theme(tmp_path: Path) -> None:
    path = tmp_path / "ui-state.json"
    save_state(path, UiState(theme="nord", zoomed=True, theme_config="gruvbox"))
    assert load_state(path) == UiState(theme="nord", zoomed=True, theme_config="gruvbox")


def test_the_remembered_theme_is_used_when_the_config_names_none() -> None:
    assert start_theme(DEFAULT_THEME, "nord", THEMES) == StartTheme("nord")
    assert start_theme(DEFAULT_THEME, None, THEMES) == StartTheme(DEFAULT_THEME)


def test_themes_that_do_not_exist_are_passed_over() -> None:
    assert start_theme(DEFAULT_THEME, "gone", THEMES) == StartTheme(DEFAULT_THEME)
    assert start_theme("no-such", "nord", THEMES) == StartTheme("nord", unknown="no-such")
    assert start_theme("no-such", None, THEMES) == StartTheme(DEFAULT_THEME, unknown="no-such")
