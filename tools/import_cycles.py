"""Find import cycles between the modules of the given packages.

    python tools/import_cycles.py [--root DIR] [--skip-type-checking] PACKAGE [PACKAGE ...]
    python -m tools.import_cycles nlu routing channels storage bot

Every ``import`` statement counts, wherever it is: at module level, inside a
function or method (a deferred import still makes the two modules depend on each
other; it only hides the cycle from the interpreter) and, unless
``--skip-type-checking`` is given, inside ``if TYPE_CHECKING:``. ``from X import Y``
is an edge to ``X.Y`` when that is a module of the scanned packages, else to
``X``; relative imports are resolved. Imports of modules outside the scanned
packages are ignored, and so is ``importlib.import_module`` with a computed name.

Prints each cycle (a strongly connected group of modules: one shortest loop
through it and every import inside the group, with file and line) and exits 1
if there is any, 0 if there is none, 2 on a usage error.
"""

from __future__ import annotations

import argparse
import ast
import sys
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Edge:
    """One import of ``target`` by ``source`` (modules by dotted name)."""

    source: str
    target: str
    path: Path
    line: int
    where: str  # "" at module level, else e.g. "in function main" or "TYPE_CHECKING"

    def describe(self, root: Path) -> str:
        """``nlu/a.py:12 imports nlu.b (in function f)``."""
        try:
            shown = self.path.relative_to(root)
        except ValueError:
            shown = self.path
        suffix = f" ({self.where})" if self.where else ""
        return f"{shown}:{self.line} imports {self.target}{suffix}"


