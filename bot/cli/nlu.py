"""``pintu nlu``: train, parse, evaluate, import and export NLU training data.

Training data lives in the database (``training_examples``), seeded from the
shipped examples (``nlu/data/nlu.yml``) the first time it is needed; admins edit
it in the console. ``import`` always writes to the database (creating and
migrating an SQLite file if needed), since Rasa files bring intents, answers and
data that only the database keeps. Without a database (an SQLite file not created
yet) ``train`` and ``export`` fall back to the shipped examples plus
``<model_dir>/training/extra.yml`` (written by older versions' ``import``; the
first seeding takes it along; see :func:`collect_training_examples`).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from bot.app.build import model_dir
from bot.app.settings import Settings, load_settings
from nlu.evaluate import EvalFileError, evaluate, format_report, read_jsonl
from nlu.examples import TrainingExample
from nlu.model_store import ModelInfo, ModelStore, load_or_train_default
from nlu.rasa_format import to_rasa_parse
from nlu.rasa_yaml import NluData, NluYamlError, read_nlu_yaml, write_nlu_yaml
from nlu.training import SHIPPED_NLU_PATH
from nlu.types import IntentClassifier, NluResult

if TYPE_CHECKING:
    from storage.ports import Repositories


def extra_data_path(settings: Settings) -> Path:
    """The project-local file of imported training examples."""
    return model_dir(settings) / "training" / "extra.yml"


def _read_data(path: Path, source: str) -> NluData:
    return read_nlu_yaml(path.read_text(encoding="utf-8"), source=source)


def _merge(base: NluData, more: NluData) -> NluData:
    seen = {(e.text, e.intent, e.category) for e in base.examples}
    examples = list(base.examples)
    for e in more.examples:
        if (e.text, e.intent, e.category) not in seen:
            seen.add((e.text, e.intent, e.category))
            examples.append(e)

    def tables(a: dict[str, tuple[str, ...]], b: dict[str, tuple[str, ...]]
               ) -> dict[str, tuple[str, ...]]:
        out = dict(a)
        for k, v in b.items():
            out[k] = tuple(dict.fromkeys([*out.get(k, ()), *v]))
        return out

    return NluData(tuple(examples), tables(base.synonyms, more.synonyms),
                   tables(base.regexes, more.regexes), tables(base.lookups, more.lookups))


T = TypeVar("T")


def database_available(settings: Settings) -> bool:
    """Whether the configured database exists: an SQLite file that is there, or a server."""
    from storage.db import is_sqlite, sqlite_file

    url = settings.database.url
    if not is_sqlite(url):
        return True
    path = sqlite_file(url)
    return path is not None and path.exists()


def with_database(settings: Settings, work: Callable[[Repositories], Awaitable[T]]) -> T:
    """Run ``work(repositories)`` in one transaction on the (migrated) configured database."""
    from storage.db import create_engine, session_factory, upgrade_async
    from storage.repositories import sql_repositories

    async def run() -> T:
        await upgrade_async(settings.database.url)
        engine = create_engine(settings.database.url)
        try:
            async with session_factory(engine)() as session, session.begin():
                return await work(sql_repositories(session))
        finally:
            await engine.dispose()

    return asyncio.run(run())


def collect_training_examples(settings: Settings) -> list[TrainingExample]:
    """Everything ``pintu nlu train`` learns from: the database's examples (seeded from the
    shipped ones, and the legacy imported file, on first use); without a database, the
    shipped examples plus the imported file."""
    if database_available(settings):
        from bot.nlu_admin.data import ensure_seeded, training_examples

        async def load(repos: Repositories) -> list[TrainingExample]:
            await ensure_seeded(repos, legacy_extra=extra_data_path(settings))
            return await training_examples(repos)

        return with_database(settings, load)
    data = _read_data(SHIPPED_NLU_PATH, "shipped")
    extra = extra_data_path(settings)
    if extra.exists():
        data = _merge(data, _read_data(extra, "import"))
    return list(data.examples)


def collect_training_data(settings: Settings
                          ) -> tuple[list[TrainingExample], dict[str, Any]]:
    """The examples ``pintu nlu train`` learns and the trainer's extra arguments: the
    admins' own intents (those with an answer) and the kept Rasa synonyms, regexes, lookup
    tables and annotated entities (see :mod:`bot.nlu_admin.custom_intents`)."""
    if not database_available(settings):
        return collect_training_examples(settings), {}
    from bot.nlu_admin.custom_intents import trainable, training_extras
    from bot.nlu_admin.data import ensure_seeded, training_examples

    async def load(repos: Repositories) -> tuple[list[TrainingExample], dict[str, Any]]:
        await ensure_seeded(repos, legacy_extra=extra_data_path(settings))
        custom, extras = await training_extras(repos)
        examples = trainable(await training_examples(repos), custom)
        return examples, {"custom_intents": tuple(custom), "extras": extras}

    return with_database(settings, load)


def _all_data(settings: Settings) -> NluData:
    data = _read_data(SHIPPED_NLU_PATH, "shipped")
    extra = extra_data_path(settings)
    return _merge(data, _read_data(extra, "import")) if extra.exists() else data


def _train_kwargs(settings: Settings) -> dict[str, Any]:
    return {
        "intent_threshold": settings.nlu.intent_threshold,
        "category_threshold": settings.nlu.category_threshold,
        "ticket_prefix": settings.tickets.prefix,
    }


def _embedded(settings: Settings) -> IntentClassifier:
    return load_or_train_default(model_dir(settings), lambda: collect_training_examples(settings),
                                 **_train_kwargs(settings))


def _classifier(settings: Settings) -> IntentClassifier:
    if settings.nlu.backend == "rasa":
        from nlu.rasa_backend import RasaClassifier

        return RasaClassifier(settings.nlu.rasa_url, settings.nlu.rasa_timeout_seconds,
                              intent_threshold=settings.nlu.intent_threshold,
                              category_threshold=settings.nlu.category_threshold,
                              ticket_prefix=settings.tickets.prefix)
    return _embedded(settings)


def _fail(message: str, code: int = 2) -> int:
    print(f"pintu: {message}", file=sys.stderr)
    return code


def cmd_train(args: argparse.Namespace) -> int:
    """Train a new model version on the training data (see collect_training_examples)."""
    settings = load_settings(args.config)
    try:
        examples, extra_kwargs = collect_training_data(settings)
    except NluYamlError as exc:
        return _fail(f"training data: {exc}")
    info = ModelStore(model_dir(settings)).train(examples, **_train_kwargs(settings),
                                                 **extra_kwargs)
    if database_available(settings):
        _record_version(settings, info)
    if args.json:
        print(json.dumps(info.to_dict(), ensure_ascii=False))
    else:
        print(f"trained {info.version}: {info.n_examples} examples in "
              f"{info.training_seconds:.1f}s -> {info.path}")
    return 0


def _record_version(settings: Settings, info: ModelInfo) -> None:
    """List a CLI-trained model among the versions admins can promote."""
    from storage.models import NluModelVersion, utcnow

    async def record(repos: Repositories) -> None:
        await repos.versions.add(NluModelVersion(
            version=info.version, path=str(info.path), status="trained",
            n_examples=info.n_examples, training_seconds=info.training_seconds, metrics={},
            created_by=None, created_at=utcnow()))

    with_database(settings, record)


def cmd_parse(args: argparse.Namespace) -> int:
    """Parse one message with the configured backend."""
    settings = load_settings(args.config)
    from nlu.rasa_backend import NluBackendError

    try:
        result = _classifier(settings).parse(args.text)
    except NluBackendError as exc:
        return _fail(str(exc), 1)
    result = _with_catalog_service(settings, result)
    payload = to_rasa_parse(result)
    if args.json:
        print(json.dumps(payload, ensure_ascii=False))
        return 0
    intent, category = result.intent, result.category
    flag = "" if intent.confident else "  (below threshold)"
    print(f"intent:   {intent.label} {intent.confidence:.2f}{flag}")
    if category is not None:
        cflag = "" if category.confident else "  (below threshold)"
        print(f"category: {category.label} {category.confidence:.2f}{cflag}")
    if result.service is not None:
        sflag = "" if result.service.confident else "  (below threshold: category owner)"
        print(f"service:  {result.service.code} {result.service.confidence:.2f}{sflag}")
    print(f"region:   {result.region.canonical_name if result.region else '-'}")
    print(f"lang:     {result.lang}")
    for e in result.entities:
        print(f"entity:   {e.entity} = {e.value}  [{e.start}:{e.end}]")
    return 0


def _with_catalog_service(settings: Settings, result: NluResult) -> NluResult:
    """The parse with the configured catalog's service (an invalid catalog: unchanged)."""
    from routing.catalog import CatalogError, load_catalog
    from routing.service_picking import with_service

    try:
        catalog = load_catalog(settings.catalog.path,
                               overrides=settings.catalog.overrides_file())
    except CatalogError as exc:
        print(f"(no service: {exc.problems[0] if exc.problems else exc})", file=sys.stderr)
        return result
    return with_service(result, catalog, settings.nlu.service_threshold)


