"""Coordinate reference systems, and recognising which one a coordinate list is in.

Analysis runs in VN-2000 / TM-3 104-45 (EPSG:9208, metres); display and export use WGS84
(EPSG:4326, lon/lat). Field lists from Vietnamese agencies often come in VN-2000 metres, with
``X`` the northing and ``Y`` the easting (the surveying convention), or with latitude and
longitude swapped. :func:`detect_crs` recognises these cases and says which it found;
:func:`read_coordinates` reads two numbers a planner typed.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import geopandas as gpd
import numpy as np
import shapely
from pyproj import Transformer
from pyproj.aoi import AreaOfInterest
from pyproj.transformer import TransformerGroup

from geo.settings import SETTINGS

METRIC_CRS: str = SETTINGS.crs.metric
DISPLAY_CRS: str = SETTINGS.crs.display

# Each candidate: (kind, CRS of the values, whether the two columns are swapped).
_CANDIDATES: tuple[tuple[str, str, bool], ...] = (
    ("wgs84", SETTINGS.crs.display, False),
    ("wgs84_swapped", SETTINGS.crs.display, True),
    ("vn2000_tm3", SETTINGS.crs.metric, False),
    ("vn2000_tm3_swapped", SETTINGS.crs.metric, True),
    ("vn2000_utm48", SETTINGS.crs.vn2000_utm48, False),
    ("vn2000_utm48_swapped", SETTINGS.crs.vn2000_utm48, True),
)

_TM3 = f"VN-2000 metres, TM-3 zone {SETTINGS.crs.metric_meridian} ({SETTINGS.crs.metric})"
_DESCRIPTIONS = {
    "wgs84": "WGS84 longitude/latitude",
    "wgs84_swapped": "WGS84 with latitude and longitude swapped",
    "vn2000_tm3": _TM3,
    "vn2000_tm3_swapped": f"{_TM3}, X = northing",
    "vn2000_utm48": "VN-2000 metres, UTM zone 48N (EPSG:3405)",
    "vn2000_utm48_swapped": "VN-2000 metres, UTM zone 48N (EPSG:3405), X = northing",
    "unknown": "not recognised",
}


@dataclass(frozen=True)
class CrsGuess:
    """What :func:`detect_crs` found.

    ``kind`` is one of ``wgs84``, ``wgs84_swapped``, ``vn2000_tm3[_swapped]``,
    ``vn2000_utm48[_swapped]`` or ``unknown``; ``crs`` is the EPSG code of the values;
    ``swapped`` says the first column holds northing/latitude; ``inside_share`` is the share
    of points that fall inside the area under this reading; ``ambiguous`` is set when another
    reading places almost as many points inside (then the provincial TM-3 zone is preferred).
    """

    kind: str
    crs: str | None
    swapped: bool
    inside_share: float
    ambiguous: bool = False
    runner_up: str | None = None

    @property
    def message(self) -> str:
        """A sentence for the user (English; the UI translates by ``kind``)."""
        text = f"Coordinates read as {_DESCRIPTIONS[self.kind]}"
        if self.kind == "unknown":
            return ("Coordinates not recognised as WGS84 or VN-2000 "
                    f"(TM-3 {SETTINGS.crs.metric_meridian} or UTM 48N).")
        text += f"; {self.inside_share:.0%} of points fall in the province"
        if self.ambiguous and self.runner_up:
            text += f" (could also be {_DESCRIPTIONS[self.runner_up]}: check with the supplier)"
        return text + "."


@lru_cache(maxsize=8)
def _transformer(src: str, dst: str) -> Transformer:
    """The best operation from ``src`` to ``dst`` (x = easting/longitude), as a pipeline.

    ``Transformer.from_crs`` keeps every candidate operation (VN-2000 has two sets of datum
    shifts) and searches PROJ's database again in each new thread, because pyproj builds one
    transformer per thread: ≈55 ms per transformer per Streamlit rerun, which runs in a new
    thread each time. The best operation for the lon/lat box of the settings is the one
    ``from_crs`` applies there (same results, tested); as a pipeline it is set up in under a
    millisecond.
    """
    (west, east), (south, north) = SETTINGS.crs.lon_range, SETTINGS.crs.lat_range
    group = TransformerGroup(src, dst, always_xy=True,
                             area_of_interest=AreaOfInterest(west, south, east, north))
    if group.transformers:
        return Transformer.from_pipeline(group.transformers[0].definition)
    return Transformer.from_crs(src, dst, always_xy=True)


def transform(
    x: np.ndarray, y: np.ndarray, src: str, dst: str
) -> tuple[np.ndarray, np.ndarray]:
    """Transform coordinate arrays from ``src`` to ``dst`` (x = easting/longitude)."""
    tx, ty = _transformer(src, dst).transform(np.asarray(x, float), np.asarray(y, float))
    return np.asarray(tx), np.asarray(ty)


def to_metric(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return ``gdf`` in the analysis CRS (EPSG:9208, metres)."""
    if gdf.crs is None:
        raise ValueError("GeoDataFrame has no CRS: set it (usually EPSG:4326) before analysis.")
    return gdf.to_crs(METRIC_CRS)