def discover(root: Path, packages: Sequence[str]) -> dict[str, Path]:
    """Dotted module name -> file, for every ``.py`` file under each package directory.

    ``pkg/__init__.py`` is module ``pkg``; a package may be dotted (``bot.app``)."""
    modules: dict[str, Path] = {}
    for package in packages:
        base = root.joinpath(*package.split("."))
        if base.is_file() or base.with_suffix(".py").is_file():
            # a single module given by name
            modules[package] = base if base.is_file() else base.with_suffix(".py")
            continue
        if not base.is_dir():
            raise FileNotFoundError(f"no package {package!r} under {root}")
        for path in sorted(base.rglob("*.py")):
            parts = list(path.relative_to(root).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            modules[".".join(parts)] = path
    return modules


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imports(tree: ast.Module) -> Iterator[tuple[ast.Import | ast.ImportFrom, str]]:
    """Every import statement of ``tree`` with where it sits ("" = module level)."""
    # (node, where) pairs still to look at; ``where`` is inherited by everything inside
    stack: list[tuple[ast.AST, str]] = [(node, "") for node in tree.body]
    while stack:
        node, where = stack.pop()
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node, where
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            inner = where or f"in function {node.name}"
            stack.extend((child, inner) for child in ast.iter_child_nodes(node))
        elif isinstance(node, ast.If) and _is_type_checking(node.test):
            stack.extend((child, "TYPE_CHECKING") for child in node.body)
            # the else branch runs at import time like any other code
            stack.extend((child, where) for child in node.orelse)
        else:
            stack.extend((child, where) for child in ast.iter_child_nodes(node))


def _package_of(module: str, path: Path) -> str:
    """The package relative imports in ``module`` start from."""
    return module if path.name == "__init__.py" else module.rpartition(".")[0]


def _resolve_from(node: ast.ImportFrom, module: str, path: Path) -> str | None:
    """The absolute module name ``from ... import`` reads from (None if it climbs too far)."""
    if node.level == 0:
        return node.module or ""
    package = [part for part in _package_of(module, path).split(".") if part]
    if node.level - 1 > len(package):
        return None
    base = package[: len(package) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def _deepest_known(name: str, known: dict[str, Path]) -> str | None:
    """``a.b.c`` -> the longest prefix that is a scanned module."""
    parts = name.split(".")
    for n in range(len(parts), 0, -1):
        candidate = ".".join(parts[:n])
        if candidate in known:
            return candidate
    return None


def _targets(node: ast.Import | ast.ImportFrom, module: str, path: Path,
             known: dict[str, Path]) -> list[str]:
    """The scanned modules one import statement depends on."""
    if isinstance(node, ast.Import):
        found = (_deepest_known(alias.name, known) for alias in node.names)
        return [t for t in found if t]
    base = _resolve_from(node, module, path)
    if base is None:
        return []
    out: list[str] = []
    for alias in node.names:
        # ``from X import Y`` where Y is a submodule depends on X.Y itself
        sub = f"{base}.{alias.name}" if base else alias.name
        target = sub if alias.name != "*" and sub in known else _deepest_known(base, known)
        if target and target not in out:
            out.append(target)
    return out


def build_graph(modules: dict[str, Path], *, skip_type_checking: bool = False
                ) -> dict[str, list[Edge]]:
    """Module -> its import edges to other scanned modules (self-imports dropped)."""
    graph: dict[str, list[Edge]] = {name: [] for name in modules}
    for module, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node, where in _imports(tree):
            if skip_type_checking and where == "TYPE_CHECKING":
                continue
            for target in _targets(node, module, path, modules):
                if target != module:
                    graph[module].append(Edge(module, target, path, node.lineno, where))
    return graph


def strongly_connected(graph: dict[str, list[Edge]]) -> list[list[str]]:
    """Tarjan's strongly connected components with more than one module, each sorted,
    iteratively (no recursion limit on big packages)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    groups: list[list[str]] = []
    for start in sorted(graph):
        if start in index:
            continue
        work: list[tuple[str, Iterator[Edge]]] = [(start, iter(graph[start]))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, edges = work[-1]
            edge = next(edges, None)
            if edge is not None:
                nxt = edge.target
                if nxt not in index:
                    index[nxt] = low[nxt] = len(index)
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(graph[nxt])))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                group: list[str] = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    groups.append(sorted(group))
    return sorted(groups)


def shortest_loop(graph: dict[str, list[Edge]], group: list[str]) -> list[Edge]:
    """A shortest cycle through the first module of ``group``, staying inside it."""
    members = set(group)
    start = group[0]
    came: dict[str, Edge] = {}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for edge in graph[node]:
            if edge.target not in members:
                continue
            if edge.target == start:
                loop = [edge]
                while loop[0].source != start:
                    loop.insert(0, came[loop[0].source])
                return loop
            if edge.target not in came:
                came[edge.target] = edge
                queue.append(edge.target)
    return []


def report(graph: dict[str, list[Edge]], groups: list[list[str]], root: Path) -> str:
    """The printable description of every cycle group."""
    lines: list[str] = []
    for n, group in enumerate(groups, 1):
        loop = shortest_loop(graph, group)
        chain = " -> ".join([e.source for e in loop] + [loop[0].source]) if loop else ""
        lines.append(f"cycle {n} ({len(group)} modules): {chain}")
        if len(group) > len(loop):
            lines.append(f"  all modules of the group: {', '.join(group)}")
        members = set(group)
        for module in group:
            lines.extend(f"  {e.describe(root)}" for e in graph[module] if e.target in members)
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; returns the exit status."""
    parser = argparse.ArgumentParser(
        prog="import_cycles", description="Print import cycles between modules of packages.")
    parser.add_argument("packages", nargs="+", help="package names, e.g. nlu routing bot")
    parser.add_argument("--root", type=Path, default=Path.cwd(),
                        help="directory holding the packages (default: the working directory)")
    parser.add_argument("--skip-type-checking", action="store_true",
                        help="ignore imports under 'if TYPE_CHECKING:'")
    args = parser.parse_args(argv)
    root: Path = args.root.resolve()
    try:
        modules = discover(root, args.packages)
    except FileNotFoundError as exc:
        print(f"import_cycles: {exc}", file=sys.stderr)
        return 2
    graph = build_graph(modules, skip_type_checking=args.skip_type_checking)
    groups = strongly_connected(graph)
    n_edges = sum(len(edges) for edges in graph.values())
    if not groups:
        print(f"no import cycles among {len(modules)} modules ({n_edges} imports)")
        return 0
    print(report(graph, groups, root))
    print(f"{len(groups)} cycle group(s) among {len(modules)} modules ({n_edges} imports)")
    return 1


if __name__ == "__main__":
    raise SystemExit(main())
