"""``tools/import_cycles.py``: the import graph it builds, and that nlu/ and the packages
it depends on have no import cycle."""

from __future__ import annotations

from pathlib import Path

import pytest

from tools.import_cycles import build_graph, discover, main, strongly_connected

ROOT = Path(__file__).resolve().parents[2]


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def _cycles(root: Path, *packages: str, skip_type_checking: bool = False) -> list[list[str]]:
    graph = build_graph(discover(root, packages), skip_type_checking=skip_type_checking)
    return strongly_connected(graph)


def test_function_level_import_closes_a_cycle(tmp_path: Path) -> None:
    _write(tmp_path, {
        "pkg/__init__.py": "",
        "pkg/a.py": "from pkg.b import thing\n",
        "pkg/b.py": "def thing():\n    from pkg.a import x\n    return x\n",
    })
    assert _cycles(tmp_path, "pkg") == [["pkg.a", "pkg.b"]]


def test_from_package_import_submodule_is_an_edge_to_the_submodule(tmp_path: Path) -> None:
    _write(tmp_path, {
        "pkg/__init__.py": "",
        "pkg/sub/__init__.py": "",
        "pkg/sub/one.py": "from .. import two\n",
        "pkg/two.py": "from .sub import one\n",
    })
    assert _cycles(tmp_path, "pkg") == [["pkg.sub.one", "pkg.two"]]


def test_plain_imports_across_packages(tmp_path: Path) -> None:
    _write(tmp_path, {
        "p/__init__.py": "",
        "p/x.py": "import q.y\n",
        "q/__init__.py": "",
        "q/y.py": "from p import x as _x\n",
    })
    assert _cycles(tmp_path, "p", "q") == [["p.x", "q.y"]]
    assert _cycles(tmp_path, "p") == []  # q is not scanned: its imports are not seen


def test_type_checking_imports_count_unless_skipped(tmp_path: Path) -> None:
    _write(tmp_path, {
        "pkg/__init__.py": "",
        "pkg/a.py": "import pkg.b\n",
        "pkg/b.py": ("from typing import TYPE_CHECKING\n"
                     "if TYPE_CHECKING:\n    from pkg.a import A\n"),
    })
    assert _cycles(tmp_path, "pkg") == [["pkg.a", "pkg.b"]]
    assert _cycles(tmp_path, "pkg", skip_type_checking=True) == []


def test_main_prints_the_loop_and_exits_1(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    _write(tmp_path, {
        "pkg/__init__.py": "",
        "pkg/a.py": "from pkg import b\n",
        "pkg/b.py": "from pkg import c\n",
        "pkg/c.py": "import pkg.a\n",
    })
    assert main(["--root", str(tmp_path), "pkg"]) == 1
    out = capsys.readouterr().out
    assert "pkg.a -> pkg.b -> pkg.c -> pkg.a" in out
    assert "pkg/c.py:1 imports pkg.a" in out
    assert main(["--root", str(tmp_path), "nope"]) == 2


def test_nlu_and_its_neighbours_have_no_import_cycle(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(ROOT), "nlu", "routing", "channels", "storage"]) == 0
    assert "no import cycles" in capsys.readouterr().out
