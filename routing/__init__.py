"""Routing: the service catalog, working-day arithmetic and the complaint router.

Everything here is pure apart from reading the catalog file (and the wilayah
tables it is validated against) in :func:`routing.catalog.load_catalog`.
"""

from routing.catalog import (
    Catalog,
    CatalogError,
    CatalogService,
    ServiceOwner,
    ServiceStandard,
    ServiceUnit,
    catalog_json_schema,
    find_service_standards,
    load_catalog,
)
from routing.explain import explain
from routing.router import (
    RoutingDecision,
    escalation_target,
    forward_decision,
    route_complaint,
    service_decision,
)
from routing.rules import RegionLevel, RoutingRule
from routing.workdays import add_working_days, is_working_day, working_days_between

__all__ = [
    "Catalog",
    "CatalogError",
    "CatalogService",
    "RegionLevel",
    "RoutingDecision",
    "RoutingRule",
    "ServiceOwner",
    "ServiceStandard",
    "ServiceUnit",
    "add_working_days",
    "catalog_json_schema",
    "escalation_target",
    "explain",
    "find_service_standards",
    "forward_decision",
    "is_working_day",
    "load_catalog",
    "route_complaint",
    "service_decision",
    "working_days_between",
]
