"""The shape docs/design.md promises, checked from the source: no import circle (local imports
included, since a circle hidden inside a function is still a circle), nothing below the command
line imports it, the parsers stay pure, and no product module imports test material."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRODUCT = ("collector", "parsers")


def modules() -> dict[str, Path]:
    found = {}
    for package in PRODUCT:
        for path in (ROOT / package).rglob("*.py"):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join(parts)] = path
    return found


MODULES = modules()


def imports_of(name: str, path: Path) -> set[str]:
    """Every module ``name`` imports, anywhere in the file (functions too), resolved."""
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found.add(target)
            # `from . import peek` names a module; `from .x import name` names something in x.
            found |= {f"{target}.{alias.name}" for alias in node.names if f"{target}.{alias.name}" in MODULES}
    return found


def graph() -> dict[str, set[str]]:
    edges = {}
    for name, path in MODULES.items():
        targets = set()
        for target in imports_of(name, path):
            # An import of a.b.c also runs a and a.b: depend on the deepest product module named.
            while target and target not in MODULES:
                target = target.rsplit(".", 1)[0] if "." in target else ""
            if target and target != name and not name.startswith(target + "."):
                targets.add(target)
        edges[name] = targets
    return edges


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's strongly connected components of more than one module."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in edges.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_there_is_no_import_circle() -> None:
    assert cycles(graph()) == []


def test_nothing_below_the_command_line_imports_it() -> None:
    offenders = {name: sorted(t for t in targets if t == "collector.cli" or t.startswith("collector.cli."))
                 for name, targets in graph().items()
                 if not name.startswith("collector.cli")
                 and name not in ("collector.__main__", "collector.entry")}  # the entry points
    assert {name: found for name, found in offenders.items() if found} == {}


def test_the_parsers_are_pure_and_product_code_imports_no_test_material() -> None:
    for name, path in MODULES.items():
        imported = imports_of(name, path)
        assert not any(t.split(".")[0] in ("fixtures", "tests") for t in imported), (name, imported)
        if name.startswith("parsers"):
            assert not any(t.split(".")[0] in ("collector", "playwright", "sqlite_utils", "click", "rich")
                           for t in imported), (name, imported)


def test_the_checker_sees_a_circle_when_there_is_one() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_only_the_command_line_knows_click_and_rich() -> None:
    """The core raises and returns; turning that into options, exit codes and screens is the CLI's."""
    for name, path in MODULES.items():
        if name.startswith("collector.cli"):
            continue
        tops = {t.split(".")[0] for t in imports_of(name, path)}
        assert not tops & {"click", "rich"}, (name, tops & {"click", "rich"})
