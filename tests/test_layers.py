"""The package's layers: who may import whom, and no import cycle, checked on the source with `ast`.

Every import counts, at the top of a module, inside a function or under ``if TYPE_CHECKING:``: a type-only
import is still a dependency a reader has to follow, and it is where cycles hide.

The rule (README, "Where things are"):

- the core (``errors``, ``_resources``, ``dates``, ``model``, ``packed``, ``timeline``, ``validate``, ``style``,
  ``records``, ``territory``, ``locations``) imports only the core;
- files in and out (``io``, ``codec``, ``_fs``, ``basemap``, ``store/``, and the package's ``__init__``) the
  core and themselves;
- ``web/`` and ``articles/`` the core, files, and their own subpackage;
- ``export/`` the same and ``web/`` (the HTML export is the web page in one file);
- ``cli/`` anything in the package; ``app.py``, ``appui/`` and ``pages/`` anything at all.

Nothing under ``src/`` imports streamlit.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "controlmap"

CORE = {
    "errors", "_resources", "dates", "model", "packed", "timeline", "validate", "style", "records", "territory",
    "locations",
}  # fmt: skip
FILES = {"io", "codec", "_fs", "basemap", "store", "__init__"}
ALLOWED = {
    "core": {"core"},
    "files": {"core", "files"},
    "web": {"core", "files", "web"},
    "articles": {"core", "files", "articles"},
    "export": {"core", "files", "web", "export"},
    "cli": {"core", "files", "web", "articles", "export", "cli", "main"},
    "main": {"core", "files", "cli"},
}


def module_name(path: Path) -> str:
    """``controlmap.web.popups`` for ``src/controlmap/web/popups.py``; a package is its ``__init__``."""
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer(module: str) -> str:
    """The layer of a module of the package."""
    parts = module.split(".")
    if len(parts) == 1:
        return "files"  # the package itself: its public names come from the core and io
    if parts[1] in {"web", "articles", "export", "cli"}:
        return parts[1]
    if parts[1] == "__main__":
        return "main"
    if parts[1] in CORE:
        return "core"
    if parts[1] in FILES:
        return "files"
    msg = f"{module} is in no layer: add it to CORE or FILES in {Path(__file__).name}"
    raise AssertionError(msg)


def package_modules() -> dict[str, Path]:
    """Every module of the package by name."""
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def imported(path: Path, known: set[str]) -> list[tuple[int, str]]:
    """Every module of the package that ``path`` imports, with the line, wherever the import is."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names if alias.name.split(".")[0] == "controlmap")
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "controlmap":
            for alias in node.names:
                # ``from controlmap.web import popups`` imports the module controlmap.web.popups.
                child = f"{node.module}.{alias.name}"
                found.append((node.lineno, child if child in known else node.module))
    return found


def all_imports() -> dict[str, list[tuple[int, str]]]:
    modules = package_modules()
    known = set(modules)
    return {name: imported(path, known) for name, path in modules.items()}


def test_every_module_is_in_a_layer() -> None:
    for name in package_modules():
        layer(name)


def test_no_import_goes_up_a_layer() -> None:
    wrong = []
    for name, imports in all_imports().items():
        source = layer(name)
        for line, target in imports:
            if layer(target) not in ALLOWED[source]:
                wrong.append(f"{name}:{line} ({source}) imports {target} ({layer(target)})")
    assert not wrong, "\n".join(wrong)


def test_no_import_cycle() -> None:
    graph = {name: {target for _, target in imports if target != name} for name, imports in all_imports().items()}
    cycles = strongly_connected(graph)
    assert not cycles, "\n".join(" -> ".join([*sorted(c), sorted(c)[0]]) for c in cycles)


def strongly_connected(graph: dict[str, set[str]]) -> list[set[str]]:
    """The cycles of a graph: its strongly connected components of more than one node (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[set[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = set()
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.add(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(component)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert strongly_connected({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [{"a", "b", "c"}]
    assert strongly_connected({"a": {"b"}, "b": set()}) == []


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_nothing_in_the_package_imports_streamlit(path: Path) -> None:
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [node.module or ""]
        else:
            continue
        assert not any(n.split(".")[0] in {"streamlit", "streamlit_folium"} for n in names), f"{path}:{node.lineno}"


def test_few_modules_sit_directly_in_the_package() -> None:
    flat = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(flat) <= 18, flat
    assert {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()} >= {
        "web",
        "articles",
        "export",
        "cli",
    }
