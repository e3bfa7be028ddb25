"""The NLU's service picker for a catalog: built once per set of services, applied to a parse.

The picker (:mod:`nlu.services`) knows nothing of catalogs; this module feeds
it the live catalog's services, so a reload that changes services or their
examples brings a picker that knows them. Catalogs with the same services
share one picker (training takes a second or two).
"""

from __future__ import annotations

import dataclasses
import threading
from functools import lru_cache
from typing import Final

from nlu.services import DEFAULT_SERVICE_THRESHOLD, ServiceDescription, ServicePicker
from nlu.types import NluResult
from routing.catalog import Catalog

_LOCK: Final = threading.Lock()


def service_descriptions(catalog: Catalog) -> tuple[ServiceDescription, ...]:
    """What the picker learns from: each service's code, category, keywords and examples."""
    return tuple(ServiceDescription(s.code, s.category, s.keywords, s.examples, s.oversight)
                 for s in catalog.services)


@lru_cache(maxsize=4)
def _picker(services: tuple[ServiceDescription, ...], threshold: float) -> ServicePicker:
    return ServicePicker(services, threshold=threshold)


def service_picker(catalog: Catalog, threshold: float = DEFAULT_SERVICE_THRESHOLD
                   ) -> ServicePicker:
    """The picker for the catalog's services, trained on first use (thread-safe)."""
    with _LOCK:
        return _picker(service_descriptions(catalog), threshold)


def with_service(result: NluResult, catalog: Catalog,
                 threshold: float = DEFAULT_SERVICE_THRESHOLD) -> NluResult:
    """The parse with the service the catalog's picker chose (unchanged without services)."""
    if not catalog.services:
        return result
    picked = service_picker(catalog, threshold).pick(result.text, result.category)
    return dataclasses.replace(result, service=picked)
