"""Service level (outdoor, in car, indoor): ITU-R P.2109-1 building entry loss worked by hand,
places covered outdoors and not indoors on a synthetic world, the support points judged
indoors by default, the command line and the texts."""

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import rasterio
from shapely.geometry import LineString, Point

from analysis import __main__ as cli
from analysis import gaps as G
from analysis.briefing import service_summary, service_text
from analysis.coverage import compute_coverage
from analysis.entry_loss import building_entry_loss_db, service_loss_db
from analysis.selection import Selection
from geo.settings import SETTINGS
from i18n.labels import SERVICE_LEVELS
from i18n.translator import t
from tests.worlds import Grid

GRID = Grid(size=241)
N, CENTRE = GRID.size, GRID.centre
METRIC = SETTINGS.crs.metric


@pytest.mark.parametrize(("kind", "f_mhz", "p", "theta", "expected"), [
    # Traditional, 1.8 GHz, median (F⁻¹(0.5) = 0), horizontal: log f = 0.255273;
    # L_h = 12.64 + 3.72·0.255273 + 0.96·0.255273² = 13.6522 (eq. 3); A = L_h (eq. 2, 6);
    # B = 9.1 − 3.0·0.255273 = 8.3342 (eq. 5, 7);
    # L = 10 log10(10^1.36522 + 10^0.83342 + 10^−0.3) = 10 log10(30.500) = 14.843 dB.
    ("traditional", 1800.0, 0.5, 0.0, 14.843),
    # Traditional, 900 MHz, P = 90 % (F⁻¹ = 1.2815516): log f = −0.045757; L_h = 12.4718;
    # σ1 = 9.6 + 2.0·log f = 9.5085, A = 1.28155·9.5085 + 12.4718 = 24.6574;
    # σ2 = 4.5 − 2.0·log f = 4.5915, μ2 = 9.1 + 0.13727 = 9.2373, B = 15.1215;
    # L = 10 log10(292.3 + 32.5 + 0.5) = 25.122 dB.
    ("traditional", 900.0, 0.9, 0.0, 25.122),
    # Thermally efficient, 3.7 GHz, median, θ = 20°: log f = 0.568202;
    # L_h = 28.19 − 3.00·0.568202 + 8.48·0.568202² = 29.2232, L_e = 0.212·20 = 4.24,
    # A = 33.4632; B = 27.8 − 2.9·0.568202 = 26.1522; L = 34.204 dB.
    ("thermally_efficient", 3700.0, 0.5, 20.0, 34.204),
])
def test_building_entry_loss_matches_p2109_worked_by_hand(kind, f_mhz, p, theta, expected):
    loss = building_entry_loss_db(f_mhz, building_type=kind, probability=p,
                                  elevation_deg=theta)
    assert loss == pytest.approx(expected, abs=0.002)


def test_service_margins_per_level_and_band():
    assert service_loss_db("outdoor", "4G") == 0.0
    assert service_loss_db("incar", "4G") == SETTINGS.service.incar_loss_db == 9.0
    # Indoors at each technology's default band (traditional, median, horizontal).
    assert {tech: service_loss_db("indoor", tech) for tech in ("2G", "3G", "4G", "5G")} == {
        "2G": 14.2, "3G": 15.0, "4G": 14.8, "5G": 15.8}
    assert Selection(service="indoor").threshold == pytest.approx(-110.0 + 14.8)
    assert Selection("3G", threshold_dbm=-95.0, service="incar").threshold == -86.0
    assert Selection(service="indoor").thresholds == ()  # one coverage grid for every level
    with pytest.raises(ValueError, match="service level"):
        Selection(service="underground")


def _world():
    dem = GRID.dem(np.zeros((N, N)))
    sites = pd.DataFrame([GRID.site(CENTRE, CENTRE, site_id="S1")])
    result = compute_coverage(sites, dem)
    routes = gpd.GeoDataFrame(geometry=[LineString([GRID.xy(0, 0), GRID.xy(0, 10)])],
                              crs=METRIC)
    nodes = gpd.GeoDataFrame(geometry=[Point(GRID.xy(0, 0))], crs=METRIC)
    return dem, sites, result, routes, nodes


