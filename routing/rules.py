"""The names a routing decision records: which rule placed a report, at which region level.

Kept apart from :mod:`routing.router` so :mod:`routing.explain` can word a
decision without importing the router that uses it.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final


class RoutingRule(StrEnum):
    """The rule that placed a report; the value is stored with the ticket (``routing_rule``)."""

    DISTRICT = "category+district"
    REGENCY = "category+regency"
    PROVINCE = "category+province"
    NATIONAL = "category+national"
    DEFAULT_REGION = "category+default-region"
    ANYWHERE = "category-anywhere"
    NO_CATEGORY = "no-category-triage"
    UNKNOWN_CATEGORY = "unknown-category-triage"
    LOW_CONFIDENCE = "low-confidence-triage"
    NO_UNIT = "no-unit-triage"
    MANUAL_FORWARD = "manual-forward"
    SERVICE_DISTRICT = "service+district"
    SERVICE_REGENCY = "service+regency"
    SERVICE_PROVINCE = "service+province"
    SERVICE_NATIONAL = "service+national"
    OVERSIGHT = "oversight"
    """A complaint about the apparatus, sent to the Inspektorat (kept from the unit concerned)."""


TRIAGE_RULES: Final = frozenset({
    RoutingRule.NO_CATEGORY, RoutingRule.UNKNOWN_CATEGORY, RoutingRule.LOW_CONFIDENCE,
    RoutingRule.NO_UNIT,
})


class RegionLevel(StrEnum):
    """The level of a wilayah code in the hierarchy; ``national`` for "ID"."""

    NATIONAL = "national"
    PROVINCE = "province"
    REGENCY = "regency"
    DISTRICT = "district"
