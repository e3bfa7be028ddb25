"""Shared fixtures for the routing tests: the shipped demo catalog, loaded once."""

from __future__ import annotations

import pytest

from routing.catalog import Catalog, load_catalog


@pytest.fixture(scope="session")
def demo() -> Catalog:
    return load_catalog()
