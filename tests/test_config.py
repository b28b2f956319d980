"""A user's settings file: every setting, every mistake, and the reader never falling over."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from newsreader.config import (
    TEMPLATE,
    CommandsConfig,
    Config,
    FetchConfig,
    RefreshConfig,
    UiConfig,
    config_path,
    load_config,
    parse_config,
    render_toml,
)
from newsreader.feeds.fetch import FetchSettings

FIXTURES = Path(__file__).parent / "fixtures" / "config"
EVERY_SETTING = FIXTURES / "every-setting.toml"
EVERY_MISTAKE = FIXTURES / "every-mistake.toml"
NOT_TOML = FIXTURES / "not-toml.toml"


def problems_of(text: str) -> list[str]:
    return parse_config(text, "config.toml").problems


def only_problem(text: str) -> str:
    problems = problems_of(text)
    assert len(problems) == 1, problems
    return problems[0]


# Finding the file.


def test_the_config_path_follows_the_option_then_the_environment_then_the_platform(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSREADER_CONFIG", str(tmp_path / "from-env.toml"))
    assert config_path(tmp_path / "option.toml") == tmp_path / "option.toml"
    assert config_path(None) == tmp_path / "from-env.toml"
    monkeypatch.delenv("NEWSREADER_CONFIG")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    assert config_path(None) == tmp_path / "xdg" / "newsreader" / "config.toml"


# No file, a good file.


def test_without_a_config_file_every_setting_has_its_default_and_nothing_is_wrong(
    tmp_path: Path,
) -> None:
    result = load_config(tmp_path / "nowhere" / "config.toml")
    assert result.config == Config()
    assert result.problems == []


def test_the_defaults_are_what_the_reader_did_before_there_was_a_config() -> None:
    config = Config()
    assert config.refresh.interval_minutes == 0  # no background refresh unless asked
    assert config.fetch_settings() == FetchSettings()
    assert config.ui == UiConfig("textual-dark", "en", 90, "%Y-%m-%d %H:%M")
    assert config.language == "en"
    assert dict(config.keymap) == {}
    assert config.commands == CommandsConfig(browser=None, player=None)


def test_a_file_that_sets_every_setting_is_read_without_problems() -> None:
    result = load_config(EVERY_SETTING)
    assert result.problems == []
    assert result.path == EVERY_SETTING
    config = result.config
    assert config.refresh == RefreshConfig(interval_minutes=15)
    assert config.fetch == FetchConfig(
        concurrency=8, per_host=2, connect_timeout=5.0, timeout=45.5, max_size_mib=4
    )
    assert config.ui == UiConfig(
        theme="nord",
        language="de",
        article_width=72,
        date_format="%d.%m.%Y %H:%M",
        images="off",
        image_cache_mib=50,
    )
    assert config.language == "de"
    assert dict(config.keymap) == {"search": "ctrl+f", "open-link": "o,ctrl+o"}
    assert config.commands.browser == ("firefox", "--new-tab")
    assert config.commands.player == ("mpv", "--really-quiet", "--title=Aus dem Netz")
    assert config.commands.image_viewer == ("imv", "-f")


def test_the_fetch_settings_carry_the_configured_limits_and_keep_the_rest() -> None:
    settings = load_config(EVERY_SETTING).config.fetch_settings()
    assert isinstance(settings, FetchSettings)
    assert settings.max_connections == 8
    assert settings.max_per_host == 2
    assert settings.connect_timeout == 5.0
    assert settings.timeout == 45.5
    assert settings.max_body_bytes == 4 * 1024 * 1024
    assert settings.user_agent == FetchSettings().user_agent
    assert settings.max_redirects == FetchSettings().max_redirects


def test_a_config_cannot_be_changed_once_loaded() -> None:
    config = load_config(EVERY_SETTING).config
    with pytest.raises(AttributeError):
        config.ui.theme = "x"  # type: ignore[misc]
    with pytest.raises(TypeError):
        config.keymap["search"] = "f"  # type: ignore[index]


# Bad files: defaults, and a message for each thing ignored.


def test_a_file_full_of_mistakes_gives_the_defaults_and_names_every_mistake() -> None:
    result = load_config(EVERY_MISTAKE)
    assert result.config == Config()
    where = f"{EVERY_MISTAKE}: "
    assert all(problem.startswith(where) for problem in result.problems)
    keys = [problem.removeprefix(where).split(": ", 1)[0] for problem in result.problems]
    assert keys == [
        "colour",
        "refresh.interval_minutes",
        "refresh.intervall",
        "fetch.concurrency",
        "fetch.per_host",
        "fetch.connect_timeout",
        "fetch.timeout",
        "fetch.max_size_mib",
        "ui.theme",
        "ui.language",
        "ui.article_width",
        "ui.date_format",
        "ui.images",
        "ui.image_cache_mib",
        "keymap.Search",
        "keymap.quit",
        "keymap.back",
        "commands.browser",
        "commands.player",
        "commands.image_viewer",
        "plugins",
    ]


def test_a_file_that_is_not_toml_gives_the_defaults_and_says_where_it_broke() -> None:
    result = load_config(NOT_TOML)
    assert result.config == Config()
    (problem,) = result.problems
    assert problem.startswith(f"{NOT_TOML}: not valid TOML (")
    assert "line 1" in problem
    assert problem.endswith("using the defaults")


def test_an_unreadable_file_gives_the_defaults_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[ui]\ntheme = "nord"\n', encoding="utf-8")

    def refuse(self: Path, *args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "open", refuse)
    result = load_config(path)
    assert result.config == Config()
    assert result.problems == [f"{path}: cannot be read (Permission denied); using the defaults"]


def test_a_path_through_a_file_gives_the_defaults_and_says_so(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("", encoding="utf-8")
    path = tmp_path / "file" / "config.toml"
    result = load_config(path)
    assert result.config == Config()
    assert result.problems == [f"{path}: cannot be read (Not a directory); using the defaults"]


def test_a_directory_in_place_of_the_file_gives_the_defaults_and_says_so(tmp_path: Path) -> None:
    result = load_config(tmp_path)
    assert result.config == Config()
    assert result.problems == [f"{tmp_path}: is a directory, not a config file; using the defaults"]


def test_a_file_that_is_not_utf8_gives_the_defaults_and_says_so(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(b'[ui]\ntheme = "n\xf6rd"\n')
    assert load_config(path).problems == [f"{path}: is not UTF-8 text; using the defaults"]


def test_a_huge_file_is_not_read(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(b"#" * (2 * 1024 * 1024))
    result = load_config(path)
    assert result.config == Config()
    assert result.problems == [f"{path}: is larger than 1 MiB; using the defaults"]


def test_good_settings_survive_next_to_bad_ones() -> None:
    result = parse_config('[ui]\ntheme = "nord"\narticle_width = "wide"\n', "config.toml")
    assert result.config.ui.theme == "nord"
    assert result.config.ui.article_width == 90
    assert result.problems == [
        "config.toml: ui.article_width: must be a whole number of columns from 40 to 200, "
        'not "wide"'
    ]


# Each setting, good and bad.


def test_the_refresh_interval_is_whole_minutes_and_zero_turns_it_off() -> None:
    assert parse_config("[refresh]\ninterval_minutes = 0").config.refresh.interval_minutes == 0
    assert parse_config("[refresh]\ninterval_minutes = 60").config.refresh.interval_minutes == 60
    assert only_problem('[refresh]\ninterval_minutes = "soon"') == (
        "config.toml: refresh.interval_minutes: must be a whole number of minutes "
        'from 0 (off) to 10080, not "soon"'
    )
    for bad in ("-5", "1.5", "true", "10081"):
        problem = only_problem(f"[refresh]\ninterval_minutes = {bad}")
        assert problem.endswith(f"not {bad}")


@pytest.mark.parametrize(
    ("key", "good", "bad"),
    [
        ("concurrency", "1", "0"),
        ("concurrency", "256", "257"),
        ("per_host", "64", "65"),
        ("per_host", "3", "false"),
        ("max_size_mib", "1024", "1025"),
        ("max_size_mib", "1", "0.5"),
    ],
)
def test_fetch_limits_are_whole_numbers_in_range(key: str, good: str, bad: str) -> None:
    assert getattr(parse_config(f"[fetch]\n{key} = {good}").config.fetch, key) == int(good)
    problem = only_problem(f"[fetch]\n{key} = {bad}")
    assert problem.startswith(f"config.toml: fetch.{key}: must be a whole number of ")
    assert problem.endswith(f"not {bad}")


@pytest.mark.parametrize("key", ["connect_timeout", "timeout"])
def test_timeouts_are_positive_seconds(key: str) -> None:
    assert getattr(parse_config(f"[fetch]\n{key} = 2").config.fetch, key) == 2.0
    assert getattr(parse_config(f"[fetch]\n{key} = 0.5").config.fetch, key) == 0.5
    for bad in ("0", "-1.0", "inf", "nan", '"10s"', "true", "100000"):
        problem = only_problem(f"[fetch]\n{key} = {bad}")
        assert problem.startswith(f"config.toml: fetch.{key}: must be a number of seconds above 0")
        assert problem.endswith(f"not {bad}")


def test_the_theme_is_any_reasonable_name_the_ui_then_looks_up() -> None:
    for good in ("textual-light", "catppuccin-mocha", "my_theme.2"):
        assert parse_config(f'[ui]\ntheme = "{good}"').config.ui.theme == good
    for bad in ('""', '"dark theme"', '"[red]x"', "3", '"\\u001b[31m"'):
        problem = only_problem(f"[ui]\ntheme = {bad}")
        assert problem.startswith("config.toml: ui.theme: must be a Textual theme name")
    assert "\x1b" not in only_problem('[ui]\ntheme = "\\u001b[31m"')


def test_the_language_is_english_or_german() -> None:
    assert parse_config('[ui]\nlanguage = "de"').config.language == "de"
    assert parse_config('[ui]\nlanguage = "DE"').config.language == "de"
    assert only_problem('[ui]\nlanguage = "fr"') == (
        'config.toml: ui.language: must be "en" or "de", not "fr"'
    )


def test_the_article_width_is_40_to_200_columns() -> None:
    assert parse_config("[ui]\narticle_width = 40").config.ui.article_width == 40
    assert parse_config("[ui]\narticle_width = 200").config.ui.article_width == 200
    for bad in ("39", "201", '"80"'):
        assert only_problem(f"[ui]\narticle_width = {bad}") == (
            f"config.toml: ui.article_width: must be a whole number of columns from 40 to 200, "
            f"not {bad}"
        )


def test_the_date_format_must_write_a_date_on_one_line() -> None:
    config = parse_config('[ui]\ndate_format = "%A, %d. %B %Y"').config
    assert config.ui.date_format == "%A, %d. %B %Y"
    assert "control characters" in only_problem('[ui]\ndate_format = "%d\\u001b[2J"')
    assert "line break or tab" in only_problem('[ui]\ndate_format = "%d%n%H"')
    assert "line break or tab" in only_problem('[ui]\ndate_format = "%d%t%H"')
    assert "strftime format" in only_problem('[ui]\ndate_format = ""')
    assert "strftime format" in only_problem("[ui]\ndate_format = 5")
    assert "at most 64" in only_problem(f'[ui]\ndate_format = "{"%d" * 40}"')


def test_the_keymap_binds_ids_to_keys() -> None:
    config = parse_config(
        '[keymap]\nsearch = "ctrl+f"\ntoggle-star = " s , f5 "\nquit = "question_mark"'
    ).config
    assert dict(config.keymap) == {
        "search": "ctrl+f",
        "toggle-star": "s,f5",
        "quit": "question_mark",
    }


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ('Search = "ctrl+f"', "binding ids are lower-case letters, digits and '-'"),
        ('"open link" = "o"', "binding ids are lower-case letters, digits and '-'"),
        ('search = ""', "must be keys such as"),
        ("search = 5", "must be keys such as"),
        ('search = "ctrl+f,,f3"', "has an empty key between commas"),
        ('search = "ctrl f"', "must not contain spaces or control characters"),
        ('search = "\\u0007"', "must not contain spaces or control characters"),
    ],
)
def test_keymap_mistakes_are_reported_and_the_binding_keeps_its_keys(
    line: str, reason: str
) -> None:
    result = parse_config(f'[keymap]\n{line}\nquit = "ctrl+q"', "config.toml")
    assert dict(result.config.keymap) == {"quit": "ctrl+q"}
    (problem,) = result.problems
    assert problem.startswith("config.toml: keymap.")
    assert reason in problem


def test_commands_are_argv_lists_or_strings_split_like_a_shell_without_one() -> None:
    config = parse_config(
        '[commands]\nbrowser = ["my browser", "--new-window"]\n'
        "player = \"mpv --title='a b' ;rm -rf ~\""
    ).config
    assert config.commands.browser == ("my browser", "--new-window")
    # Split into words only: the ; is a plain character, not a second command.
    assert config.commands.player == ("mpv", "--title=a b", ";rm", "-rf", "~")


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("5", "must be a list of strings"),
        ('["mpv", 5]', "must be a list of strings"),
        ("[]", "must name a program"),
        ('""', "must name a program"),
        ('"   "', "must name a program"),
        ('"mpv \'open"', "cannot be split into words"),
        ('["mpv\\u0000x"]', "must not contain NUL"),
    ],
)
def test_bad_commands_are_reported_and_left_unset(value: str, reason: str) -> None:
    result = parse_config(f"[commands]\nplayer = {value}", "config.toml")
    assert result.config.commands.player is None
    (problem,) = result.problems
    assert problem.startswith("config.toml: commands.player: ")
    assert reason in problem


def test_unknown_settings_are_reported_with_a_suggestion() -> None:
    assert only_problem("[refresh]\ninterval = 5") == (
        "config.toml: refresh.interval: unknown setting, ignored "
        "(did you mean refresh.interval_minutes?)"
    )
    assert only_problem('theme = "nord"') == (
        "config.toml: theme: unknown setting, ignored (did you mean ui.theme?)"
    )
    assert only_problem("[fetsh]\ntimeout = 5") == (
        "config.toml: fetsh: unknown section, ignored (did you mean fetch?)"
    )
    assert only_problem("[zzz]") == (
        "config.toml: zzz: unknown section, ignored "
        "(sections are refresh, fetch, ui, reading, feeds, keymap, commands)"
    )
    assert only_problem("[ui]\nzzz = 1") == (
        "config.toml: ui.zzz: unknown setting, ignored "
        "([ui] has theme, language, article_width, date_format, images, image_cache_mib)"
    )


def test_a_section_that_is_not_a_table_is_reported() -> None:
    assert only_problem("ui = 5") == "config.toml: ui: must be a table ([ui]), not 5"


def test_long_bad_values_are_shortened_in_messages() -> None:
    problem = only_problem(f'[ui]\ntheme = "{"x" * 500}"')
    assert len(problem) < 250
    assert problem.endswith("…")


# Writing the settings back.


def test_the_effective_settings_written_as_toml_load_back_the_same() -> None:
    config = load_config(EVERY_SETTING).config
    text = render_toml(config)
    reloaded = parse_config(text)
    assert reloaded.problems == []
    assert reloaded.config == config


def test_awkward_strings_survive_the_round_trip() -> None:
    text = '[commands]\nplayer = ["mpv", "--title=\\"quoted\\" \\\\ back", "tab\\there"]\n'
    config = parse_config(text).config
    assert parse_config(render_toml(config)).config == config


def test_the_template_for_a_new_file_is_valid_toml_that_changes_nothing() -> None:
    document = tomllib.loads(TEMPLATE)
    assert all(table == {} for table in document.values())
    assert parse_config(TEMPLATE).config == Config()
    # Every setting is mentioned, so a user can find it.
    for key in (
        "interval_minutes",
        "concurrency",
        "per_host",
        "connect_timeout",
        "timeout",
        "max_size_mib",
        "theme",
        "language",
        "article_width",
        "date_format",
        "search",
        "browser",
        "player",
    ):
        assert f"# {key} = " in TEMPLATE


def test_each_commented_setting_in_the_template_works_once_uncommented() -> None:
    uncommented = "\n".join(
        line.removeprefix("# ") if " = " in line and not line.startswith("# Several") else line
        for line in TEMPLATE.splitlines()
    )
    result = parse_config(uncommented)
    assert result.problems == []
    assert result.config.commands.player == ("mpv", "--really-quiet")
    assert dict(result.config.keymap) == {"search": "ctrl+f"}


def test_the_pictures_setting_names_its_three_choices() -> None:
    result = parse_config('[ui]\nimages = "Sometimes"\n')
    assert result.config.ui.images == "auto"
    assert result.problems == [
        'config.toml: ui.images: must be one of "auto", "on", "off", not "Sometimes"'
    ]
    assert parse_config('[ui]\nimages = "OFF"\n').config.ui.images == "off"