def cmd_evaluate(args: argparse.Namespace) -> int:
    """Score the latest trained model on a JSONL benchmark file."""
    settings = load_settings(args.config)
    try:
        rows = read_jsonl(args.file)
    except EvalFileError as exc:
        return _fail(str(exc))
    report = evaluate(_embedded(settings), rows)
    print(json.dumps(report, ensure_ascii=False) if args.json else format_report(report))
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    """Import Rasa files (files, several files, directories, as ``rasa train`` takes them)
    into the database: examples, new intents with their answers, and everything else
    kept for the export. Prints what the embedded NLU uses and what is kept unused."""
    settings = load_settings(args.config)
    from bot.nlu_admin.custom_intents import (
        ImportReport,
        collect_rasa_files,
        import_rasa,
        read_files,
    )
    from bot.nlu_admin.data import NluAdminError, ensure_seeded

    try:
        files = collect_rasa_files(args.files)
        read_files(files)  # checked before the database is touched: a bad file changes nothing
    except NluAdminError as exc:
        return _fail(str(exc))

    async def add(repos: Repositories) -> ImportReport:
        await ensure_seeded(repos, legacy_extra=extra_data_path(settings))
        return await import_rasa(repos, None, files)

    try:
        report = with_database(settings, add)
    except NluAdminError as exc:
        return _fail(str(exc))
    if args.json:
        print(json.dumps(report.as_dict(), ensure_ascii=False))
    else:
        lines = report.lines()
        lines[0] += " into the database"
        print("\n".join(lines))
    return 0


