"""coldsweat 0.10.2, a small aggregator that speaks the Fever API, on 127.0.0.1.

It lives in its own cached venv (``.cache/coldsweat-venv`` in the checkout, built once with
pip), because its pins (Flask, peewee) are not ours. Each server gets a private SQLite
database and port, and coldsweat_launch.py keeps it from reaching beyond 127.0.0.1.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .processes import free_port, remove_tree, stop, wait_for_port

COLDSWEAT = "coldsweat==0.10.2"
CHECKOUT = Path(__file__).resolve().parents[2]
VENV = CHECKOUT / ".cache" / "coldsweat-venv"
LAUNCH = Path(__file__).with_name("coldsweat_launch.py")


def venv_python() -> Path:
    """The venv's python, building the venv first if it is not there yet."""
    python = VENV / "bin" / "python"
    stamp = VENV / ".installed"
    if not stamp.exists():
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(VENV)], check=True)
        subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", COLDSWEAT],
            check=True,
        )
        stamp.write_text(COLDSWEAT + "\n")
    return python


def fever_api_key(email: str, password: str) -> str:
    return hashlib.md5(f"{email}:{password}".encode()).hexdigest()


class ColdsweatServer:
    """One coldsweat with one user, on a private port and database."""

    def __init__(
        self, email: str = "reader@example.org", password: str = "correct horse 1"
    ) -> None:
        self.python = venv_python()
        self.root = Path(tempfile.mkdtemp(prefix="newsreader-coldsweat-"))
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/fever/"
        self.email = email
        self.password = password
        self.env = {
            **os.environ,
            "FLASK_DATABASE_URL": f"sqlite:///{self.root / 'coldsweat.db'}",
            "FLASK_SECRET_KEY": "tests only",
            "NO_PROXY": "127.0.0.1",
            "no_proxy": "127.0.0.1",
        }
        for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"):
            self.env.pop(name, None)
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def api_key(self) -> str:
        return fever_api_key(self.email, self.password)

    def _launch(self, *args: str) -> None:
        subprocess.run(
            [str(self.python), str(LAUNCH), *args],
            check=True,
            env=self.env,
            cwd=self.root,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def start(self) -> None:
        self._launch("setup", self.email, "-p", self.password)
        self.start_web()

    def start_web(self) -> None:
        self.process = subprocess.Popen(
            [str(self.python), str(LAUNCH), "run", "--host", "127.0.0.1", "--port", str(self.port)],
            env=self.env,
            cwd=self.root,
            stdout=subprocess.DEVNULL,
            stderr=open(self.root / "server.log", "ab"),  # noqa: SIM115
            start_new_session=True,
        )
        wait_for_port(self.port, self.process)

    def stop_web(self) -> None:
        if self.process is not None:
            stop(self.process)
            self.process = None

    def subscribe(self, group: str, *urls: str) -> None:
        """Subscribe the user to feeds in a group and fetch them now."""
        self._launch("subscribe", self.email, group, *urls)

    def fetch(self) -> None:
        """Fetch every feed again (no three-minute wait in this copy)."""
        self._launch("fetch")

    def close(self) -> None:
        self.stop_web()
        remove_tree(self.root)


@contextmanager
def running_coldsweat() -> Iterator[ColdsweatServer]:
    server = ColdsweatServer()
    try:
        server.start()
        yield server
    finally:
        server.close()
