"""Parse workers that end when the process that started them is gone, however it went.

A refresh killed outright (``kill -9``, the OOM killer) runs no clean-up, and its workers
would wait for work forever: each holds both ends of its own pipes, so none ever sees
the parent go. The starting process keeps the only write end of a pipe (``Lifeline``);
each worker watches the read end in a thread and leaves when it reads end-of-file, which
the kernel delivers when the starter dies. On Linux each worker also asks for SIGKILL
when its own parent (the fork server) dies; ``forkserver_guard`` does the same for the
fork server, whose parent is the starting process.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import signal
import sys
import threading
from multiprocessing.connection import Connection
from multiprocessing.context import BaseContext

PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def die_with_parent() -> None:
    """Have the kernel kill this process when its parent ends (Linux only; else nothing).

    If the parent is already gone (this process was adopted), end at once.
    """
    if not sys.platform.startswith("linux"):
        return
    parent = os.getppid()
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:
        os._exit(1)


class Lifeline:
    """A pipe whose write end only the starting process holds; workers get the read end."""

    def __init__(self, context: BaseContext) -> None:
        self.reader, self._writer = context.Pipe(duplex=False)

    def close(self) -> None:
        """Let the workers go: they see end-of-file as if the starter had died."""
        self._writer.close()
        self.reader.close()


def watch_starter(reader: Connection) -> None:
    """A pool worker's initializer: end this process when the starter is gone."""
    die_with_parent()

    def watch() -> None:
        with contextlib.suppress(EOFError, OSError):
            reader.recv_bytes()  # nothing is ever sent: this returns only at end-of-file
        os._exit(1)

    threading.Thread(target=watch, name="starter-watch", daemon=True).start()
