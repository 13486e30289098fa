"""Headline figures beside the published figures of the same area only."""

from __future__ import annotations

import dataclasses

import numpy as np

from analysis.indicators import PUBLISHED_FOR, load_published
from analysis.pipeline import analyse
from analysis.selection import Selection
from geo.settings import SETTINGS
from tests.analysis.test_planning import N, _world


def _indicators(area: str) -> dict:
    world = _world(np.zeros((N, N)), [(30, 120)])
    inputs = dataclasses.replace(world.inputs, area=area, memo={})
    result = analyse(inputs, Selection(), coverage=world.coverage)
    return {i.key: i for i in result.indicators}


def _published(area: str) -> dict[str, str | None]:
    return {k: i.published for k, i in _indicators(area).items()}


def test_each_area_shows_its_own_published_figures_and_no_other():
    old = _published("laocai")
    assert old["bts_records"] == "2962" and old["village_centres_3g4g"] == "97.8%"
    merged = _published("province")
    assert merged["bts_records"] == "4017" and merged["village_centres_3g4g"] == "99.3%"
    assert merged["villages_fibre"] is None  # published for old Lào Cai (2023) only
    assert all(v is None for v in _published("yenbai").values())  # nothing published


def test_later_figures_of_old_lao_cai_are_added_to_its_source_only():
    old = _indicators("laocai")
    assert "; 98% (vietnam.vn/laocai" in old["village_centres_3g4g"].published_source
    assert "; 85.5% (vietnam.vn/laocai" in old["villages_fibre"].published_source
    merged = _indicators("province")["village_centres_3g4g"].published_source
    assert "2025" in merged and "vietnam.vn/laocai" not in merged


def test_every_published_figure_names_a_known_area():
    table = load_published()
    assert set(table["area_key"]) <= set(SETTINGS.study_area.areas)
    linked = {k for keys in PUBLISHED_FOR.values() for k in keys}
    assert linked <= set(table.index)
