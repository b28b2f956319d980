"""The layout names the architecture, and these checks keep it so.

Every rule works by package, so a new module is covered without anyone editing a list:
the core (everything outside ``ui`` and ``cli``) never loads the UI toolkit, layers only
import downwards, there are no import circles, and no module borrows another's private
names. import-linter checks the same contracts in ``make lint``.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "newsreader"
FRONT_ENDS = ("newsreader.ui", "newsreader.cli")
UI_TOOLKITS = ("textual", "rich")
# Which packages each package must never import: the layers run
# cli/ui -> feeds and sync (side by side) -> store -> text -> models.
NEVER_IMPORTS = {
    "newsreader.text": (
        "newsreader.feeds",
        "newsreader.sync",
        "newsreader.store",
        "newsreader.config",
    ),
    "newsreader.store": ("newsreader.feeds", "newsreader.sync", "newsreader.config"),
    "newsreader.feeds": ("newsreader.sync", "newsreader.config"),
    "newsreader.sync": ("newsreader.feeds", "newsreader.config"),
}


@dataclass(frozen=True)
class Import:
    module: str  # the importing module
    target: str  # the module imported, or the module a name is imported from
    name: str | None  # the name imported from ``target``, if any
    line: int


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def imports_of(module: str, path: Path) -> Iterator[Import]:
    """Every import in the module, at any depth: functions and TYPE_CHECKING blocks too."""
    is_package = path.name == "__init__.py"
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(module, alias.name, None, node.lineno)
        elif isinstance(node, ast.ImportFrom):
            target = node.module or ""
            if node.level:
                base = module.split(".")
                base = base if is_package else base[:-1]
                base = base[: len(base) - node.level + 1]
                target = ".".join([*base, *([node.module] if node.module else [])])
            for alias in node.names:
                yield Import(module, target, alias.name, node.lineno)


def all_imports() -> list[Import]:
    return [found for module, path in modules().items() for found in imports_of(module, path)]


def within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def is_core(module: str) -> bool:
    return module != "newsreader.__main__" and not any(within(module, f) for f in FRONT_ENDS)


def test_the_core_imports_neither_the_ui_toolkit_nor_the_front_ends() -> None:
    bad = [
        f"{found.module}:{found.line} imports {found.target}"
        for found in all_imports()
        if is_core(found.module)
        and (
            found.target.split(".")[0] in UI_TOOLKITS
            or any(within(found.target, front) for front in FRONT_ENDS)
        )
    ]
    assert bad == []


def test_layers_only_import_downwards() -> None:
    bad = [
        f"{found.module}:{found.line} imports {found.target}"
        for found in all_imports()
        for package, forbidden in NEVER_IMPORTS.items()
        if within(found.module, package) and any(within(found.target, f) for f in forbidden)
    ]
    assert bad == []


def test_a_widget_never_imports_a_screen() -> None:
    bad = [
        f"{found.module}:{found.line} imports {found.target}"
        for found in all_imports()
        if within(found.module, "newsreader.ui.widgets")
        and within(found.target, "newsreader.ui.screens")
    ]
    assert bad == []


def import_graph() -> dict[str, set[str]]:
    known = modules()
    graph: dict[str, set[str]] = {module: set() for module in known}
    for found in all_imports():
        if not found.target.startswith("newsreader"):
            continue
        named = f"{found.target}.{found.name}" if found.name else None
        target = named if named in known else found.target
        if target in known and target != found.module:
            graph[found.module].add(target)
    return graph


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(graph[node]):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_there_are_no_import_circles() -> None:
    assert circles(import_graph()) == []


def test_the_circle_check_finds_a_circle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert circles(graph) == [["a", "b", "c"]]


def private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def test_no_module_imports_another_modules_private_names() -> None:
    bad = [
        f"{found.module}:{found.line} takes {found.target}.{found.name}"
        for found in all_imports()
        if found.target.startswith("newsreader") and found.name and private(found.name)
    ]
    bad += [
        f"{module} reaches into {owner}.{attribute}"
        for module, owner, attribute in private_attribute_uses()
    ]
    assert bad == []


def private_attribute_uses() -> Iterator[tuple[str, str, str]]:
    """``ingest._url`` and the like: a private name read off an imported module."""
    known = modules()
    for module, path in known.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        aliases = {}
        for found in imports_of(module, path):
            if found.name and f"{found.target}.{found.name}" in known:
                aliases[found.name] = f"{found.target}.{found.name}"
            elif found.name is None and found.target in known:
                aliases[found.target.split(".")[0]] = found.target
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in aliases
                and private(node.attr)
            ):
                yield module, aliases[node.value.id], node.attr


MAX_MODULE_LINES = 420  # "about 400": a module past this is split by what it does


def test_every_module_stays_small() -> None:
    long = {
        module: lines
        for module, path in modules().items()
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert long == {}


def test_package_inits_stay_empty() -> None:
    """An ``__init__`` that imports would load its whole package wherever one module is
    wanted: a parse worker would load the store, and start-up would slow down."""
    bad = [
        module
        for module, path in modules().items()
        if path.name == "__init__.py"
        and any(
            isinstance(node, (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.ClassDef))
            for node in ast.parse(path.read_text(encoding="utf-8")).body
        )
    ]
    assert bad == []


def test_importing_the_core_loads_no_ui() -> None:
    core = sorted(module for module in modules() if is_core(module))
    check = (
        f"import sys; import {', '.join(core)}; "
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in {'textual', 'rich'} "
        "or m.startswith(('newsreader.ui', 'newsreader.cli'))); "
        "print(bad); raise SystemExit(1 if bad else 0)"
    )
    result = subprocess.run(
        [sys.executable, "-c", check], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_parse_worker_loads_neither_the_store_nor_the_fetcher() -> None:
    check = (
        "import newsreader.feeds.parse_worker, sys; "
        "bad = sorted(m for m in sys.modules if m in {'httpx', "
        "'newsreader.store.database', 'newsreader.feeds.fetch'}); "
        "print(bad); raise SystemExit(1 if bad else 0)"
    )
    result = subprocess.run(
        [sys.executable, "-c", check], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_first_screen_read_starts_before_textual_is_loaded() -> None:
    """``first_screen`` reads the newest articles while Textual loads: it cannot, if
    importing it loads Textual first."""
    check = (
        "import newsreader.ui.first_screen, sys; "
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in {'textual', 'rich'}); "
        "print(bad); raise SystemExit(1 if bad else 0)"
    )
    result = subprocess.run(
        [sys.executable, "-c", check], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stdout + result.stderr


# What the reader's first screen does without: each is imported where it is first used.
NOT_ON_THE_START_UP_PATH = [
    "newsreader.feeds.fetch",  # the fetcher: a refresh
    "newsreader.feeds.refresh",
    "newsreader.feeds.ingest",  # the feed parser
    "feedparser",
    "newsreader.store.prepare",  # storing articles
    "newsreader.store.related",  # the sidebar's similar stories, in a worker
    "httpx",
    "hashlib",
    "tomllib",  # only when there is a settings file
    "newsreader.ui.screens.search",  # the other screens: when they open
    "newsreader.ui.screens.help",
    "newsreader.ui.screens.links",
]


def test_starting_the_reader_leaves_refresh_parsing_and_storing_unloaded() -> None:
    check = (
        "import newsreader.cli.main, newsreader.config, newsreader.ui.first_screen, "
        "newsreader.ui.app, sys; "
        "from newsreader.config import Config; from newsreader.store.database import Store; "
        "import tempfile, pathlib; "
        "store = Store(pathlib.Path(tempfile.mkdtemp()) / 'start.sqlite3'); "
        "newsreader.ui.app.NewsreaderApp(store=store, config=Config()); "
        f"loaded = sorted(m for m in {NOT_ON_THE_START_UP_PATH!r} if m in sys.modules); "
        "print(loaded); raise SystemExit(1 if loaded else 0)"
    )
    result = subprocess.run(
        [sys.executable, "-c", check], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stdout + result.stderr
