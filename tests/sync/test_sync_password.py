"""The password command: split like shell words, never run by a shell, output is the password."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from newsreader.sync.errors import AuthError
from newsreader.sync.password import run_password_command


def test_the_output_is_the_password_without_its_line_end(tmp_path: Path) -> None:
    secret = tmp_path / "secret"
    secret.write_text("pass word with spaces\n")
    assert run_password_command(f"cat '{secret}'") == "pass word with spaces"


def test_no_shell_runs_it_so_nothing_is_expanded_or_chained(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    command = f"{sys.executable} -c 'import sys; print(sys.argv[1:])' $HOME ; touch {marker}"
    printed = run_password_command(command)
    assert printed == f"['$HOME', ';', 'touch', '{marker}']"
    assert not marker.exists()


@pytest.mark.parametrize(
    ("command", "reason"),
    [
        ("", "the password command is empty"),
        ("'unclosed", "the password command cannot be read"),
        ("no-such-program-here", "the password command 'no-such-program-here' was not found"),
        ("false", "the password command exited with status 1"),
        ("true", "the password command printed no password"),
    ],
)
def test_a_failing_command_is_one_plain_line(command: str, reason: str) -> None:
    with pytest.raises(AuthError) as raised:
        run_password_command(command)
    assert str(raised.value).startswith(reason)
    assert "\n" not in str(raised.value)