def _lapor_map(path: str | None) -> Any:
    """The default LAPOR! map, extended by the file ``path`` when given."""
    from nlu.lapor import default_map, parse_map

    if not path:
        return default_map()
    return parse_map(Path(path).read_text(encoding="utf-8"), default_map(), name=path)


def _print_lapor(result: Any) -> None:
    counts = result.to_dict()
    where = ", ".join(x for x in (counts["shape"], counts["agency"], counts["period"]) if x)
    print(f"read {counts['read']} reports from {counts['file']} ({where})")
    verb = "would import" if counts["dry_run"] else "imported"
    print(f"{verb} {counts['imported']} new examples (source lapor)")
    skipped = ", ".join(f"{k} {v}" for k, v in counts["skipped"].items() if v)
    print(f"skipped {counts['skipped_total']}" + (f": {skipped}" if skipped else ""))
    if counts["per_category"]:
        print("per category: " + ", ".join(f"{k} {v}" for k, v in counts["per_category"].items()))
    if counts["unknown_categories"]:
        names = ", ".join(f"{k!r} {v}" for k, v in counts["unknown_categories"].items())
        print(f"category names not in the map (add them with --map): {names}")
    if counts["dry_run"]:
        print("dry run: nothing was stored")
    elif counts["imported"]:
        print("next: pintu nlu train")


