"""Helpers shared by the server fixtures: free ports, waiting, dropping root, stopping."""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Sequence
from pathlib import Path


def free_port() -> int:
    """A port nobody listens on right now (the kernel picks it)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def wait_for_port(port: int, process: subprocess.Popen[bytes], timeout: float = 30.0) -> None:
    """Block until something accepts on the port, or fail saying the process died."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode} before listening")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.03)
    raise RuntimeError(f"nothing listens on port {port} after {timeout} s")


def unprivileged() -> tuple[list[str], int, int] | None:
    """When root, a setpriv prefix (and uid, gid) that runs a program as nobody.

    PostgreSQL and tt-rss refuse to run as root, so the tests drop to nobody then.
    """
    if os.geteuid() != 0:
        return None
    nobody = pwd.getpwnam("nobody")
    prefix = [
        "setpriv",
        f"--reuid={nobody.pw_uid}",
        f"--regid={nobody.pw_gid}",
        "--clear-groups",
        "--",
    ]
    return prefix, nobody.pw_uid, nobody.pw_gid


def as_server_user(command: Sequence[str]) -> list[str]:
    """The command, run as nobody when the tests run as root."""
    drop = unprivileged()
    return [*drop[0], *command] if drop else list(command)


def give_to_server_user(path: Path) -> None:
    """Hand a private directory tree to the user the servers run as."""
    drop = unprivileged()
    if drop is None:
        return
    _, uid, gid = drop
    for root, dirs, files in os.walk(path):
        os.chown(root, uid, gid)
        for name in dirs + files:
            os.lchown(os.path.join(root, name), uid, gid)


def stop(process: subprocess.Popen[bytes], timeout: float = 10.0) -> None:
    """Stop a server and everything it started (it runs in its own process group)."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def remove_tree(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)
