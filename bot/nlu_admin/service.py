"""Views of model versions shared by the pages and the API."""

from __future__ import annotations

from typing import Any

from storage.models import NluModelVersion
from storage.ports import Repositories


async def user_names(repos: Repositories) -> dict[int, str]:
    """Staff user id -> the name to show."""
    return {u.id: u.display_name or u.username for u in await repos.staff.all()}


def progress_of(row: NluModelVersion) -> dict[str, Any]:
    """A version's status and training progress (what the page's poller reads)."""
    progress = (row.metrics or {}).get("progress") or {}
    done = row.status != "training"
    return {"version": row.version, "status": row.status,
            "stage": progress.get("stage", "done" if done else "queued"),
            "percent": int(progress.get("percent", 100 if done else 0)),
            "error": row.error}


def _summary(report: dict[str, Any] | None) -> dict[str, Any]:
    """Accuracy and macro-F1 per field of an evaluation report."""
    if not isinstance(report, dict):
        return {}
    return {field: {"accuracy": report[field].get("accuracy"),
                    "macro_f1": report[field].get("macro_f1"), "n": report[field].get("n")}
            for field in ("intent", "category", "region") if isinstance(report.get(field), dict)}


def version_dict(row: NluModelVersion, names: dict[int, str] | None = None) -> dict[str, Any]:
    """A version as listed: who trained and promoted it, when, and its headline scores."""
    names = names or {}
    metrics = row.metrics or {}
    return {
        "version": row.version,
        "status": row.status,
        "n_examples": row.n_examples,
        "training_seconds": row.training_seconds,
        "created_at": row.created_at.isoformat() if row.created_at else None,
        "created_by": row.created_by,
        "created_by_name": names.get(row.created_by) if row.created_by else None,
        "promoted_at": row.promoted_at.isoformat() if row.promoted_at else None,
        "promoted_by": row.promoted_by,
        "promoted_by_name": names.get(row.promoted_by) if row.promoted_by else None,
        "error": row.error,
        "progress": progress_of(row),
        "heldout": _summary(metrics.get("heldout")),
        "heldout_lapor": _summary(metrics.get("heldout_lapor")),
        "evalsets": {name: _summary(r) for name, r in (metrics.get("evalsets") or {}).items()},
        "created": row.created_at,
        "promoted": row.promoted_at,
    }


def public_version(row: NluModelVersion, names: dict[int, str] | None = None,
                   *, full: bool = False) -> dict[str, Any]:
    """A version for the API (JSON only; ``full`` adds the whole metrics)."""
    data = version_dict(row, names)
    data.pop("created")
    data.pop("promoted")
    if full:
        data["metrics"] = row.metrics or {}
        data["confusion_matrix_url"] = (
            f"/api/nlu/versions/{row.version}/confusion.png"
            if (row.metrics or {}).get("confusion") else None)
    return data
