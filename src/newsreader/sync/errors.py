"""The one error a sync reports: a single line a person can act on, never a secret."""

from __future__ import annotations


class SyncError(Exception):
    """A sync step failed; ``str()`` is a one-line reason, safe to print and log."""


class AuthError(SyncError):
    """The server refused the user name or password (or the password command failed)."""


class SessionExpired(SyncError):
    """The server forgot the session; the client logs in again once."""
