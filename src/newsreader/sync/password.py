"""Runs an account's password command: the password is never stored, only asked for.

The command is split like a shell word list but never run through a shell (nothing in it
is expanded), and its standard output is the password, as newsboat's passwordeval works.
"""

from __future__ import annotations

import shlex
import subprocess

from newsreader.sync.errors import AuthError

TIMEOUT_SECONDS = 60


def run_password_command(command: str) -> str:
    """The password the command prints (one trailing newline dropped); AuthError if none."""
    try:
        words = shlex.split(command)
    except ValueError as error:
        raise AuthError(f"the password command cannot be read: {error}") from None
    if not words:
        raise AuthError("the password command is empty")
    try:
        done = subprocess.run(
            words,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            timeout=TIMEOUT_SECONDS,
            check=False,
        )
    except FileNotFoundError:
        raise AuthError(f"the password command {words[0]!r} was not found") from None
    except (OSError, subprocess.TimeoutExpired) as error:
        raise AuthError(f"the password command failed: {type(error).__name__}") from None
    if done.returncode != 0:
        raise AuthError(f"the password command exited with status {done.returncode}")
    password = done.stdout.decode("utf-8", "replace")
    if password.endswith("\n"):
        password = password[:-1]
        if password.endswith("\r"):
            password = password[:-1]
    if not password:
        raise AuthError("the password command printed no password")
    return password
