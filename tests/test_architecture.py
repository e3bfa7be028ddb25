"""The layout's rules, checked on the source: what may import what, where SQL and
provider names may appear, no import cycle, no long function, every package says
what it owns, no third-party code copied in."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from tools.import_cycles import Edge, build_graph, discover, strongly_connected
from tools.long_functions import long_functions

ROOT = Path(__file__).resolve().parents[1]
RUNTIME = ("bot", "nlu", "routing", "channels", "storage")
FEATURES = ("conversation", "tickets", "delivery", "surveys", "staff", "nlu_admin", "cases")
EDGES = ("bot.web", "bot.cli", "bot.app")


def _graph(*, skip_type_checking: bool = False) -> dict[str, list[Edge]]:
    return build_graph(discover(ROOT, RUNTIME), skip_type_checking=skip_type_checking)


def _edges(graph: dict[str, list[Edge]]) -> list[tuple[str, str]]:
    return sorted({(e.source, e.target) for edges in graph.values() for e in edges})


def _within(module: str, *packages: str) -> bool:
    return any(module == p or module.startswith(p + ".") for p in packages)


def _sources(*packages: str) -> list[Path]:
    return sorted(p for pkg in packages for p in (ROOT / pkg).rglob("*.py")
                  if "migrations" not in p.parts)


def test_no_import_cycle() -> None:
    assert strongly_connected(_graph()) == []


def test_features_never_import_the_edges_or_the_composition_root() -> None:
    features = tuple(f"bot.{f}" for f in FEATURES)
    wrong = [(s, t) for s, t in _edges(_graph())
             if _within(s, *features, "bot.core") and _within(t, *EDGES)]
    assert wrong == []


def test_the_kernel_imports_no_feature_at_run_time() -> None:
    features = tuple(f"bot.{f}" for f in FEATURES)
    wrong = [(s, t) for s, t in _edges(_graph(skip_type_checking=True))
             if _within(s, "bot.core") and _within(t, *features, *EDGES)]
    assert wrong == []


def test_lower_packages_never_import_upper_ones() -> None:
    allowed = {
        "channels": (),
        "storage": (),
        "nlu": (),
        "routing": ("nlu",),
    }
    wrong = [(s, t) for s, t in _edges(_graph()) for low, ok in allowed.items()
             if _within(s, low) and not _within(t, low, *ok)]
    assert wrong == []


def test_no_provider_is_named_in_bot_outside_the_edge_and_the_root() -> None:
    named = []
    for path in sorted((ROOT / "bot").rglob("*")):
        rel = path.relative_to(ROOT).as_posix()
        if (not path.is_file() or rel.startswith(("bot/web/", "bot/app/"))
                or path.suffix not in {".py", ".html", ".js", ".css", ".txt"}):
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if re.search(r"telegram|whatsapp", line, re.IGNORECASE):
                named.append(f"{rel}:{n}")
    assert named == []


def test_sql_is_written_in_storage_only() -> None:
    allowed = {"sqlalchemy.exc", "sqlalchemy.ext.asyncio"}
    found = []
    for path in _sources("bot", "nlu", "routing", "channels", "tools"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([node.module or ""] if isinstance(node, ast.ImportFrom)
                     else [a.name for a in node.names] if isinstance(node, ast.Import) else [])
            found += [f"{path.relative_to(ROOT)}: {n}" for n in names
                      if n.split(".")[0] == "sqlalchemy" and n not in allowed]
    assert found == []


def test_bot_reaches_storage_through_the_ports() -> None:
    """Only the composition root (bot/app) may name the SQL repository classes; every
    feature, the web edge and the CLI get them from ``Runtime.repositories`` (the ports in
    ``storage.ports``)."""
    found = []
    for path in _sources("bot"):
        rel = path.relative_to(ROOT).as_posix()
        if rel.startswith("bot/app/"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                    "storage.repositories"):
                found += [f"{rel}:{node.lineno} {node.module}.{a.name}" for a in node.names
                          if a.name.endswith("Repository") or a.name == "*"]
            elif isinstance(node, ast.Import):
                # ``import storage.repositories.x`` would reach the classes by attribute.
                found += [f"{rel}:{node.lineno} {a.name}" for a in node.names
                          if a.name.startswith("storage.repositories")]
    assert found == []


def test_no_function_over_80_lines_outside_migrations() -> None:
    long = [f"{path.relative_to(ROOT)}:{line} {name} ({length})"
            for path in _sources(*RUNTIME) for line, name, length in long_functions(path, 80)]
    assert long == []


def test_every_package_says_what_it_owns() -> None:
    silent = [str(init.parent.relative_to(ROOT)) for pkg in RUNTIME
              for init in sorted((ROOT / pkg).rglob("__init__.py"))
              if "migrations" not in init.parts
              and not ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))]
    assert silent == []


# The one declared home of third-party files: the console map's Leaflet, installed from
# the npm registry and listed with version, licence and checksum in its README.
THIRD_PARTY = ROOT / "bot" / "web" / "console" / "static" / "third_party"


def test_no_third_party_code_is_copied_in() -> None:
    copies = [str(p.relative_to(ROOT)) for pkg in RUNTIME for p in (ROOT / pkg).rglob("*")
              if (p.name in {"vendor", "third_party", "node_modules"}
                  or p.name.endswith(".min.js")) and p != THIRD_PARTY]
    assert copies == []


def test_the_third_party_folder_holds_only_declared_packages_with_their_licences() -> None:
    manifest = (THIRD_PARTY / "README.md").read_text(encoding="utf-8")
    declared = set(re.findall(r"^\| `([a-z_]+)/` \|", manifest, re.MULTILINE))
    folders = {p.name for p in THIRD_PARTY.iterdir() if p.is_dir()}
    assert declared == folders == {"leaflet", "leaflet_markercluster"}
    assert all((THIRD_PARTY / f / "LICENSE").is_file() for f in folders)
    stray = [p.name for p in THIRD_PARTY.iterdir() if p.is_file() and p.name != "README.md"]
    assert stray == []
    # Its code appears nowhere else (Leaflet's and the cluster plugin's own marks).
    marks = ("Vladimir Agafonkin", "e.Leaflet.markercluster=")
    assert all(any(m in (THIRD_PARTY / f).read_text(encoding="utf-8") for m in marks)
               for f in ("leaflet/leaflet.js", "leaflet_markercluster/leaflet.markercluster.js"))
    elsewhere = [str(p.relative_to(ROOT)) for pkg in RUNTIME for p in (ROOT / pkg).rglob("*.js")
                 if THIRD_PARTY not in p.parents
                 and any(m in p.read_text(encoding="utf-8") for m in marks)]
    assert elsewhere == []
