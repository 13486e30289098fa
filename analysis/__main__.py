"""Command line of the analysis core.

    python -m analysis coverage --sites SITES.csv [--area province|laocai|yenbai]
        [--dem DEM.tif] [--landcover LC.tif]
        [--resolution 30|90] [--operator NAME] [--technology 4G]
        [--service outdoor|incar|indoor] [--los-only] --out DIR
    python -m analysis gaps [--area KEY] [--data DIR] [--dem DEM.tif] [--resolution 30|90]
        [--operator NAME ...] [--technology 4G] [--threshold -110] --out gaps.geojson
    python -m analysis indicators [--data DIR] [--dem DEM.tif] [--technology 4G] [--json]
    python -m analysis brief [--lang vi|en] [--scenario NAME] --out brief.pdf
    python -m analysis plan --k 10 [--operator NAME ...] [--technology 4G] [--spacing M]
        [--near fibre|sites] [--site-operator NAME] [--sites-csv SITES.csv] --out plan.geojson
    python -m analysis calibrate --measurements FILE.gpkg|.geojson|.csv [--slope] [--json]
        [--by-landcover] [--save NAME] [--workspace WS.gpkg] [--area KEY] [--data DIR]
        [--dem DEM.tif] [--landcover LC.tif] [--hexagons OUT.geojson]
    python -m analysis costs [--budget TỶ] [--years N] [--discount R] [--costs FILE.toml]
        [--k K] [analysis options] --out FILE.geojson|.gpkg|.csv|.kml

``coverage`` writes GeoTIFFs on the DEM's metric grid (EPSG:9208): ``best_signal_dbm.tif``
(float32, nodata −9999), ``servers.tif`` (uint16, sites at or above the covered threshold),
``serving_site.tif`` (int32 row index into SITES.csv, −1 none), or with ``--los-only``
``los_count.tif`` (uint16, sites that see the cell); each is tagged with the diffraction model
(``diffraction_model``), its terrain and
land-cover sources (``terrain``, ``landcover``: "none" without, then no clutter loss), their
warnings (``warning``, ``landcover_warning``) and the service level (``service``,
``service_loss_db``, ``service_model``), whose margin raises the covered threshold of
``servers.tif`` and of the printed share. ``--landcover`` (an ESA WorldCover tile or a GeoTIFF
of its classes) subtracts the clutter loss at the receiver (ITU-R P.2108,
:mod:`analysis.clutter`). ``--service`` (default outdoor) on ``gaps``, ``indicators``,
``plan`` and ``brief`` is the level of the map, the areas and the villages;
``--point-service`` (default indoor: commune halls, cultural houses) that of the support
points. ``gaps`` writes the support points and villages in a gap (mobile or fibre) and the gap
areas; the format follows the extension (.geojson, .gpkg, .csv, .kml). ``indicators`` prints
the headline figures. ``plan`` chooses
K new sites that newly cover the most support points, villages and people (greedy, with its
proven upper bound) and writes them with the places they cover. Exit code 0 on success, 2 on
bad input with a one-line reason on stderr. ``brief`` writes the leadership briefing as PDF
(A4) and HTML (same name, .html), optionally with a saved scenario's before / after.
``--area`` chooses the study area (``SETTINGS.study_area.areas``: today's whole province,
or the units formed from old Lào Cai or old Yên Bái): its communes, outline and terrain grid.
``--lang vi|en`` on every command says the errors in that language: English by default,
Vietnamese for ``brief`` (whose document it also chooses).

``costs`` costs every connection option of every support point and village
(:mod:`analysis.costs`: already served, a new BTS of the optimiser's K, a fibre extension, a
microwave link, satellite) and writes each place with its cheapest feasible option, its net
present cost (VND), the runner-up and the reasons the others are not feasible (layer
``places``; the planned sites in ``new_bts``); with ``--budget`` (tỷ đồng, NPC) also the plan
within it (``in_budget_plan``, ``budget_option``) and its totals with the bound on what any
plan could reach. ``--costs`` reads unit-cost overrides from a TOML file.

``calibrate`` compares drive-test measurements (the canonical measurements columns:
``measurement_id, time, operator, technology, signal_dbm, cell_id, track, source``; GeoJSON
or GeoPackage points, or CSV with WGS84 ``lon``/``lat``) with the coverage of every operator
× technology of the inputs (:mod:`analysis.calibration`) and prints, per operator ×
technology, the count, the fitted offset (and with ``--slope`` the slope, dB per decade of
distance to the serving site; with ``--by-landcover`` an offset per land-cover class too),
the RMS error before and after (dB) and the k-fold
cross-validated RMS; ``--json`` prints the calibration document (``format, name, created,
measurements_version, measurements_sha256, slope, by_landcover, n, rms_before_db, rms_after_db,
rms_cv_db, std_after_db, rating, calibrated, uncalibrated, groups`` — each group
``operator, technology, n, offset_db, slope_db_per_decade, rms_before_db, rms_after_db,
rms_cv_db, std_after_db, calibrated, note, landcover_offsets_db`` — and ``residuals``, the rows of
:func:`analysis.calibration.residual_table`). ``--save NAME`` keeps it in the workspace;
``--apply NAME`` on ``coverage``, ``gaps`` and ``indicators`` uses the coverage with that
saved calibration applied (not on ``plan`` and ``brief``; ignored with ``--los-only``). On
``coverage`` the grid is across the chosen operators: each cell takes the correction of its
serving site's operator, and the server stays the one chosen before calibration (the grid
keeps no other operator's signal).

``calibrate --hexagons OUT`` writes the measurements binned in H3 hexagons per operator ×
technology against the uncalibrated model (:func:`analysis.disagreement.hexagons`, WGS84
polygons; the format follows the extension), or, with ``--hexagons-calibrated``, against the
model with the calibration just fitted applied (what the model in use still gets wrong: a
uniform offset is absorbed, local disagreements remain), and ``--json`` adds ``hexagons``:
``count``, ``measured_no_service``, ``measured_service`` (flagged hexagons), ``resolution``,
``by_group`` and ``model`` (``uncalibrated`` or ``calibrated``). ``--measurements FILE`` on
``gaps``, ``indicators`` and ``brief`` compares the measurements with the coverage in use (after
``--apply``) and judges the support points and villages by them where they settle a verdict
(:mod:`analysis.status`): the exports then carry ``measured`` and ``verdict_source``, the
figures count the measured verdicts, the briefing adds its validation section; a line on stderr
says how many places the measurements decided.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import rasterio

from analysis.clutter import LANDCOVER_NOT_LOADED_WARNING
from analysis.coverage import compute_coverage
from analysis.entry_loss import service_model
from analysis.inputs import load_inputs, study_dem
from analysis.model_card import coverage_model
from analysis.selection import Selection
from geo.dem import TERRAIN_NOT_LOADED_WARNING, Dem
from geo.errors import AppError, DataError
from geo.landcover import read_landcover
from geo.settings import SETTINGS
from i18n import format_float, format_int
from i18n.indicators import indicator_texts
from i18n.messages import cli_error


def _write(path: Path, array: np.ndarray, dem: Dem, nodata: float | int | None,
           tags: dict[str, str] | None = None, landcover: str = "") -> None:
    """Write one band on the DEM grid, tagged with the terrain and land-cover sources (or
    their absence) and ``tags`` (the service level in use)."""
    profile = {
        "driver": "GTiff", "height": array.shape[0], "width": array.shape[1], "count": 1,
        "dtype": array.dtype.name, "crs": dem.crs, "transform": dem.transform,
        "compress": "deflate", "tiled": True, "nodata": nodata,
    }
    with rasterio.open(path, "w", **profile) as dst:
        dst.write(array, 1)
        dst.update_tags(terrain=dem.source or "flat",
                        warning="" if dem.terrain_loaded else TERRAIN_NOT_LOADED_WARNING,
                        **coverage_model(terrain_loaded=dem.terrain_loaded,
                                         landcover_source=landcover).tags(),
                        **(tags or {}))


def _read_sites(path: Path) -> pd.DataFrame:
    if not path.exists():
        raise DataError("file not found.", source=path)
    return pd.read_csv(path, encoding="utf-8-sig")


def coverage_command(args: argparse.Namespace) -> int:
    start = time.perf_counter()
    sites = _read_sites(args.sites)
    dem = study_dem(args.resolution, [args.dem] if args.dem else [], args.area)
    landcover = read_landcover(args.landcover, dem) if args.landcover else None
    lc = {"landcover": None if landcover is None else landcover.classes,
          "landcover_source": "" if landcover is None else landcover.source}
    operators = [args.operator] if args.operator else None
    if operators and not sites["operator"].isin(operators).any():
        raise DataError(f"no site of operator {args.operator!r}.", source=args.sites,
                        fix=f"operators in the file: {', '.join(sorted(set(sites.operator)))}.")
    level = Selection(technology=args.technology, service=args.service)
    tags = {"service": level.service, "service_loss_db": f"{level.margin_db:g}",
            "service_model": service_model(level.service, level.technology)}
    result = compute_coverage(sites, dem, by_operator=False, operators=operators,
                              technologies=[args.technology], los_only=args.los_only,
                              thresholds={level.technology: level.threshold},
                              source=str(args.sites), **lc)
    if args.apply and not args.los_only:
        before = len(result.warnings)
        result = _calibrated(args, result, sites, lc["landcover"])
        for warning in result.warnings[before:]:
            print(warning, file=sys.stderr)
    args.out.mkdir(parents=True, exist_ok=True)
    if args.los_only:  # no clutter in line of sight
        _write(args.out / "los_count.tif", result.los_count, dem, None, tags)
    else:
        key = next(iter(result.layers), None)
        if key is None:
            raise DataError(f"no {args.technology} site to compute.", source=args.sites)
        layer = result.layers[key]
        best = np.where(np.isfinite(layer.best_dbm), layer.best_dbm,
                        SETTINGS.coverage.nodata_dbm).astype(np.float32)
        source = result.landcover
        _write(args.out / "best_signal_dbm.tif", best, dem, SETTINGS.coverage.nodata_dbm,
               tags, source)
        _write(args.out / "servers.tif", layer.servers.astype(np.uint16), dem, None, tags,
               source)
        _write(args.out / "serving_site.tif", layer.serving.astype(np.int32), dem, -1, tags,
               source)
        covered = layer.covered.mean()
        print(f"{args.technology}: {covered:.1%} of the grid at or above "
              f"{layer.threshold_dbm:g} dBm ({tags['service_model']})")
    if not dem.terrain_loaded:
        print(TERRAIN_NOT_LOADED_WARNING, file=sys.stderr)
    if landcover is None and not args.los_only:
        print(LANDCOVER_NOT_LOADED_WARNING, file=sys.stderr)
    print(f"wrote {args.out} in {time.perf_counter() - start:.1f} s")
    return 0


def _calibrated(args: argparse.Namespace, coverage, sites: pd.DataFrame,
                landcover: np.ndarray | None):
    """``coverage`` with the calibration saved as ``args.apply`` applied."""
    from analysis.calibration import Calibration
    from geo.workspace import Workspace

    calibration = Calibration.load_from(Workspace(args.workspace).calibrations, args.apply)
    _step(f"applying calibration {calibration.name!r}: {calibration.describe()}")
    args.calibration = calibration  # for the briefing's validation section
    return calibration.apply(coverage, sites, landcover)


def _step(message: str) -> None:
    print(f"… {message}", file=sys.stderr, flush=True)


def _analysis(args: argparse.Namespace):
    from analysis.pipeline import analyse

    _step("loading layers and terrain")
    inputs = load_inputs(args.data, dem_path=args.dem, resolution_m=args.resolution,
                         area=args.area)
    selection = Selection(technology=args.technology,
                          operators=tuple(args.operator) if args.operator else None,
                          threshold_dbm=getattr(args, "threshold", None),
                          service=args.service, point_service=args.point_service)
    _step(f"coverage of {len(inputs.sites)} BTS records at {args.resolution} m "
          "(cached after the first run)")
    coverage = None
    if getattr(args, "apply", None):
        from analysis.inputs import coverage_for, sites_table

        overrides = ({selection.technology: selection.threshold_dbm}
                     if selection.threshold_dbm is not None else None)
        classes = inputs.landcover.classes if inputs.landcover is not None else None
        coverage = _calibrated(args, coverage_for(inputs, thresholds=overrides),
                               sites_table(inputs.sites), classes)
    measurements = None
    if getattr(args, "measurements", None):
        from analysis.calibration import read_measurements

        measurements = read_measurements(args.measurements)
        _step(f"comparing {len(measurements):,} measurements with the predictions")
    result = analyse(inputs, selection, coverage=coverage, measurements=measurements,
                     calibration=getattr(args, "calibration", None))
    for warning in result.warnings:
        print(warning, file=sys.stderr)
    if measurements is not None:
        print(_measured_line(result), file=sys.stderr)
    return result


def _measured_line(result) -> str:
    """How many places the measurements decided, and how many verdicts they changed."""
    from analysis import status
    from analysis.disagreement import changed

    parts = []
    for name, assessment in (("support points", result.points),
                             ("villages", result.villages)):
        table = assessment.table
        decided = int((status.verdict_source(table) == status.SOURCE_MEASURED).sum())
        moved = changed(table)["change"].value_counts()
        parts.append(f"{decided} {name} (model covered, measured no service: "
                     f"{int(moved.get('lost', 0))}; the reverse: {int(moved.get('gained', 0))})")
    return ("measured verdicts from " + f"{len(result.measurements):,} measurements: "
            + "; ".join(parts))


def gaps_command(args: argparse.Namespace) -> int:
    from analysis.pipeline import export_frames
    from geo.export import write_export

    if args.out.suffix.lower() not in (".geojson", ".json", ".gpkg", ".csv", ".kml"):
        raise DataError(f"unsupported output format '{args.out.suffix}'.", source=args.out,
                        fix="use .geojson, .gpkg, .csv or .kml.")
    result = _analysis(args)
    frames = export_frames(result)
    _step(f"writing {args.out}")
    write_export(frames, args.out)
    counts = ", ".join(f"{len(frame)} {name}" for name, frame in frames.items())
    print(f"wrote {args.out}: {counts}")
    return 0


def indicators_command(args: argparse.Namespace) -> int:
    result = _analysis(args)
    if args.json:
        print(json.dumps([i.as_dict() for i in result.indicators], ensure_ascii=False,
                         indent=1))
        return 0
    if args.lang != "en":  # the dashboard's texts
        tech = result.selection.technology
        for i in result.indicators:
            texts = indicator_texts(i, args.lang, tech)
            note = f"   {texts.published_note}" if texts.published_note else ""
            print(f"{texts.label}: {texts.value}{note}")
        return 0
    for i in result.indicators:
        value = ("—" if i.value != i.value  # nothing to count in this area
                 else f"{format_float(i.value, 'en', 1)} %" if i.unit == "%"
                 else format_int(i.value, "en"))
        share = (f" ({format_int(i.numerator, 'en')} / {format_int(i.denominator, 'en')} "
                 f"{i.denominator_label})" if i.denominator else f" {i.denominator_label}")
        published = f"   published: {i.published}" if i.published else ""
        print(f"{i.label}: {value}{share}{published}")
    if result.inputs.illustrative:
        print("illustrative layers: " + ", ".join(result.inputs.illustrative))
    return 0


def plan_command(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from analysis.planning import plan
    from analysis.scenarios import Scenario
    from geo.export import write_export

    result = _analysis(args)
    _step(f"evaluating candidate sites every {args.spacing:g} m in the gaps")
    with tqdm(total=100, unit="%", file=sys.stderr, leave=False) as bar:
        def progress(done: float) -> None:
            bar.update(round(100 * done) - bar.n)

        chosen = plan(result, args.k, operator=args.site_operator, spacing_m=args.spacing,
                      near=args.near, progress=progress)
    for message in chosen.result.messages:
        print(message.message, file=sys.stderr)
    sites = chosen.sites_frame()
    covered = chosen.covered_frame()
    newly = gpd.GeoDataFrame(covered, geometry=gpd.points_from_xy(
        *_covered_xy(chosen, covered)), crs=SETTINGS.crs.metric)
    write_export({"proposed_sites": sites.assign(kind="proposed_site"),
                  "newly_covered": newly}, args.out)
    if args.sites_csv:
        args.sites_csv.write_bytes(Scenario("plan", sites).sites_csv())
    bound = chosen.result.upper_bound
    share = chosen.result.total / bound if bound else 1.0
    print(f"{len(sites)} sites from {chosen.candidates} candidates: weighted gain "
          f"{chosen.result.total:.1f} (proven ≥ {share:.0%} of the best possible, bound "
          f"{bound:.1f}); {int(sites['points_added'].sum())} support points, "
          f"{int(sites['villages_added'].sum())} villages, "
          f"{int(sites['people_added'].sum())} people newly covered")
    print(f"wrote {args.out}")
    return 0


def costs_command(args: argparse.Namespace) -> int:
    from analysis.costs import cost_options, load_costs, plan_budget
    from analysis.costs.npc import TY
    from analysis.costs.options import option_lines
    from geo.export import write_export

    if args.out.suffix.lower() not in (".geojson", ".json", ".gpkg", ".csv", ".kml"):
        raise DataError(f"unsupported output format '{args.out.suffix}'.", source=args.out,
                        fix="use .geojson, .gpkg, .csv or .kml.")
    costs = load_costs(args.costs) if args.costs else SETTINGS.costs
    result = _analysis(args)
    _step("costing the connection options of every support point and village")
    table = cost_options(result, costs=costs, years=args.years, discount_rate=args.discount,
                         k=args.k)
    choices = table.choices()
    frame = table.places.drop(columns=["x", "y", "threshold_dbm", "weight"]).join(choices)
    frame["npc_ty"] = (frame["npc_vnd"] / TY).round(4)
    plan = None
    if args.budget is not None:
        plan = plan_budget(table, args.budget)
        frame["in_budget_plan"] = plan.place_option != ""
        frame["budget_option"] = plan.place_option
    places = gpd.GeoDataFrame(frame, geometry=option_lines(table, frame["chosen"]).values,
                              crs=SETTINGS.crs.metric)
    bts = table.bts.assign(places_served=table.bts["places"].map(len)).drop(columns="places")
    new_bts = gpd.GeoDataFrame(bts.drop(columns=["x", "y"]), geometry=gpd.points_from_xy(
        bts["x"], bts["y"]), crs=SETTINGS.crs.metric)
    _step(f"writing {args.out}")
    write_export({"places": places, "new_bts": new_bts.assign(kind="new_bts")}, args.out)
    counts = frame["chosen"].value_counts()
    print(f"{len(frame)} places over {table.years} years at {table.discount_rate:.1%}: "
          + ", ".join(f"{n} {option}" for option, n in counts.items()))
    todo = frame[~frame["served_before"]]
    print(f"closing every gap at its cheapest option: {todo['npc_vnd'].sum() / TY:,.2f} tỷ "
          f"(NPC; new BTS counted by their shares)")
    if plan is not None:
        print(plan.summary())
    print(f"wrote {args.out}")
    return 0


def brief_command(args: argparse.Namespace) -> int:
    import report
    from analysis.pipeline import analyse, with_sites
    from analysis.scenarios import Scenario
    from geo.workspace import Workspace

    result = _analysis(args)
    scenario = None
    if args.scenario:
        saved = Scenario.load_from(Workspace(args.workspace).scenarios, args.scenario)
        _step(f"coverage with the {len(saved.sites)} sites of scenario {saved.name!r}")
        after = analyse(with_sites(result.inputs, saved.sites), result.selection)
        scenario = (saved.name, saved.sites, after)
    _step("rendering the briefing")
    pdf, page = report.write(result, args.out, lang=args.lang, scenario=scenario)
    print(f"wrote {pdf} and {page}")
    return 0


def calibrate_command(args: argparse.Namespace) -> int:
    from analysis import calibration as C
    from analysis.inputs import coverage_for, sites_table

    measurements = C.read_measurements(args.measurements)
    _step("loading layers and terrain")
    inputs = load_inputs(args.data, dem_path=args.dem, resolution_m=args.resolution,
                         area=args.area, landcover_path=args.landcover)
    _step(f"coverage of {len(inputs.sites)} BTS records at {args.resolution} m "
          "(cached after the first run)")
    coverage = coverage_for(inputs)
    _step(f"comparing {len(measurements):,} measurements with the predictions")
    classes = inputs.landcover.classes if inputs.landcover is not None else None
    compared = C.compare(measurements, coverage, sites_table(inputs.sites), inputs.dem,
                         classes)
    fitted = C.fit(compared, slope=args.slope, by_landcover=args.by_landcover,
                   name=args.save or "", measurements_version=args.measurements.name)
    if args.save:
        from geo.roles import local_actor
        from geo.workspace import Workspace

        workspace = Workspace(args.workspace)
        # The command line acts as this machine's user, a local admin (see geo.__main__).
        fitted.save_to(workspace.calibrations, local_actor())
        _step(f"saved calibration {args.save!r} in {workspace.path}")
    for warning in coverage.warnings:
        print(warning, file=sys.stderr)
    from analysis import disagreement as D

    against = compared
    if args.hexagons_calibrated:  # what the model in use still gets wrong once calibrated
        sites = sites_table(inputs.sites)
        against = C.compare(measurements, fitted.apply(coverage, sites, classes), sites,
                            inputs.dem, classes)
    hexes = D.hexagons(against)
    if args.hexagons:
        from geo.export import write_export

        write_export({"hexagons": hexes}, args.hexagons)
        _step(f"wrote {len(hexes):,} hexagons to {args.hexagons}")
    if args.json:
        document = {**fitted.to_dict(),
                    "residuals": C.residual_table(compared).to_dict(orient="records"),
                    "hexagons": {**D.summary(hexes), "model": (
                        "calibrated" if args.hexagons_calibrated else "uncalibrated")}}
        print(json.dumps(C._finite(document), ensure_ascii=False, indent=1))
        return 0
    print(fitted.describe())
    print(f"{'operator':<13} {'tech':<4} {'count':>7} {'offset dB':>9} "
          f"{'slope dB/dec':>12} {'before dB':>9} {'after dB':>8} {'CV dB':>6}")
    for g in fitted.groups.values():
        slope = f"{g.slope_db_per_decade:+.1f}" if fitted.slope and g.calibrated else "—"
        line = (f"{g.operator:<13} {g.technology:<4} {g.n:>7,} {g.offset_db:>+9.1f} "
                f"{slope:>12} {g.rms_before_db:>9.1f} {g.rms_after_db:>8.1f} "
                f"{g.rms_cv_db:>6.1f}")
        print(line + (f"   {g.note}" if g.note else ""))
        if g.landcover_offsets_db:
            print("    by land-cover class: " + ", ".join(
                f"{c} {v:+.1f} dB" for c, v in sorted(g.landcover_offsets_db.items())))
    counts = D.summary(hexes)
    print(f"hexagons (H3 resolution {counts['resolution']}): {counts['count']:,}, flagged "
          f"{counts[D.FLAG_NO_SERVICE]} measured_no_service, {counts[D.FLAG_SERVICE]} "
          "measured_service")
    return 0


def _covered_xy(chosen, covered) -> tuple:
    index = covered.index.to_numpy()
    return chosen.targets.x[index], chosen.targets.y[index]


def _area_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--area", choices=list(SETTINGS.study_area.areas),
                        default=SETTINGS.study_area.default,
                        help="study area: today's province, or the units formed from one old "
                             f"province (default: {SETTINGS.study_area.default})")


def _analysis_options(parser: argparse.ArgumentParser) -> None:
    _area_option(parser)
    parser.add_argument("--data", type=Path, help="folder with the layer files")
    parser.add_argument("--dem", type=Path)
    parser.add_argument("--resolution", type=int, choices=SETTINGS.terrain.resolutions_m,
                        default=SETTINGS.terrain.default_resolution_m)
    parser.add_argument("--operator", nargs="+", choices=SETTINGS.radio.operators)
    parser.add_argument("--technology", choices=SETTINGS.radio.technologies, default="4G")
    _service_option(parser)
    parser.add_argument("--point-service", choices=SETTINGS.service.levels,
                        default=SETTINGS.service.points_default,
                        help="service level of the support points (default: "
                             f"{SETTINGS.service.points_default}: commune halls, cultural "
                             "houses)")


def _service_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--service", choices=SETTINGS.service.levels,
                        default=SETTINGS.service.map_default,
                        help="service level of the map, areas and villages (default: "
                             f"{SETTINGS.service.map_default}): outdoors, in a car (vehicle "
                             "penetration loss) or indoors (ITU-R P.2109 building entry loss)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m analysis", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    cov = sub.add_parser("coverage", help="signal grids from a sites CSV")
    cov.add_argument("--sites", type=Path, required=True)
    cov.add_argument("--dem", type=Path)
    _area_option(cov)
    cov.add_argument("--landcover", type=Path,
                     help="land-cover GeoTIFF (ESA WorldCover classes): clutter loss")
    cov.add_argument("--resolution", type=int, choices=SETTINGS.terrain.resolutions_m,
                     default=SETTINGS.terrain.default_resolution_m)
    cov.add_argument("--operator")
    cov.add_argument("--technology", choices=SETTINGS.radio.technologies, default="4G")
    _service_option(cov)
    cov.add_argument("--los-only", action="store_true")
    cov.add_argument("--out", type=Path, required=True)
    cov.set_defaults(func=coverage_command)
    gaps = sub.add_parser("gaps", help="points, villages and areas in a gap")
    _analysis_options(gaps)
    gaps.add_argument("--threshold", type=float, help="covered threshold, dBm")
    gaps.add_argument("--out", type=Path, required=True)
    gaps.set_defaults(func=gaps_command)
    ind = sub.add_parser("indicators", help="headline figures")
    _analysis_options(ind)
    ind.add_argument("--json", action="store_true")
    ind.set_defaults(func=indicators_command)
    for command in (cov, gaps, ind):
        command.add_argument("--apply", metavar="NAME",
                             help="apply the calibration saved as NAME in the workspace")
        command.add_argument("--workspace", type=Path,
                             help="workspace file (default: LAOCAI_WORKSPACE)")
    calib = sub.add_parser("calibrate", help="compare predictions with drive-test "
                                             "measurements and fit corrections")
    _area_option(calib)
    calib.add_argument("--data", type=Path, help="folder with the layer files")
    calib.add_argument("--dem", type=Path)
    calib.add_argument("--resolution", type=int, choices=SETTINGS.terrain.resolutions_m,
                       default=SETTINGS.terrain.default_resolution_m)
    calib.add_argument("--measurements", type=Path, required=True,
                       help="measurements: .gpkg, .geojson or .csv (lon, lat, WGS84)")
    calib.add_argument("--slope", action="store_true",
                       help="also fit a slope, dB per decade of distance to the server")
    calib.add_argument("--landcover", type=Path,
                       help="land-cover GeoTIFF (ESA WorldCover classes): clutter loss")
    calib.add_argument("--by-landcover", action="store_true",
                       help="also fit an offset per land-cover class (needs land cover)")
    calib.add_argument("--json", action="store_true")
    calib.add_argument("--hexagons", type=Path, metavar="OUT.geojson",
                       help="write the measurements' H3 hexagons with their flags (WGS84)")
    calib.add_argument("--hexagons-calibrated", action="store_true",
                       help="judge the hexagons against the model with this calibration "
                            "applied (default: the uncalibrated model)")
    calib.add_argument("--save", metavar="NAME", help="save as NAME in the workspace")
    calib.add_argument("--workspace", type=Path,
                       help="workspace file (default: LAOCAI_WORKSPACE)")
    calib.set_defaults(func=calibrate_command)
    br = sub.add_parser("brief", help="leadership briefing (PDF + HTML)")
    _analysis_options(br)
    br.add_argument("--lang", choices=SETTINGS.app.languages,
                    default=SETTINGS.app.default_language)
    br.add_argument("--scenario", help="name of a scenario saved in the workspace")
    br.add_argument("--workspace", type=Path)
    br.add_argument("--out", type=Path, required=True)
    br.set_defaults(func=brief_command)
    for command in (gaps, ind, br):
        command.add_argument("--measurements", type=Path,
                             help="drive-test measurements (.gpkg, .geojson or .csv): places "
                                  "take their measured verdict where they settle one")
    pl = sub.add_parser("plan", help="choose K new sites that close the most gaps")
    _analysis_options(pl)
    pl.add_argument("--k", type=int, default=10)
    pl.add_argument("--spacing", type=float, default=SETTINGS.planning.candidate_spacing_m,
                    help="one candidate per block of this size, m")
    pl.add_argument("--near", choices=["fibre", "sites"])
    pl.add_argument("--site-operator", default=SETTINGS.planning.operator,
                    choices=SETTINGS.radio.operators)
    pl.add_argument("--sites-csv", type=Path)
    pl.add_argument("--out", type=Path, required=True)
    pl.set_defaults(func=plan_command)
    co = sub.add_parser("costs", help="what would close each gap, and what it costs")
    _analysis_options(co)
    co.add_argument("--budget", type=float, metavar="TỶ",
                    help="plan within this budget, tỷ đồng (net present cost)")
    co.add_argument("--years", type=int, default=SETTINGS.costs.years,
                    help=f"appraisal period, years (default {SETTINGS.costs.years})")
    co.add_argument("--discount", type=float, default=SETTINGS.costs.discount_rate,
                    help="discount rate per year, e.g. 0.08 (default "
                         f"{SETTINGS.costs.discount_rate:g})")
    co.add_argument("--costs", type=Path, metavar="FILE.toml", help="unit-cost overrides")
    co.add_argument("--k", type=int, default=SETTINGS.costs.bts_candidates,
                    help="new sites the optimiser proposes to cost as BTS options")
    co.add_argument("--out", type=Path, required=True)
    co.set_defaults(func=costs_command)
    # the briefing's --lang (default vi) also says errors
    for command in (cov, gaps, ind, pl, calib, co):
        command.add_argument("--lang", choices=SETTINGS.app.languages, default="en",
                             help="language of the error messages (default: en)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except AppError as exc:  # bad input, or a workspace that cannot be read
        print(f"error: {cli_error(exc, args.lang)}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