def cmd_import_lapor(args: argparse.Namespace) -> int:
    """Import an SP4N-LAPOR! export (XLSX or CSV) as training examples."""
    from bot.nlu_admin.data import NluAdminError, ensure_seeded
    from bot.nlu_admin.lapor_import import import_lapor, plan_import
    from nlu.lapor import LaporMapError

    settings = load_settings(args.config)
    path = Path(args.file)
    try:
        content = path.read_bytes()
        mapping = _lapor_map(args.map)
    except FileNotFoundError as exc:
        return _fail(f"{exc.filename}: file not found")
    except (OSError, LaporMapError) as exc:
        return _fail(str(exc))
    options = {"mapping": mapping, "include_confidential": args.include_confidential,
               "dry_run": args.dry_run}
    try:
        if args.dry_run and not database_available(settings):
            from bot.nlu_admin.data import normalized_key
            from nlu.training import load_shipped_examples

            known = {normalized_key(e.text) for e in load_shipped_examples()}
            result = plan_import(content, path.name, known_texts=known, **options)
        else:
            async def run(repos: Repositories) -> Any:
                if not args.dry_run:
                    await ensure_seeded(repos, legacy_extra=extra_data_path(settings))
                return await import_lapor(repos, None, content, path.name, **options)

            result = with_database(settings, run)
    except NluAdminError as exc:
        return _fail(str(exc))
    if args.json:
        print(json.dumps(result.to_dict(), ensure_ascii=False))
    else:
        _print_lapor(result)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """Write all training data (or only the imported examples) as Rasa NLU YAML."""
    settings = load_settings(args.config)
    if database_available(settings):
        from bot.nlu_admin.custom_intents import export_project
        from bot.nlu_admin.data import ensure_seeded

        async def dump(repos: Repositories) -> tuple[str, int]:
            await ensure_seeded(repos, legacy_extra=extra_data_path(settings))
            return await export_project(repos, source="import" if args.imported_only else None)

        text, count = with_database(settings, dump)
        Path(args.file).write_text(text, encoding="utf-8")
        print(f"exported {count} examples to {args.file}")
        return 0
    data = _all_data(settings)
    if args.imported_only:
        extra = extra_data_path(settings)
        data = _read_data(extra, "import") if extra.exists() else NluData()
    Path(args.file).write_text(write_nlu_yaml(data), encoding="utf-8")
    print(f"exported {len(data.examples)} examples to {args.file}")
    return 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``pintu nlu ...`` to the CLI."""
    nlu = subparsers.add_parser("nlu", help="train, test and manage the NLU")
    sub = nlu.add_subparsers(dest="nlu_command", required=True)

    p = sub.add_parser("train", help="train a new model version (shipped + imported data)")
    p.add_argument("--json", action="store_true", help="print the model metadata as JSON")
    p.set_defaults(func=cmd_train)

    p = sub.add_parser("parse", help="parse one message")
    p.add_argument("text")
    p.add_argument("--json", action="store_true", help="print Rasa's /model/parse JSON")
    p.set_defaults(func=cmd_parse)

    p = sub.add_parser("evaluate", help="score the latest model on a JSONL file")
    p.add_argument("file")
    p.add_argument("--json", action="store_true", help="print only the JSON report")
    p.set_defaults(func=cmd_evaluate)

    p = sub.add_parser("import", help="import Rasa files or project directories (NLU data, "
                       "domain, stories, rules)")
    p.add_argument("files", nargs="+", metavar="PATH")
    p.add_argument("--json", action="store_true", help="print the import report as JSON")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("import-lapor",
                       help="add an SP4N-LAPOR! export (XLSX or CSV) to the training data")
    p.add_argument("file", help="the export: Laporan Ringkas .xlsx or .csv")
    p.add_argument("--map", metavar="MAP.yml",
                   help="extra 'categories:' and 'agencies:' name-to-category tables")
    p.add_argument("--include-confidential", action="store_true",
                   help="also import reports marked Rahasia")
    p.add_argument("--dry-run", action="store_true", help="count only; store nothing")
    p.add_argument("--json", action="store_true", help="print the counts as JSON")
    p.set_defaults(func=cmd_import_lapor)

    p = sub.add_parser("export", help="write the training data as Rasa NLU YAML")
    p.add_argument("file")
    p.add_argument("--imported-only", action="store_true",
                   help="only the imported examples, not the shipped ones")
    p.set_defaults(func=cmd_export)
