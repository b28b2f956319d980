"""Paths the tests share. A module of its own, because ``conftest`` names two modules."""

from __future__ import annotations

from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
SHARED_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
SHARED_PAGES = Path(__file__).resolve().parents[2] / "shared" / "pages"
