"""Importing an agency's SP4N-LAPOR! history into the training data.

The command (``pintu nlu import-lapor``) and the admin page's upload both call
:func:`import_lapor`: the export is read and labelled by :mod:`nlu.lapor`
(masked, Rahasia rows skipped unless asked for), rows already in the training
data or twice in the file are dropped, and the rest is stored as training
examples with the source "lapor" in one transaction, audited. A dry run
counts the same and stores nothing. The counts (read, imported, skipped by
reason, per category and intent, unknown category names) are the result.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from bot.nlu_admin.data import NluAdminError, ensure_seeded, normalized_key
from bot.staff.audit import audit
from bot.staff.sessions import StaffContext
from nlu.examples import TrainingExample
from nlu.lapor import (
    LAPOR_SOURCE,
    SKIP_REASONS,
    LaporFormatError,
    LaporMap,
    default_map,
    label_reports,
    read_export,
)
from nlu.training import load_shipped_examples
from storage.ports import Repositories

MAX_EXPORT_BYTES = 50 * 1024 * 1024


@dataclass
class LaporImport:
    """What an import did (or, in a dry run, would do)."""

    file: str
    shape: str
    agency: str | None
    period: str | None
    dry_run: bool
    read: int = 0
    imported: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    per_category: Counter[str] = field(default_factory=Counter)
    per_intent: Counter[str] = field(default_factory=Counter)
    unknown_categories: Counter[str] = field(default_factory=Counter)
    examples: list[TrainingExample] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The counts as ``--json`` prints them."""
        return {
            "file": self.file, "shape": self.shape, "agency": self.agency,
            "period": self.period, "dry_run": self.dry_run, "read": self.read,
            "imported": self.imported,
            "skipped": {r: self.skipped.get(r, 0) for r in SKIP_REASONS},
            "skipped_total": sum(self.skipped.values()),
            "per_category": dict(sorted(self.per_category.items())),
            "per_intent": dict(sorted(self.per_intent.items())),
            "unknown_categories": dict(self.unknown_categories.most_common()),
        }


def plan_import(content: bytes, filename: str, *, mapping: LaporMap | None = None,
                include_confidential: bool = False, known_texts: set[str] | None = None,
                dry_run: bool = False) -> LaporImport:
    """Read and label an export and drop duplicates (of ``known_texts``, normalised keys of
    the examples already stored, and within the file); stores nothing.
    :class:`NluAdminError` for a file that is not a LAPOR! export."""
    if len(content) > MAX_EXPORT_BYTES:
        raise NluAdminError("the file is larger than 50 MB")
    try:
        export = read_export(content, filename)
    except LaporFormatError as exc:
        raise NluAdminError(f"{filename or 'the file'}: {exc}") from exc
    mapping = mapping or default_map()
    result = LaporImport(filename, export.shape, export.agency, export.period, dry_run,
                         read=len(export.reports))
    seen = set(known_texts or ())
    for item in label_reports(export.reports, mapping,
                              include_confidential=include_confidential):
        report = item.report
        known, _cat = mapping.category_for_name(report.category)
        if report.category and not known:
            result.unknown_categories[report.category] += 1
        if item.example is None:
            result.skipped[str(item.reason)] += 1
            continue
        key = normalized_key(item.example.text)
        if key in seen:
            result.skipped["duplicate"] += 1
            continue
        seen.add(key)
        result.examples.append(item.example)
        result.per_category[item.example.category or "-"] += 1
        result.per_intent[item.example.intent] += 1
    result.imported = len(result.examples)
    return result


async def import_lapor(repos: Repositories, ctx: StaffContext | None, content: bytes,
                       filename: str, *, mapping: LaporMap | None = None,
                       include_confidential: bool = False, dry_run: bool = False,
                       ip: str | None = None) -> LaporImport:
    """Import an export into the training data (see the module docstring); with
    ``dry_run`` nothing is stored or audited (not even the first seeding)."""
    if not dry_run:
        await ensure_seeded(repos)
    known = {normalized_key(text) for _id, text, _i, _c, _s in
             await repos.examples.labelled_texts()}
    if dry_run and not known:  # not seeded yet: the shipped examples will be there
        known = {normalized_key(e.text) for e in
                 await asyncio.to_thread(load_shipped_examples)}
    result = plan_import(content, filename, mapping=mapping,
                         include_confidential=include_confidential, known_texts=known,
                         dry_run=dry_run)
    if dry_run:
        return result
    await repos.examples.add_many(
        {"text": e.text, "intent": e.intent, "category": e.category, "source": LAPOR_SOURCE,
         "created_by": ctx.user_id if ctx else None} for e in result.examples)
    counts = result.to_dict()
    await audit(repos, ctx, "nlu_lapor_imported", target_type="training_examples",
                data={k: counts[k] for k in ("file", "agency", "read", "imported",
                                             "skipped", "per_category")}, ip=ip)
    return result
