"""The mutation runner's module table and scratch copy name files that exist (a moved file broke every run)."""

from __future__ import annotations

import pytest

from tools.mutation.__main__ import ALSO_COPY, MODULES, ROOT


@pytest.mark.parametrize("item", ALSO_COPY)
def test_every_item_copied_beside_the_library_exists(item: str) -> None:
    assert (ROOT / item).exists(), item


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.name)
def test_every_module_names_existing_sources_and_tests(module: object) -> None:
    missing = [p for p in (*module.sources, *module.tests) if not (ROOT / p).exists()]  # type: ignore[attr-defined]
    assert missing == []