@lru_cache(maxsize=1)
def _default_area() -> shapely.Geometry:
    from geo.layers import load_province_outline

    area = SETTINGS.study_area
    outline = load_province_outline()
    metric = _reproject(outline.geometry.union_all(), outline.crs.to_string(), METRIC_CRS)
    buffered = shapely.simplify(metric, area.import_margin_simplify_m).buffer(
        area.import_margin_m, quad_segs=4)
    return _reproject(buffered, METRIC_CRS, DISPLAY_CRS)


def _reproject(geometry: shapely.Geometry, src: str, dst: str) -> shapely.Geometry:
    """``geometry`` from ``src`` to ``dst`` with this module's (cached) transformers."""
    return shapely.transform(geometry, lambda xy: np.column_stack(
        transform(xy[:, 0], xy[:, 1], src, dst)))


def _lonlat_candidates(
    first: np.ndarray, second: np.ndarray
) -> list[tuple[str, str, bool, np.ndarray, np.ndarray]]:
    """Read the columns under every candidate CRS, as lon/lat arrays."""
    out = []
    with np.errstate(invalid="ignore"):
        for kind, crs, swapped in _CANDIDATES:
            x, y = (second, first) if swapped else (first, second)
            if crs == DISPLAY_CRS:
                lon, lat = x, y
            else:
                lon, lat = transform(x, y, crs, DISPLAY_CRS)
            out.append((kind, crs, swapped, lon, lat))
    return out


def detect_crs(
    first: np.ndarray | list[float],
    second: np.ndarray | list[float],
    *,
    area: shapely.Geometry | None = None,
) -> CrsGuess:
    """Recognise the coordinate system of two coordinate columns.

    Parameters
    ----------
    first, second:
        The two columns as given (for example "Kinh độ / Vĩ độ", "lon / lat", "X / Y").
    area:
        Lon/lat polygon the points are expected in; default: today's province plus the
        import margin (``SETTINGS.study_area.import_margin_m``).

    Each reading (WGS84, VN-2000 TM-3 104°45', VN-2000 UTM 48N, each straight or swapped)
    is scored by the share of finite points inside ``area``; the best wins. A metric reading
    within 5 % of another metric reading is flagged ambiguous, and TM-3 wins the tie since it
    is the provincial standard.
    """
    first = np.asarray(first, dtype=float)
    second = np.asarray(second, dtype=float)
    finite = np.isfinite(first) & np.isfinite(second)
    if not finite.any():
        return CrsGuess("unknown", None, False, 0.0)
    area = _default_area() if area is None else area
    shapely.prepare(area)
    scores = []
    for kind, crs, swapped, lon, lat in _lonlat_candidates(first[finite], second[finite]):
        ok = np.isfinite(lon) & np.isfinite(lat)
        inside = np.zeros_like(ok)
        inside[ok] = shapely.contains_xy(area, lon[ok], lat[ok])
        scores.append((float(inside.mean()), kind, crs, swapped))
    # Stable order keeps TM-3 ahead of UTM on equal scores.
    ranked = sorted(scores, key=lambda s: -s[0])
    best_share, kind, crs, swapped = ranked[0]
    if best_share == 0.0:
        return CrsGuess("unknown", None, False, 0.0)
    runner = next((r for r in ranked[1:] if r[2] != DISPLAY_CRS and r[1] != kind), None)
    ambiguous = bool(
        crs != DISPLAY_CRS and runner is not None and runner[0] >= best_share - 0.05
    )
    return CrsGuess(
        kind, crs, swapped, best_share, ambiguous, runner[1] if ambiguous and runner else None
    )


def to_lonlat(
    first: np.ndarray | list[float], second: np.ndarray | list[float], guess: CrsGuess
) -> tuple[np.ndarray, np.ndarray]:
    """Convert two coordinate columns to WGS84 lon/lat under ``guess``."""
    if guess.crs is None:
        raise ValueError("cannot convert coordinates of an unknown system")
    first = np.asarray(first, dtype=float)
    second = np.asarray(second, dtype=float)
    x, y = (second, first) if guess.swapped else (first, second)
    if guess.crs == DISPLAY_CRS:
        return x, y
    return transform(x, y, guess.crs, DISPLAY_CRS)


@dataclass(frozen=True)
class Reading:
    """Two typed numbers understood as WGS84 lon/lat: how they were read (a ``kind`` of
    :class:`CrsGuess`) and whether another reading fits almost as well."""

    lon: float
    lat: float
    kind: str
    ambiguous: bool = False


def read_coordinates(first: float, second: float) -> Reading | None:
    """Two typed numbers as lon/lat: WGS84 (either order) or VN-2000 metres (TM-3 104°45' or
    UTM 48N, X = northing or easting first), recognised by :func:`detect_crs`.

    Numbers that fit no reading inside the province but are a valid longitude and latitude
    are read as WGS84 (the site is then refused as outside the province, which says more
    than "not recognised"); anything else gives None.
    """
    guess = detect_crs([first], [second])
    if guess.kind == "unknown":
        if -180.0 <= first <= 180.0 and -90.0 <= second <= 90.0:
            return Reading(float(first), float(second), "wgs84")
        return None
    lon, lat = to_lonlat([first], [second], guess)
    return Reading(float(lon[0]), float(lat[0]), guess.kind, guess.ambiguous)
