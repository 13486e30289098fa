"""The field-measurement map layers (pure builders): measured points coloured by signal
class, and the hexagons of measured against predicted signal."""

import json

import geopandas as gpd
import numpy as np
import pandas as pd

from ui.map.layers import disagreement_spec, measurements_spec
from ui.map.layers.measurements import residual_class
from ui.map.registry import layer
from ui.map.style import MEASURED_CLASS_COLOURS, RESIDUAL_COLOURS


def _compared(n: int = 4) -> tuple[pd.DataFrame, gpd.GeoDataFrame]:
    signal = np.array([-80.0, -105.0, -118.0, np.nan])[:n]
    frame = pd.DataFrame({
        "operator": ["<b>Viettel</b>", "MobiFone", "MobiFone", "VinaPhone"][:n],
        "technology": ["4G"] * n, "signal_dbm": signal,
        "predicted_dbm": signal - 3.0, "residual_db": [3.0] * n,
        "time": ["2025-06-30T01:15:00Z"] * n, "source": ["imported"] * n})
    points = gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(
        np.linspace(103.9, 104.1, n), np.full(n, 22.4)), crs="EPSG:4326")
    return frame, points


def test_points_are_coloured_by_signal_class_and_escaped():
    frame, points = _compared()
    spec = measurements_spec(frame, points, "vi", covered_dbm=-110.0, good_dbm=-100.0,
                             total=4)
    data = json.loads(spec.data)
    styles = json.loads(spec.options)["styles"]
    colours = [styles[f["properties"].get("_s", 0)]["fillColor"] for f in data["features"]]
    assert colours == [MEASURED_CLASS_COLOURS[c] for c in ("good", "usable", "weak", "none")]
    first = data["features"][0]["properties"]
    assert first["f0"] == "&lt;b&gt;Viettel&lt;/b&gt;"  # escaped for Leaflet's HTML
    assert (first["f2"], first["f3"]) == ("-80,0", "-83,0")  # Vietnamese decimal comma
    assert spec.name == "Số liệu đo kiểm thực địa"


def test_a_capped_layer_says_how_many_it_draws():
    frame, points = _compared(2)
    spec = measurements_spec(frame, points, "en", covered_dbm=-110.0, good_dbm=-100.0,
                             total=12_345)
    assert spec.name == "Field measurements (2 of 12,345 drawn)"


def test_the_registry_offers_both_layers_not_shown_until_asked():
    assert layer("measurements").shown is False and layer("measurements").toggle
    assert layer("disagreement").shown and layer("disagreement").toggle


def test_residual_classes_are_symmetric_around_agreement():
    classes = residual_class(np.array([-20.0, -7.0, -3.0, 0.0, 3.0, 7.0, 20.0]))
    assert classes.tolist() == list(range(len(RESIDUAL_COLOURS)))


def _hexes() -> gpd.GeoDataFrame:
    from shapely.geometry import box

    return gpd.GeoDataFrame({
        "h3": ["88a", "88b", "88c"], "operator": ["Viettel", "Viettel", "<i>x</i>"],
        "technology": ["4G"] * 3, "count": [12, 7, 30],
        "measured_mean_dbm": [-118.0, -95.0, -100.0],
        "predicted_mean_dbm": [-100.0, -112.0, -100.5],
        "mean_residual_db": [-18.0, 17.0, 0.5],
        "flag": ["measured_no_service", "measured_service", ""]},
        geometry=[box(104.0, 22.0, 104.01, 22.01), box(104.02, 22.0, 104.03, 22.01),
                  box(104.04, 22.0, 104.05, 22.01)], crs="EPSG:4326")


def test_hexagons_are_filled_by_residual_and_outlined_by_verdict():
    spec = disagreement_spec(_hexes(), "vi")
    data = json.loads(spec.data)
    styles = json.loads(spec.options)["styles"]
    got = [styles[f["properties"].get("_s", 0)] for f in data["features"]]
    assert [s["fillColor"] for s in got] == [RESIDUAL_COLOURS[0], RESIDUAL_COLOURS[-1],
                                             RESIDUAL_COLOURS[3]]
    assert got[0]["weight"] > got[2]["weight"] and got[1]["weight"] > got[2]["weight"]
    assert got[0]["color"] != got[1]["color"]
    verdicts = [f["properties"]["f6"] for f in data["features"]]
    assert verdicts[0].startswith("Đo kiểm: không có sóng") and verdicts[2] != verdicts[0]
    assert data["features"][2]["properties"]["f0"] == "&lt;i&gt;x&lt;/i&gt;"
