"""Read every layer the map shows, without Streamlit, reporting (not raising) unreadable ones.

The app wraps :func:`load_map_layers` in ``st.cache_resource`` keyed by :func:`source_paths`
and :func:`file_stamps`, so the files are read once and re-read only when one changes.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd

from geo.errors import DataError
from geo.layers import (
    SAMPLE_FILES,
    load_communes_2025,
    load_layer,
    load_old_province_outline,
    load_osm_masts,
)
from geo.settings import SETTINGS

# Map key → data layer name of geo.layers (the map shows these five data layers).
DATA_LAYER_KEYS: tuple[str, ...] = ("points", "sites", "villages", "fibre_routes", "fibre_nodes")


def source_paths(sample_dir: str | Path | None = None) -> dict[str, Path]:
    """The file behind each map layer (data layers from ``sample_dir``, default data/sample)."""
    sample = Path(sample_dir) if sample_dir is not None else SETTINGS.paths.sample
    paths = {
        "communes": SETTINGS.paths.boundaries / "communes_2025.geojson",
        "old_province": SETTINGS.paths.boundaries / "old_laocai.geojson",
        "osm_masts": SETTINGS.paths.reference / "osm_masts.geojson",
    }
    paths.update({key: sample / SAMPLE_FILES[key] for key in DATA_LAYER_KEYS})
    return paths


def file_stamps(paths: dict[str, Path]) -> tuple[tuple[str, str, float], ...]:
    """Hashable (key, path, modification time) per file; 0.0 when a file is missing."""
    stamps = []
    for key, path in sorted(paths.items()):
        try:
            mtime = path.stat().st_mtime
        except OSError:
            mtime = 0.0
        stamps.append((key, str(path), mtime))
    return tuple(stamps)


def load_map_layers(
    sample_dir: str | Path | None = None,
) -> tuple[dict[str, gpd.GeoDataFrame], dict[str, str]]:
    """Load the boundaries, the OSM masts and the five data layers.

    Returns ``(layers, problems)``: ``layers`` maps a map key to its GeoDataFrame (WGS84);
    ``problems`` maps the key of each layer that could not be read to the reason (missing
    file, schema error...), so the page can say so and still show the rest.
    """
    paths = source_paths(sample_dir)
    layers: dict[str, gpd.GeoDataFrame] = {}
    problems: dict[str, str] = {}
    readers = {
        "communes": load_communes_2025,
        "old_province": load_old_province_outline,
        "osm_masts": load_osm_masts,
    }
    for key, reader in readers.items():
        try:
            layers[key] = reader()
        except Exception as exc:  # a broken bundled file must not take the page down
            problems[key] = str(exc)
    for key in DATA_LAYER_KEYS:
        try:
            layers[key] = load_layer(key, paths[key])
        except (DataError, OSError, ValueError) as exc:
            problems[key] = str(exc)
    return layers, problems
