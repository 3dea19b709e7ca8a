"""The package's shape: modules small enough to hold in mind, imports in one direction, no circle.

Imports are read from the source (every `import`, at module level, inside functions and under
TYPE_CHECKING alike), so an import hidden in a function to dodge a circle still counts.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).parents[1] / "sidecar"
MAX_LINES = 500


def modules() -> dict[str, Path]:
    """Dotted name → file, for every module and package of `sidecar`."""
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def imports_of(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The project modules `name` imports, including the packages Python runs on the way.

    A submodule needs its own packages first, so those edges are left out; `from pkg import
    sub` is an import of `pkg.sub`, while `from pkg import name` is one of `pkg`."""
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    targets: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                prefix = package[: len(package) - node.level + 1]
                base = ".".join(prefix + ([node.module] if node.module else []))
            for alias in node.names:
                full = f"{base}.{alias.name}"
                targets.add(full if full in known else base)
    edges = set()
    for target in targets:
        parts = target.split(".")
        for end in range(1, len(parts) + 1):
            step = ".".join(parts[:end])
            if step in known and step != name and not name.startswith(step + "."):
                edges.add(step)
    return edges


def import_graph() -> dict[str, set[str]]:
    known = modules()
    return {name: imports_of(name, path, known) for name, path in known.items()}


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, successors = work[-1]
            for successor in successors:
                if successor not in index:
                    index[successor] = low[successor] = len(index)
                    stack.append(successor)
                    on_stack.add(successor)
                    work.append((successor, iter(sorted(graph[successor]))))
                    break
                if successor in on_stack:
                    low[node] = min(low[node], index[successor])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
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
    return found


def test_no_module_is_longer_than_500_lines() -> None:
    lengths = {name: len(path.read_text().splitlines()) for name, path in modules().items()}
    assert {name: n for name, n in lengths.items() if n > MAX_LINES} == {}


def test_no_import_circle() -> None:
    assert circles(import_graph()) == []


def test_the_circle_finder_finds_a_circle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}

    assert circles(graph) == [["a", "b", "c"]]


def test_the_clients_know_nothing_of_the_rest() -> None:
    """Fortnox's and WooCommerce's clients import neither Flask nor any other part of ours."""
    graph = import_graph()
    for adapter in ("sidecar.fortnox", "sidecar.woocommerce"):
        for name, imported in graph.items():
            if name == adapter or name.startswith(adapter + "."):
                outside = {i for i in imported if not i.startswith(adapter)} - {"sidecar"}
                assert outside == set(), name
                source = modules()[name].read_text()
                assert "import flask" not in source and "from flask" not in source, name


def test_the_domain_does_not_reach_up_into_pages_or_jobs() -> None:
    for name, imported in import_graph().items():
        if name.startswith("sidecar.sync"):
            upward = {i for i in imported
                      if i in ("sidecar.web", "sidecar.jobs")
                      or i.startswith(("sidecar.web.", "sidecar.jobs."))}
            assert upward == set(), name