def test_a_place_covered_outdoors_and_not_indoors():
    dem, sites, result, routes, nodes = _world()
    best = result.layers[("Viettel", "4G")].best_dbm[CENTRE]
    outdoor, indoor = Selection().threshold, Selection(service="indoor").threshold
    # East of the site, the first cell where the flat-ground signal is between the indoor and
    # the outdoor threshold (below the indoor one, above the outdoor one).
    col = CENTRE + int(np.argmax(best[CENTRE:] < indoor))
    assert outdoor <= best[col] < indoor
    places = GRID.places({"between": (CENTRE, col), "near": (CENTRE, CENTRE + 3)})
    args = (places, result, sites, dem, routes, nodes)
    out = G.assess_places(*args, Selection()).table
    ins = G.assess_places(*args, Selection(service="indoor")).table
    car = G.assess_places(*args, Selection(service="incar")).table
    assert list(out["reason"]) == ["", ""] and out.loc[0, "best_technology"] == "4G"
    assert list(ins["reason"]) == ["weak_signal", ""]
    assert ins.loc[0, "best_technology"] == "none"  # every technology judged indoors
    assert car.loc[0, "reason"] == ("" if best[col] >= outdoor + 9.0 else "weak_signal")
    # The covered area shrinks by the margin: fewer cells indoors, all of them covered outdoors.
    mask_out = G.covered_mask(result, "4G", None, outdoor)
    mask_in = G.covered_mask(result, "4G", None, indoor)
    assert mask_in.sum() < mask_out.sum() and not (mask_in & ~mask_out).any()


