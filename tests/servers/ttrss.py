"""Tiny Tiny RSS from Debian's tt-rss package, on a private PostgreSQL cluster, on 127.0.0.1.

The server is a private copy of /usr/share/tt-rss/www with its own config.php, served by
PHP's built-in web server. Two changes make the copy fit for tests: it may fetch feeds from
127.0.0.1 on any port (stock tt-rss refuses, to protect a public server), and it never
checks for updates. Nothing in it reaches beyond 127.0.0.1.
"""

from __future__ import annotations

import glob
import hashlib
import itertools
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from .processes import (
    as_server_user,
    free_port,
    give_to_server_user,
    remove_tree,
    stop,
    wait_for_port,
)

TTRSS_WWW = Path("/usr/share/tt-rss/www")
PHP_WORKERS = 4
TTRSS_SCHEMA = Path("/usr/share/tt-rss/schema/ttrss_schema_pgsql.sql")
_users = itertools.count(1)
# Changes to classes/urlhelper.php: lift the checks that keep a public server off 127.0.0.1
# and odd ports, and keep the port when the URL is rebuilt (stock code drops it).
URLHELPER_PATCHES = (
    ("if ($extended_filtering) {", "if (false) {"),
    ('strpos($ip_addr, "127.") === 0', "false"),
    ('strpos($fetch_effective_ip_addr, "127.") === 0', "false"),
    (
        """$tmp = $parts['scheme'] . "://" . $parts['host'];""",
        """$tmp = $parts['scheme'] . "://" . $parts['host'];"""
        """ if (isset($parts['port'])) $tmp .= ':' . $parts['port'];""",
    ),
)


def postgres_bin() -> Path:
    """The directory holding initdb and postgres (they are not on PATH on Debian)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        raise RuntimeError("PostgreSQL is not installed (apt-get install postgresql)")
    return Path(found[-1]).parent


def available() -> bool:
    """Whether the system packages the server needs are installed."""
    return (
        TTRSS_WWW.is_dir()
        and shutil.which("php") is not None
        and bool(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    )


CONFIG = """<?php
define('DB_TYPE', 'pgsql');
define('DB_HOST', '127.0.0.1');
define('DB_PORT', '{db_port}');
define('DB_USER', 'ttrss');
define('DB_NAME', 'ttrss');
define('DB_PASS', '');
define('MYSQL_CHARSET', 'UTF8');
define('SELF_URL_PATH', 'http://127.0.0.1:{web_port}/');
define('_SKIP_SELF_URL_PATH_CHECKS', true);
define('SINGLE_USER_MODE', false);
define('SIMPLE_UPDATE_MODE', false);
define('PHP_EXECUTABLE', '/usr/bin/php');
define('LOCK_DIRECTORY', '{root}/lock');
define('CACHE_DIR', '{root}/cache');
define('ICONS_DIR', '{root}/icons');
define('ICONS_URL', 'feed-icons');
define('AUTH_AUTO_CREATE', false);
define('AUTH_AUTO_LOGIN', false);
define('FORCE_ARTICLE_PURGE', 0);
define('ENABLE_REGISTRATION', false);
define('REG_NOTIFY_ADDRESS', 'user@example.invalid');
define('REG_MAX_USERS', 10);
define('SESSION_COOKIE_LIFETIME', 86400);
define('SMTP_FROM_NAME', 'Tiny Tiny RSS');
define('SMTP_FROM_ADDRESS', 'noreply@example.invalid');
define('DIGEST_SUBJECT', 'digest');
define('CHECK_FOR_UPDATES', false);
define('ENABLE_GZIP_OUTPUT', false);
define('PLUGINS', 'auth_internal');
define('LOG_DESTINATION', '');
define('CONFIG_VERSION', 26);
"""


@dataclass(frozen=True)
class TtrssUser:
    """One account on the server; each test gets its own, so tests never see each other."""

    server: TtrssServer
    login: str
    password: str

    @property
    def url(self) -> str:
        return self.server.url

    def api(self, op: str, **params: Any) -> Any:
        """Call the API as this user (a fresh session each time) and return its content."""
        with httpx.Client(timeout=60) as client:
            answer = client.post(
                self.server.api_url,
                json={"op": "login", "user": self.login, "password": self.password},
            ).json()
            sid = answer["content"]["session_id"]
            reply = client.post(self.server.api_url, json={"op": op, "sid": sid, **params})
            content = reply.json()["content"]
            return content

    def add_category(self, title: str) -> int:
        uid = self.server.uid(self.login)
        rows = self.server.sql(
            "INSERT INTO ttrss_feed_categories (owner_uid, title) "
            f"VALUES ({uid}, {quote(title)}) RETURNING id"
        )
        return int(rows.split()[0])

    def subscribe(self, feed_url: str, category_id: int = 0) -> int:
        """Subscribe, fetch the feed once, and return the server's feed id."""
        answer = self.api("subscribeToFeed", feed_url=feed_url, category_id=category_id)
        code = answer["status"]["code"]
        if code not in (0, 1):
            raise RuntimeError(f"tt-rss could not subscribe to {feed_url}: {answer}")
        feed_id = int(answer["status"]["feed_id"])
        self.update_feed(feed_id)
        return feed_id

    def update_feed(self, feed_id: int) -> None:
        """Make the server fetch one feed now (tt-rss caches a fetch for 30 s: vary URLs)."""
        self.api("updateFeed", feed_id=feed_id)

    def headlines(self, **params: Any) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        skip = 0
        while True:
            page = self.api(
                "getHeadlines", feed_id=-4, limit=200, skip=skip, view_mode="all_articles", **params
            )
            found.extend(page)
            if len(page) < 200:
                return found
            skip += 200


def quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


class TtrssServer:
    """PostgreSQL and PHP's web server for one test session, in one private directory."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="newsreader-ttrss-"))
        os.chmod(self.root, 0o755)
        self.db_port = free_port()
        self.web_port = free_port()
        self.url = f"http://127.0.0.1:{self.web_port}/"
        self.api_url = self.url + "api/"
        self.postgres: subprocess.Popen[bytes] | None = None
        self.web: subprocess.Popen[bytes] | None = None
        self.bin = postgres_bin()

    def start(self) -> None:
        for name in ("lock", "cache/images", "cache/upload", "cache/export", "icons", "run"):
            (self.root / name).mkdir(parents=True)
        self._copy_www()
        give_to_server_user(self.root)
        self._start_postgres()
        self.sql_file(TTRSS_SCHEMA)
        self.start_web()

    def _copy_www(self) -> None:
        www = self.root / "www"
        shutil.copytree(
            TTRSS_WWW,
            www,
            ignore=shutil.ignore_patterns("config.php", "feed-icons"),
            symlinks=False,
        )
        os.symlink(self.root / "icons", www / "feed-icons")
        (www / "config.php").write_text(
            CONFIG.format(db_port=self.db_port, web_port=self.web_port, root=self.root)
        )
        helper = www / "classes" / "urlhelper.php"
        patched = helper.read_text()
        for old, new in URLHELPER_PATCHES:
            if old not in patched:
                raise RuntimeError(f"tt-rss changed: no {old!r} to patch in the test copy")
            patched = patched.replace(old, new)
        helper.write_text(patched)

    def _start_postgres(self) -> None:
        data = self.root / "pg"
        subprocess.run(
            as_server_user(
                [str(self.bin / "initdb"), "-D", str(data), "-U", "ttrss", "-A", "trust", "-N"]
            ),
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.postgres = subprocess.Popen(
            as_server_user(
                [
                    str(self.bin / "postgres"),
                    "-D",
                    str(data),
                    "-p",
                    str(self.db_port),
                    "-k",
                    str(self.root / "run"),
                    "-c",
                    "listen_addresses=127.0.0.1",
                    "-c",
                    "fsync=off",
                    "-c",
                    "synchronous_commit=off",
                    "-c",
                    "full_page_writes=off",
                ]
            ),
            stdout=subprocess.DEVNULL,
            stderr=open(self.root / "postgres.log", "wb"),  # noqa: SIM115
            start_new_session=True,
        )
        wait_for_port(self.db_port, self.postgres)
        for _ in range(100):
            ready = subprocess.run(
                [str(self.bin / "pg_isready"), "-h", "127.0.0.1", "-p", str(self.db_port)],
                stdout=subprocess.DEVNULL,
            )
            if ready.returncode == 0:
                break
        subprocess.run(
            [
                str(self.bin / "createdb"),
                "-h",
                "127.0.0.1",
                "-p",
                str(self.db_port),
                "-U",
                "ttrss",
                "ttrss",
            ],
            check=True,
        )

    def start_web(self) -> None:
        """Start PHP's web server (again, after stop_web: the database keeps running)."""
        self.web = subprocess.Popen(
            as_server_user(
                ["php", "-S", f"127.0.0.1:{self.web_port}", "-t", str(self.root / "www")]
            ),
            # Several requests at once, as behind a real web server; clients may overlap.
            env={**os.environ, "PHP_CLI_SERVER_WORKERS": str(PHP_WORKERS)},
            stdout=subprocess.DEVNULL,
            stderr=open(self.root / "php.log", "ab"),  # noqa: SIM115
            start_new_session=True,
        )
        wait_for_port(self.web_port, self.web)

    def stop_web(self) -> None:
        """Take the web server away, as when the machine is unreachable."""
        if self.web is not None:
            stop(self.web)
            self.web = None

    def sql(self, statement: str) -> str:
        done = subprocess.run(
            [
                str(self.bin / "psql"),
                "-h",
                "127.0.0.1",
                "-p",
                str(self.db_port),
                "-U",
                "ttrss",
                "-d",
                "ttrss",
                "-qAt",
                "-v",
                "ON_ERROR_STOP=1",
                "-c",
                statement,
            ],
            check=True,
            capture_output=True,
            text=True,
        )
        return done.stdout

    def sql_file(self, path: Path) -> None:
        subprocess.run(
            [
                str(self.bin / "psql"),
                "-h",
                "127.0.0.1",
                "-p",
                str(self.db_port),
                "-U",
                "ttrss",
                "-d",
                "ttrss",
                "-q",
                "-v",
                "ON_ERROR_STOP=1",
                "-f",
                str(path),
            ],
            check=True,
            stdout=subprocess.DEVNULL,
            env={**os.environ, "PGOPTIONS": "-c client_min_messages=warning"},
        )

    def uid(self, login: str) -> int:
        return int(self.sql(f"SELECT id FROM ttrss_users WHERE login = {quote(login)}"))

    def new_user(self, password: str = "correct horse battery") -> TtrssUser:
        """A fresh account with the API switched on."""
        login = f"reader{next(_users)}"
        digest = hashlib.sha1(password.encode()).hexdigest()
        self.sql(
            "INSERT INTO ttrss_users (login, pwd_hash, access_level) "
            f"VALUES ({quote(login)}, 'SHA1:{digest}', 0)"
        )
        uid = self.uid(login)
        self.sql(
            "INSERT INTO ttrss_user_prefs (owner_uid, pref_name, profile, value) "
            f"VALUES ({uid}, 'ENABLE_API_ACCESS', NULL, 'true')"
        )
        return TtrssUser(self, login, password)

    def close(self) -> None:
        self.stop_web()
        if self.postgres is not None:
            stop(self.postgres)
            self.postgres = None
        remove_tree(self.root)


@contextmanager
def running_ttrss() -> Iterator[TtrssServer]:
    """A started server, stopped and wiped afterwards whatever happens."""
    server = TtrssServer()
    try:
        server.start()
        yield server
    finally:
        server.close()
