from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from routing.categories import CATEGORY_KEYS, TRIAGE_CATEGORY, category_name, is_category

SHARED_TAXONOMY = Path("/work/shared/taxonomy.yml")


@pytest.mark.skipif(not SHARED_TAXONOMY.exists(), reason="shared/taxonomy.yml not present")
def test_category_keys_match_the_shared_taxonomy() -> None:
    data = yaml.safe_load(SHARED_TAXONOMY.read_text(encoding="utf-8"))
    assert tuple(data["categories"]) == CATEGORY_KEYS


def test_names_and_membership() -> None:
    assert TRIAGE_CATEGORY in CATEGORY_KEYS
    assert category_name("infrastructure") == "infrastruktur"
    assert category_name("infrastructure", "en") == "infrastructure"
    assert category_name("no_such_thing") == "no_such_thing"
    assert is_category("health")
    assert not is_category("Health")
    assert not is_category(None)