@pytest.fixture
def _cache(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("LAOCAI_CACHE", str(tmp_path_factory.getbasetemp() / "cache"))


def test_support_points_judged_indoors_by_default(_cache, tmp_path):
    """On the bundled data: the points' assessment is indoors, the villages' outdoors; the
    CLI's --point-service outdoor judges the points as the villages."""
    from analysis.inputs import load_inputs
    from analysis.pipeline import analyse
    from geo.export import read_export

    assert Selection().at_points().service == "indoor" and Selection().service == "outdoor"
    result = analyse(load_inputs(SETTINGS.paths.sample), Selection())
    assert result.points.selection.service == "indoor"
    assert result.villages.selection.service == "outdoor"
    signal = result.points.table["best_signal_dbm"]
    indoor = Selection().at_points().threshold
    assert ((signal >= indoor) == (result.points.table["reason"] == "")).all()
    outs = {}
    for level in ("indoor", "outdoor"):
        out = tmp_path / f"gaps_{level}.geojson"
        assert cli.main(["gaps", "--data", str(SETTINGS.paths.sample), "--point-service", level,
                         "--out", str(out)]) == 0
        outs[level] = read_export(out)["support_points"]
    assert len(outs["indoor"]) > len(outs["outdoor"])  # more halls in a gap indoors
    assert set(outs["outdoor"]["name"]) <= set(outs["indoor"]["name"])


def test_coverage_cli_service_flag_and_tags(tmp_path, capsys):
    sites = tmp_path / "sites.csv"
    pd.DataFrame([{"operator": "Viettel", "technology": "4G", "band_mhz": 1800.0,
                   "lon": 104.0155, "lat": 22.5005, "height_m": 30.0,
                   "eirp_dbm": 60.0}]).to_csv(sites, index=False)
    served = {}
    for level in ("outdoor", "indoor"):
        out = tmp_path / level
        assert cli.main(["coverage", "--sites", str(sites), "--service", level,
                         "--out", str(out)]) == 0
        with rasterio.open(out / "servers.tif") as src:
            tags = src.tags()
            served[level] = int((src.read(1) > 0).sum())
        assert tags["service"] == level
        assert float(tags["service_loss_db"]) == service_loss_db(level, "4G")
        assert ("P.2109" in tags["service_model"]) == (level == "indoor")
    assert 0 < served["indoor"] < served["outdoor"]
    assert "indoor: 14.8 dB building entry loss" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        cli.build_parser().parse_args(["coverage", "--sites", "s", "--out", "o",
                                       "--service", "cellar"])


def test_service_texts_in_both_languages():
    for level, label in SERVICE_LEVELS.items():
        assert level in SETTINGS.service.levels
        assert t("vi", label) != label
        assert service_text(level, "4G", "en") != service_text(level, "4G", "vi")
    vi = service_summary(Selection(), "vi")
    assert "14,8 dB" in vi and "ITU-R P.2109-1" in vi and "Điểm hỗ trợ" in vi
    assert "judged indoors by default" in service_summary(Selection(), "en")


def test_what_if_judges_a_hall_indoors_and_a_village_outdoors():
    """A proposed site reaches a support point and a village in the same cell with a signal
    between the outdoor and the indoor threshold: the village is newly covered, the hall not
    (planning's targets carry their own threshold)."""
    from analysis import planning as P
    from tests.analysis.test_planning import GRID as PGRID
    from tests.analysis.test_planning import _world as planning_world

    size = PGRID.size
    site = dict(height_m=30.0, eirp_dbm=60.0, band_mhz=1800.0)
    alone = compute_coverage(pd.DataFrame([PGRID.site(80, 80, height=30.0)]),
                             PGRID.dem(np.zeros((size, size))))
    best = alone.layers[("Viettel", "4G")].best_dbm[80]
    outdoor, indoor = Selection().threshold, Selection(service="indoor").threshold
    col = 80 + int(np.argmax(best[80:] < indoor))
    assert outdoor <= best[col] < indoor
    # Far from the world's existing site at (80, 20): both places start without service.
    world = planning_world(np.zeros((size, size)), [(20, col + 40)], point_cells=[(20, col + 40)])
    whatif = P.WhatIf(world)
    assert whatif.totals().points == (0, 0, 1) and whatif.totals().villages == (0, 0, 1)
    whatif.add({**site, **dict(zip(("lon", "lat"), PGRID.lonlat(20, 120), strict=True))})
    assert whatif.totals().villages == (0, 1, 1)
    assert whatif.totals().points == (0, 0, 1)
    frame = P.places(world)
    assert list(frame["threshold_dbm"]) == [indoor, outdoor]  # the point first, then the village


def test_switch_off_loss_judged_at_the_service_level():
    """A place with 4G only indoors-weak: outdoors it keeps 4G after the 2G/3G switch-off;
    at the indoor thresholds its 4G does not count, so it loses everything it had (3G)."""
    dem = GRID.dem(np.zeros((N, N)))
    sites = pd.DataFrame([GRID.site(CENTRE, CENTRE, site_id="S4"),
                          GRID.site(CENTRE, CENTRE, site_id="S3", tech="3G", band=2100.0,
                                    eirp=75.0)])
    result = compute_coverage(sites, dem)
    best4 = result.layers[("Viettel", "4G")].best_dbm[CENTRE]
    best3 = result.layers[("Viettel", "3G")].best_dbm[CENTRE]
    sel = Selection(service="indoor")
    covered = sel.covered_thresholds()
    ok = ((best4 >= Selection().threshold) & (best4 < covered["4G"])
          & (best3 >= covered["3G"]))
    col = int(np.flatnonzero(ok)[0])
    places = GRID.places({"p": (CENTRE, col)})
    outdoors = G.lose_all_service(result, places, technologies_off=("2G", "3G"),
                                  covered_dbm=Selection().covered_thresholds())
    indoors = G.lose_all_service(result, places, technologies_off=("2G", "3G"),
                                 covered_dbm=covered)
    assert outdoors.empty
    assert list(indoors["had"]) == ["3G"]
