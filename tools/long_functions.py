"""List functions longer than a limit (default 80 lines, the project's rule).

    python tools/long_functions.py [--max N] PATH [PATH ...]

PATH is a ``.py`` file or a directory (searched recursively). A function's
length runs from its ``def`` line (decorators excluded) to its last line,
docstring and comments inside included. Exits 1 if any function is too long.
"""

from __future__ import annotations

import argparse
import ast
from collections.abc import Iterator, Sequence
from pathlib import Path


def long_functions(path: Path, limit: int) -> Iterator[tuple[int, str, int]]:
    """(line, qualified name, length) of every function in ``path`` over ``limit`` lines."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    stack: list[tuple[ast.AST, str]] = [(tree, "")]
    while stack:
        node, prefix = stack.pop()
        for child in ast.iter_child_nodes(node):
            name = prefix
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                name = f"{prefix}{child.name}."
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (child.end_lineno or child.lineno) - child.lineno + 1
                if length > limit:
                    yield child.lineno, name.rstrip("."), length
            stack.append((child, name))


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; returns the exit status."""
    parser = argparse.ArgumentParser(prog="long_functions",
                                     description="List functions longer than a limit.")
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("--max", type=int, default=80, help="longest allowed (default 80)")
    args = parser.parse_args(argv)
    found = 0
    for root in args.paths:
        files = sorted(root.rglob("*.py")) if root.is_dir() else [root]
        for path in files:
            for line, name, length in sorted(long_functions(path, args.max)):
                print(f"{path}:{line}: {name} is {length} lines (max {args.max})")
                found += 1
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())
