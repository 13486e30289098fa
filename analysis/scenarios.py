"""Named planning scenarios: a set of proposed sites plus the settings they were made with.

A :class:`Scenario` is kept as one JSON document in the workspace
(:attr:`geo.workspace.Workspace.scenarios`), reloaded from it, and exported as a sites CSV in
the canonical schema. :func:`site_rows` builds the canonical rows of a planner's new sites
(typed by hand, chosen by the optimiser) and :func:`site_fields` reads one back.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

import numpy as np
import numpy.typing as npt
import pandas as pd

from geo.roles import Actor
from geo.scenario_store import ScenarioStore
from geo.schema import SITES

SITE_COLUMNS: tuple[str, ...] = tuple(SITES.column_names)
_FIELDS: tuple[str, ...] = ("operator", "technology", "band_mhz", "lon", "lat", "height_m",
                            "eirp_dbm")


def site_rows(site_id: list[str], *, operator: object, technology: object,
              band_mhz: npt.ArrayLike, lon: npt.ArrayLike, lat: npt.ArrayLike,
              height_m: npt.ArrayLike, eirp_dbm: npt.ArrayLike) -> pd.DataFrame:
    """New sites as rows of the canonical sites table: one per ``site_id`` (also the tower
    id), WGS84 ``lon``/``lat`` rounded to 6 decimals, MHz, m, dBm (scalars apply to every
    row), omnidirectional, ``source`` = ``imported`` (the schema knows no other kind for a
    planner's own sites)."""
    ids = list(site_id)

    def numbers(values: npt.ArrayLike, digits: int | None = None) -> np.ndarray:
        array = np.broadcast_to(np.asarray(values, float), (len(ids),))
        return np.round(array, digits) if digits is not None else array.copy()

    return pd.DataFrame({
        "site_id": ids, "tower_id": ids, "operator": operator, "technology": technology,
        "band_mhz": numbers(band_mhz), "lon": numbers(lon, 6), "lat": numbers(lat, 6),
        "height_m": numbers(height_m), "eirp_dbm": numbers(eirp_dbm),
        "azimuth_deg": np.nan, "beamwidth_deg": np.nan, "assumed": "", "source": "imported"},
        index=pd.RangeIndex(len(ids)), columns=list(SITE_COLUMNS))


def proposed_rows(proposed: Mapping[int, Mapping[str, object]]) -> pd.DataFrame:
    """The sites of :attr:`analysis.planning.WhatIf.proposed` as canonical rows."""
    sites = list(proposed.values())
    return site_rows([str(s.get("site_id", "")) for s in sites],
                     **{name: [s[name] for s in sites] for name in _FIELDS})


def site_fields(row: pd.Series | Mapping[str, object]) -> dict[str, object]:
    """The fields :meth:`analysis.planning.WhatIf.add` takes, from a canonical sites row."""
    return {"site_id": str(row["site_id"]), "operator": str(row["operator"]),
            "technology": str(row["technology"]),
            **{name: float(row[name]) for name in _FIELDS[2:]}}


@dataclass
class Scenario:
    """Proposed sites (rows of the canonical sites table) and the settings in force."""

    name: str
    sites: pd.DataFrame
    settings: dict[str, object] = field(default_factory=dict)
    created: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))

    def to_json(self) -> str:
        sites = self.sites.reindex(columns=list(SITE_COLUMNS))
        rows = json.loads(sites.to_json(orient="records", force_ascii=False))
        return json.dumps({"name": self.name, "created": self.created,
                           "settings": self.settings, "sites": rows}, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Scenario:
        data = json.loads(text)
        sites = pd.DataFrame(data["sites"], columns=list(SITE_COLUMNS))
        return cls(data["name"], sites, data.get("settings", {}), data.get("created", ""))

    def save_to(self, store: ScenarioStore, actor: Actor | None = None) -> bool:
        """Save into the workspace's scenarios; True when one of that name was replaced.
        ``actor``: who saves it (:mod:`geo.roles`; the editor role or higher)."""
        return store.save(self.name, self.to_json(), self.created, actor)

    @classmethod
    def load_from(cls, store: ScenarioStore, name: str) -> Scenario:
        """The scenario saved as ``name`` (:class:`geo.errors.DataError` when none)."""
        return cls.from_json(store.load(name))

    def sites_csv(self) -> bytes:
        """The sites in the canonical schema, UTF-8 with BOM (opens in Excel)."""
        table = self.sites.reindex(columns=list(SITE_COLUMNS))
        return table.to_csv(index=False, lineterminator="\n").encode("utf-8-sig")
