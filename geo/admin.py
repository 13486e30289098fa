"""Administrative units of Lào Cai in two eras, name matching and the 2020 → 2025 crosswalk.

- 2020–2024: the two provinces merged in 2025, each row marked ``old_province``
  (``laocai`` / ``yenbai``): old Lào Cai's 152 commune-level units in 9 district-level units
  (080–089; the layout Decision 2541/QĐ-UBND of 2023 was written against) and old Yên Bái's
  173 in 9 (132–141): 325 units in 18 districts, codes only (no open polygons exist).
- 2025: 99 commune-level units with polygons (``data/boundaries/communes_2025.geojson``),
  48 formed from old Lào Cai and 51 from old Yên Bái.

Names are matched on a folded key (any case, with or without diacritics, NFC or NFD, with or
without "Xã / Phường / Thị trấn / TT"); when the folded key is shared ("Sa Pa" / "Sa Pả",
"Nậm Chảy" / "Nậm Chầy") the exact spelling decides, and without one the name is ambiguous
(a few names occur in both old provinces: "Nam Cường", "Minh Tân", "Tân An"); a district
narrows the search.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

import geopandas as gpd
import pandas as pd

from geo.layers import load_communes_2025
from geo.settings import SETTINGS
from geo.text import accent_key, district_key, unit_key

Era = Literal[2020, 2025]
_MAX_CANDIDATES = 5
_CLOSE_CUTOFF = 0.6


@dataclass(frozen=True)
class Candidate:
    """A unit a name could refer to, with its similarity score (0–1)."""

    code: str
    full_name: str
    district: str
    score: float


@dataclass(frozen=True)
class UnitMatch:
    """Result of matching one name: ``status`` is ``matched``, ``ambiguous`` or ``unmatched``.

    For ``matched`` the unit is in ``code`` / ``full_name``; otherwise ``candidates`` lists
    the closest units, best first.
    """

    query: str
    status: Literal["matched", "ambiguous", "unmatched"]
    code: str | None = None
    full_name: str | None = None
    district_code: str | None = None
    candidates: tuple[Candidate, ...] = field(default_factory=tuple)


@lru_cache(maxsize=1)
def _units_2020() -> pd.DataFrame:
    return pd.read_csv(SETTINGS.paths.admin / "units_2020.csv", dtype=str)


@lru_cache(maxsize=1)
def _districts_2020() -> pd.DataFrame:
    frame = pd.read_csv(SETTINGS.paths.admin / "districts_2020.csv", dtype=str)
    frame["units_2020"] = frame["units_2020"].astype(int)
    return frame


INVESTMENT_AREAS: tuple[str, ...] = ("extremely_difficult", "difficult")
"""Categories of Quyết định 2167/QĐ-UBND: investment areas with extremely difficult (annex
section I) or difficult (section II) socio-economic conditions."""


@lru_cache(maxsize=1)
def _investment_areas() -> pd.DataFrame:
    return pd.read_csv(SETTINGS.paths.reference / "investment_areas_qd2167.csv", dtype=str)


def load_investment_areas() -> pd.DataFrame:
    """The 2025 units that Quyết định 2167/QĐ-UBND (23 June 2026) lists as extremely difficult
    (87) or difficult (8) investment areas: ``code, name, old_province, category`` (one of
    :data:`INVESTMENT_AREAS`), ``decision``, ``source`` (``reference_transcribed``: a
    third-party transcription of the signed decision, see data/README.md). A copy."""
    return _investment_areas().copy()


def investment_area_of(codes: pd.Series) -> pd.Series:
    """The QĐ 2167 category of each 2025 unit code, ``""`` for a unit it does not list
    (index aligned)."""
    categories = _investment_areas().set_index("code")["category"]
    return codes.astype(str).map(categories).fillna("")


@lru_cache(maxsize=1)
def _crosswalk() -> pd.DataFrame:
    frame = pd.read_csv(SETTINGS.paths.admin / "crosswalk_2020_2025.csv", dtype=str,
                        keep_default_na=False)
    frame["divided"] = frame["divided"] == "True"
    return frame


def load_units(era: Era) -> pd.DataFrame:
    """Commune-level units of ``era`` with ``code``, ``name``, ``unit_type``, ``full_name``.

    2020 rows (both old provinces) also carry ``district_code``, ``district`` and
    ``old_province``; 2025 rows are the GeoDataFrame of
    :func:`geo.layers.load_communes_2025` (WGS84 polygons, population, area).
    """
    if era == 2020:
        return _units_2020().copy()
    if era == 2025:
        return load_communes_2025()
    raise ValueError(f"era must be 2020 or 2025, got {era!r}")


def load_districts() -> pd.DataFrame:
    """The 18 district-level units of 2020–2024 (9 of old Lào Cai, 9 of old Yên Bái): code,
    full and short name, unit type, unit count, ``old_province``."""
    return _districts_2020().copy()


def load_crosswalk() -> pd.DataFrame:
    """Every 2020 unit of both old provinces with its 2025 successor (``code_2020`` →
    ``code_2025``, ``divided``, ``note`` on hand fixes, ``old_province``)."""
    return _crosswalk().copy()


def load_origins() -> pd.DataFrame:
    """Each 2025 unit with the 2020 district(s) and units it was formed from (every one of the
    99 has at least one)."""
    return pd.read_csv(SETTINGS.paths.admin / "units_2025_origins.csv", dtype=str,
                       keep_default_na=False)


def successor_2025(code_2020: str) -> str:
    """The 2025 unit code that succeeded 2020 unit ``code_2020``."""
    walk = _crosswalk().set_index("code_2020")["code_2025"]
    code = str(code_2020).zfill(5)
    if code not in walk.index:
        raise KeyError(f"{code_2020!r} is not a 2020 commune-level code of Lào Cai "
                       "(old Lào Cai or old Yên Bái)")
    return str(walk[code])


def match_district(name: str) -> str | None:
    """District code (e.g. ``"085"``, ``"137"``) for a 2020 district name or code of either old
    province ("Bắc Hà", "TP Yên Bái", "Mù Cang Chải"), or None."""
    districts = _districts_2020()
    text = str(name).strip()
    if text.zfill(3) in set(districts["district_code"]):
        return text.zfill(3)
    key = district_key(text)
    for code, full, short in districts[["district_code", "full_name", "short_name"]].itertuples(
        index=False
    ):
        if key in (district_key(full), district_key(short)):
            return str(code)
    return None


def _table(era: Era) -> pd.DataFrame:
    units = load_units(era)
    table = pd.DataFrame({
        "code": units["code"].astype(str),
        "full_name": units["full_name"].astype(str),
        "district_code": units["district_code"] if era == 2020 else units["old_districts"],
        "district": units["district"] if era == 2020 else units["old_districts"],
    })
    table["key"] = units["name"].map(unit_key)
    table["accent"] = units["name"].map(accent_key)
    return table


@lru_cache(maxsize=2)
def _cached_table(era: Era) -> pd.DataFrame:
    return _table(era)


def _candidates(table: pd.DataFrame, key: str) -> tuple[Candidate, ...]:
    scored = [
        Candidate(r.code, r.full_name, r.district,
                  round(difflib.SequenceMatcher(None, key, r.key).ratio(), 3))
        for r in table.itertuples(index=False)
    ]
    scored = [c for c in scored if c.score >= _CLOSE_CUTOFF]
    return tuple(sorted(scored, key=lambda c: (-c.score, c.code))[:_MAX_CANDIDATES])


def match_unit(name: str, *, era: Era = 2020, district: str | None = None) -> UnitMatch:
    """Match a free-text commune-level name to a unit of ``era``.

    Parameters
    ----------
    name:
        As typed: "Xã Tả Phời", "ta phoi", "TT Bắc Hà", "Xã Tú Lệ", decomposed Unicode, ...
    district:
        Optional 2020 district (name or code) to search within; for 2025 units, a 2020
        district code limits the search to units formed from it.
    """
    table = _cached_table(era)
    if district is not None:
        code = match_district(district)
        if code is None:
            return UnitMatch(name, "unmatched")
        table = table[table["district_code"].str.contains(code, regex=False)]
    key = unit_key(name)
    hits = table[table["key"] == key]
    if len(hits) > 1:
        exact = hits[hits["accent"] == accent_key(name)]
        hits = exact if len(exact) == 1 else hits
    if len(hits) == 1:
        row = hits.iloc[0]
        return UnitMatch(name, "matched", row["code"], row["full_name"], row["district_code"])
    if len(hits) > 1:
        cands = tuple(Candidate(r.code, r.full_name, r.district, 1.0)
                      for r in hits.itertuples(index=False))
        return UnitMatch(name, "ambiguous", candidates=cands)
    return UnitMatch(name, "unmatched", candidates=_candidates(table, key))


def district_outlines(communes: gpd.GeoDataFrame, origins: pd.DataFrame,
                      units_2020: pd.DataFrame, districts: pd.DataFrame) -> gpd.GeoDataFrame:
    """Approximate 2020 district outlines: the 2025 units dissolved by their old district.

    A 2025 unit formed from one district goes to it; one formed from several goes to the
    district that gave it most 2020 units (the first code on a tie). Units without an old
    district are left out. Returns ``district_code``, ``district``, ``units``.
    """
    unit_district = units_2020.set_index("code")["district_code"]
    chosen: dict[str, str] = {}
    for row in origins.itertuples(index=False):
        codes = [c for c in str(row.old_district_codes).split(";") if c]
        if not codes:
            continue
        if len(codes) > 1:
            counts = pd.Series([unit_district.get(c) for c in str(row.codes_2020).split(";")])
            counts = counts[counts.isin(codes)].value_counts()
            best = counts[counts == counts.max()].index if len(counts) else codes
            codes = sorted(best)
        chosen[str(row.code_2025)] = codes[0]
    frame = communes.assign(district_code=communes["code"].astype(str).map(chosen))
    frame = frame[frame["district_code"].notna()]
    if frame.empty:
        return gpd.GeoDataFrame(columns=["district_code", "district", "units", "geometry"],
                                geometry="geometry", crs=communes.crs)
    dissolved = frame.dissolve(by="district_code", aggfunc={"code": "count"}).reset_index()
    dissolved = dissolved.rename(columns={"code": "units"})
    names = districts.set_index("district_code")["full_name"]
    dissolved["district"] = dissolved["district_code"].map(names)
    dissolved["geometry"] = dissolved.geometry.buffer(0)
    return dissolved[["district_code", "district", "units", "geometry"]]
