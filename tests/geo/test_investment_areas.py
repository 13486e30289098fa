"""Quyết định 2167/QĐ-UBND (2026): the reference list of difficult investment areas."""

from __future__ import annotations

import unicodedata

import pandas as pd

from geo.admin import INVESTMENT_AREAS, investment_area_of, load_investment_areas
from geo.layers import load_communes_2025


def test_the_95_units_match_the_2025_codes_with_their_categories() -> None:
    areas = load_investment_areas()
    assert len(areas) == 95 and areas["code"].is_unique
    assert areas["category"].value_counts().to_dict() == {"extremely_difficult": 87,
                                                          "difficult": 8}
    assert set(areas["category"]) <= set(INVESTMENT_AREAS)
    communes = load_communes_2025()
    assert set(areas["code"]) <= set(communes["code"].astype(str))
    outside = set(communes["full_name"][~communes["code"].astype(str).isin(areas["code"])])
    assert outside == {"Phường Văn Phú", "Phường Yên Bái", "Phường Nam Cường", "Phường Âu Lâu"}
    assert all(unicodedata.is_normalized("NFC", n) for n in areas["name"])
    assert set(areas["source"]) == {"reference_transcribed"}


def test_category_by_code_is_index_aligned() -> None:
    areas = load_investment_areas()
    hard = areas.loc[areas["category"] == "extremely_difficult", "code"].iloc[0]
    some = areas.loc[areas["category"] == "difficult", "code"].iloc[0]
    codes = pd.Series([hard, "99999", some], index=[7, 8, 9])
    assert investment_area_of(codes).to_dict() == {7: "extremely_difficult", 8: "",
                                                   9: "difficult"}
