"""The invisible search index of the map's search box."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import shapely

from geo.settings import SETTINGS
from i18n.translator import N_
from ui.map.spec import LayerSpec, column, escape, geojson_spec, t_html


def search_spec(communes: gpd.GeoDataFrame | None, points: gpd.GeoDataFrame | None,
                lang: str) -> LayerSpec:
    """Invisible points the search box looks through: each commune (at its administrative
    centre, else inside it) and each support point, labelled "name (kind)"."""
    frames = []
    if communes is not None and len(communes):
        c = communes.to_crs(SETTINGS.crs.display)
        if {"centre_lon", "centre_lat"} <= set(c.columns):
            lon = pd.to_numeric(c["centre_lon"], errors="coerce")
            lat = pd.to_numeric(c["centre_lat"], errors="coerce")
            inside = c.geometry.representative_point()
            geom = [shapely.Point(x, y) if pd.notna(x) and pd.notna(y) else p
                    for x, y, p in zip(lon, lat, inside, strict=True)]
        else:
            geom = list(c.geometry.representative_point())
        names = [escape(f) or escape(n) for f, n in
                 zip(column(c, "full_name"), column(c, "name"), strict=True)]
        frames.append(gpd.GeoDataFrame(
            {"q": [f"{n} ({t_html(N_('commune'), lang)})" for n in names]},
            geometry=geom, crs=SETTINGS.crs.display))
    if points is not None and len(points):
        p = points.to_crs(SETTINGS.crs.display)
        frames.append(gpd.GeoDataFrame(
            {"q": [f"{escape(n)} ({t_html(N_('support point'), lang)})" for n in p["name"]]},
            geometry=list(p.geometry), crs=SETTINGS.crs.display))
    if not frames:
        return LayerSpec("search", "")
    gdf = gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), geometry="geometry",
                           crs=SETTINGS.crs.display)
    style = {"radius": 1, "opacity": 0, "fillOpacity": 0}
    return geojson_spec("search", "", gdf, {"q": list(gdf["q"])}, styles=[style], interactive=False)
