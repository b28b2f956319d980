"""Imported only by the parse workers' fork server (as a preload): it ends with its starter.

The fork server's parent is the process that started the refresh; when that one is
killed, the kernel kills the fork server too (``orphans.die_with_parent``). Nothing else
imports this module: the effect belongs to the fork server alone.
"""

from __future__ import annotations

from newsreader.feeds.orphans import die_with_parent

die_with_parent()
