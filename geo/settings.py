"""The project's one typed settings module.

Every threshold, height, radius, path and seed the planner uses lives here, grouped in frozen
dataclasses. Code reads them through :data:`SETTINGS` (or :func:`get_settings`) and never
repeats the literal. Distances are metres, powers dBm, frequencies MHz, areas km², unless a
name says otherwise.

Environment variables override paths: ``LAOCAI_WORKSPACE`` (the workspace GeoPackage),
``LAOCAI_CACHE`` (the on-disk cache for coverage grids and terrain tiles) and
``LAOCAI_DATA_DIR`` (a folder of layer files the app uses instead of the bundled ones);
``LAOCAI_RESOLUTION_M`` chooses the app's grid (30 or 90 m) and ``LAOCAI_PREFETCH=0`` turns off
its background warming.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _user_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "laocai-planner"


def _app_resolution_m() -> int:
    """``LAOCAI_RESOLUTION_M`` (one of the terrain resolutions), else the default one."""
    terrain = TerrainSettings()
    raw = os.environ.get("LAOCAI_RESOLUTION_M", "").strip()
    if not raw:
        return terrain.default_resolution_m
    choices = [str(r) for r in terrain.resolutions_m]
    if raw not in choices:
        raise ValueError(f"LAOCAI_RESOLUTION_M={raw!r}: the app's grid is "
                         f"{' or '.join(choices)} (metres)")
    return int(raw)


def _user_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "laocai-planner"


@dataclass(frozen=True)
class Paths:
    """Where bundled data, the cache and the user's workspace live."""

    data: Path = ROOT / "data"
    boundaries: Path = ROOT / "data" / "boundaries"
    admin: Path = ROOT / "data" / "admin"
    reference: Path = ROOT / "data" / "reference"
    published: Path = ROOT / "data" / "published"
    sample: Path = ROOT / "data" / "sample"
    cache: Path = field(
        default_factory=lambda: Path(os.environ.get("LAOCAI_CACHE") or _user_cache_dir())
    )
    workspace: Path = field(
        default_factory=lambda: Path(
            os.environ.get("LAOCAI_WORKSPACE") or _user_data_dir() / "workspace.gpkg"
        )
    )
    # Map layer data the app serves as files (ui.map.files): under the app's static/ folder,
    # which Streamlit serves at /app/static/ (server.enableStaticServing).
    map_files: Path = ROOT / "static" / "layers"
    # A folder of layer files (bundled names) the app uses instead of data/sample/.
    layers_dir: Path | None = field(
        default_factory=lambda: Path(os.environ["LAOCAI_DATA_DIR"])
        if os.environ.get("LAOCAI_DATA_DIR") else None
    )


@dataclass(frozen=True)
class CrsSettings:
    """Coordinate reference systems: analysis in metres, display and export in WGS84."""

    metric: str = "EPSG:9208"  # VN-2000 / TM-3 104-45 (Lào Cai's provincial zone)
    metric_meridian: str = "104°45'"  # central meridian of that TM-3 zone ({meridian})
    display: str = "EPSG:4326"  # WGS84 lon/lat, RFC 7946 GeoJSON
    vn2000_geographic: str = "EPSG:4756"
    vn2000_utm48: str = "EPSG:3405"
    # Lon/lat box that comfortably contains the province; used to recognise coordinate systems.
    lon_range: tuple[float, float] = (102.5, 106.0)
    lat_range: tuple[float, float] = (20.5, 23.5)


@dataclass(frozen=True)
class StudyArea:
    """The areas the connectivity analysis can cover, and the one it covers by default.

    An area is today's province (its 99 units of 2025) or the units formed from one of the
    two provinces merged on 1 July 2025, keyed by the ``old_province`` property of
    ``data/boundaries/communes_2025.geojson``. The default is the whole of today's province,
    for which the 2026–2030 programmes are planned; the bundled illustrative stand-ins cover
    it (2,962 BTS records in old Lào Cai, 1,055 in old Yên Bái: 4,017). The 117 points of
    Decision 2541/QĐ-UBND and the published 2023 figures are old Lào Cai's.
    """

    # Area key -> the old province its 2025 units come from (None: every unit of today's).
    areas: dict[str, str | None] = field(default_factory=lambda: {
        "province": None, "laocai": "laocai", "yenbai": "yenbai"})
    default: str = "province"
    province: str = "Lào Cai"  # the province's name as messages say it ({province}), NFC
    # What a person sees for each area (Vietnamese first, English), NFC.
    labels: dict[str, dict[str, str]] = field(default_factory=lambda: {
        "province": {"vi": "Toàn tỉnh Lào Cai (từ 1/7/2025)",
                     "en": "Whole Lào Cai province (since 1 July 2025)"},
        "laocai": {"vi": "Lào Cai cũ", "en": "Old Lào Cai"},
        "yenbai": {"vi": "Yên Bái cũ", "en": "Old Yên Bái"},
    })
    # Outline files (in ``paths.boundaries``) of the areas that have one; the others are the
    # union of their units.
    outline_files: dict[str, str] = field(default_factory=lambda: {
        "province": "province_2025.geojson", "laocai": "old_laocai.geojson"})
    whole: str = "province"  # the area that is the whole of today's province
    former_outline: str = "laocai"  # the area drawn as the map's "former province" boundary
    margin_m: float = 5_000.0  # margin around the outline for terrain and coverage grids
    import_margin_m: float = 10_000.0  # rows further than this outside are reported
    # The outline is simplified by this much before the import margin is added (the margin is
    # a tolerance, not a boundary: 0.5 % of the area moves, the buffer is 20× faster).
    import_margin_simplify_m: float = 500.0

    def label(self, area: str, lang: str) -> str:
        """The name of ``area`` in ``lang`` (Vietnamese when the language has none)."""
        names = self.labels[area]
        return names.get(lang) or names["vi"]


@dataclass(frozen=True)
class RadioSettings:
    """Thresholds and physical ranges for the coverage engine."""

    operators: tuple[str, ...] = ("Viettel", "VinaPhone", "MobiFone", "Vietnamobile")
    technologies: tuple[str, ...] = ("2G", "3G", "4G", "5G")
    # Covered when the best server reaches this level (RxLev 2G, RSCP 3G, RSRP 4G/5G), dBm.
    covered_dbm: dict[str, float] = field(
        default_factory=lambda: {"2G": -95.0, "3G": -100.0, "4G": -110.0, "5G": -110.0}
    )
    good_dbm: dict[str, float] = field(
        default_factory=lambda: {"2G": -85.0, "3G": -90.0, "4G": -100.0, "5G": -100.0}
    )
    # Maximum modelled radius per band, metres (beyond it a site contributes nothing).
    max_radius_m: dict[int, float] = field(
        default_factory=lambda: {
            700: 20_000.0, 900: 15_000.0, 1800: 12_000.0, 2100: 10_000.0,
            2600: 8_000.0, 3700: 6_000.0, 3800: 6_000.0,
        }
    )
    default_band_mhz: dict[str, int] = field(
        default_factory=lambda: {"2G": 900, "3G": 2100, "4G": 1800, "5G": 3700}
    )
    receiver_height_m: float = 1.5
    k_factor: float = 4.0 / 3.0  # effective earth radius factor
    earth_radius_m: float = 6_371_000.0
    height_range_m: tuple[float, float] = (0.0, 200.0)
    eirp_range_dbm: tuple[float, float] = (20.0, 80.0)
    band_range_mhz: tuple[float, float] = (150.0, 6_000.0)
    default_height_m: float = 35.0
    default_eirp_dbm: float = 60.0
    default_beamwidth_deg: float = 65.0
    # Sector pattern (3GPP TR 36.814 Table A.2.1.1-2): maximum attenuation A_m, dB.
    antenna_front_to_back_db: float = 25.0
    # 3GPP TR 38.901 RMa defaults: average street width W and building height h, metres.
    rma_street_width_m: float = 20.0
    rma_building_height_m: float = 5.0
    # COST-231 Hata is specified to 2000 MHz; the planner stretches it to cover the 2100 band.
    cost231_max_mhz: float = 2_200.0


@dataclass(frozen=True)
class CoverageSettings:
    """The grid coverage engine (:mod:`analysis.coverage`)."""

    # Hata/COST-231 environment correction: Lào Cai is forest, fields and scattered
    # settlements; the open-area ("rural") correction of Hata is too optimistic there.
    environment: str = "suburban"
    # Reference-signal power relative to the sector EIRP, dB: 2G BCCH carrier at full power,
    # 3G CPICH at 10 % of power, 4G RSRP per resource element of a 20 MHz carrier (1,200
    # subcarriers), 5G SS-RSRP over 100 MHz at 30 kHz (3,276 subcarriers).
    reference_offset_db: dict[str, float] = field(
        default_factory=lambda: {"2G": 0.0, "3G": -10.0, "4G": -30.8, "5G": -35.2}
    )
    # A site is modelled out to where its signal over flat ground falls this far below the
    # covered threshold (or to the band's maximum radius, whichever is nearer).
    radius_margin_db: float = 10.0
    # A site's radius is reckoned with the Hata models at its effective antenna height: the
    # antenna top minus the mean terrain between these distances along 8 radials (ITU-R
    # P.1546 uses 3–15 km), clamped; the loss on each path takes the mast height above the
    # ground (clamped to the same range) and the terrain term of the path.
    effective_height_annulus_m: tuple[float, float] = (3_000.0, 15_000.0)
    effective_height_range_m: tuple[float, float] = (10.0, 300.0)
    # Path-loss tables are sampled every ``resolution × table_step_fraction`` metres.
    table_step_fraction: float = 0.25
    diffraction_table_v_max: float = 60.0
    diffraction_table_dv: float = 0.005
    # Polarisation of the spherical-earth term of delta-Bullington (ITU-R P.452-16 §4.2.2):
    # "horizontal" or "vertical"; cross-polarised (±45°) panels sit between the two, and over
    # land at these bands the two differ by well under 1 dB.
    polarisation: str = "horizontal"
    nodata_dbm: float = -9999.0
    threads: int = 0  # 0: all cores numba sees


@dataclass(frozen=True)
class ServiceSettings:
    """Service level: where the receiver is, and the loss its position adds to the path, dB.

    The margin is added to the covered threshold of each technology (:class:`analysis.selection.
    Selection`), taken at the technology's default band (``RadioSettings.default_band_mhz``:
    2G 900, 3G 2100, 4G 1800, 5G 3700 MHz):

    ``outdoor``
        a hand-held 1.5 m above open ground: 0 dB.
    ``incar``
        inside a car: the O2I car penetration loss of 3GPP TR 38.901 V17.0.0 §7.4.3.2, a
        normal distribution of mean 9 dB and σ 5 dB (0.6–60 GHz, frequency independent); its
        median, 9 dB, is used.
    ``indoor``
        inside a building: building entry loss of ITU-R P.2109-1 (08/2019) §3, eq. (1)–(7),
        ``L = 10 log10(10^(0.1 A) + 10^(0.1 B) + 10^(0.1 C))`` with
        ``A = F⁻¹(P) σ1 + L_h + L_e``, ``B = F⁻¹(P) σ2 + w + x log f``, ``C = −3``,
        ``L_h = r + s log f + t (log f)²``, ``L_e = 0.212 |θ|``, ``σ1 = u + v log f``,
        ``σ2 = y + z log f`` (f in GHz), for *traditional* buildings (Table 1: the commune
        halls and cultural houses are brick and concrete without metallised glass), median
        (P = 50 %, F⁻¹ = 0) and a horizontal path (θ = 0°). Worked values: 700 MHz 14.1 dB,
        900 MHz 14.2 dB, 1800 MHz 14.8 dB, 2100 MHz 15.0 dB, 2600 MHz 15.3 dB, 3700 MHz
        15.8 dB (:func:`analysis.entry_loss.building_entry_loss_db`).

    The map (areas, gap areas, villages, planning targets other than support points) defaults
    to outdoor service; the support points (commune halls, cultural houses) to indoor.
    """

    levels: tuple[str, ...] = ("outdoor", "incar", "indoor")
    map_default: str = "outdoor"
    points_default: str = "indoor"
    incar_loss_db: float = 9.0  # 3GPP TR 38.901 V17.0.0 §7.4.3.2, median of N(9 dB, 5 dB)
    building_type: str = "traditional"  # ITU-R P.2109-1 Table 1 row
    building_probability: float = 0.5  # P, probability that the loss is not exceeded
    facade_elevation_deg: float = 0.0  # θ, elevation of the path at the façade, degrees
    # ITU-R P.2109-1 Table 1: r, s, t, u, v, w, x, y, z per building type.
    p2109_coefficients: dict[str, tuple[float, ...]] = field(default_factory=lambda: {
        "traditional": (12.64, 3.72, 0.96, 9.6, 2.0, 9.1, -3.0, 4.5, -2.0),
        "thermally_efficient": (28.19, -3.00, 8.48, 13.5, 3.8, 27.8, -2.9, 9.4, -2.1),
    })


@dataclass(frozen=True)
class TerrainSettings:
    """Digital elevation model: grid and download source."""

    resolutions_m: tuple[int, ...] = (30, 90)
    default_resolution_m: int = 90
    copernicus_base_url: str = "https://copernicus-dem-30m.s3.amazonaws.com"
    copernicus_base_url_90: str = "https://copernicus-dem-90m.s3.amazonaws.com"
    download_timeout_s: float = 60.0
    download_chunk_bytes: int = 1 << 20
    # Lon/lat box (minlon, minlat, maxlon, maxlat) used by ``python -m geo.dem build`` when no
    # study-area outline is available.
    study_bbox_lonlat: tuple[float, float, float, float] = (103.5, 21.8, 104.7, 22.9)
    # Largest total uncompressed size accepted inside a .zip terrain archive (bytes).
    max_zip_bytes: int = 500_000_000
    base_url_env: str = "LAOCAI_DEM_BASE_URL"  # environment variable overriding the base URL


@dataclass(frozen=True)
class LandCoverClass:
    """One land-cover class: its name and its ITU-R P.2108-1 §3.1 terminal clutter.

    ``clutter`` is the P.2108 clutter type (Table 3: ``water_sea``, ``open_rural``,
    ``suburban``, ``urban``, ``trees_forest``, ``dense_urban``) and ``height_m`` its
    representative clutter height R (Table 3's default for the type, metres).
    """

    name: str
    clutter: str
    height_m: float


@dataclass(frozen=True)
class LandCoverSettings:
    """Land cover and the clutter loss at the receiver (:mod:`analysis.clutter`).

    Source of the classes: ESA WorldCover 10 m v100/v200 product user manual (class values
    10…100). Source of the loss: ITU-R P.2108-1 (09/2021) §3.1, height-gain terminal
    correction model, with the clutter type and default representative height of its
    Table 3 chosen per class here; the receiver is ``radio.receiver_height_m`` (1.5 m) and
    the street width ``street_width_m`` (P.2108's default, 27 m). P.2108 §3.1 is specified for
    0.03–3 GHz: higher bands (3.7 GHz 5G) use the 3 GHz value. P.833 (attenuation in
    vegetation) is not used: it models a path *through* woodland, while a receiver standing
    in woodland is P.2108's "trees/forest" terminal clutter.

    The median models (Hata/COST-231 with ``coverage.environment``) already contain the
    clutter they were fitted in: the loss applied to a cell is P.2108's loss for its class
    minus P.2108's loss for ``reference_clutter`` at ``reference_height_m`` (the model's own
    environment, suburban), so a cell of that clutter is unchanged, forest and built-up lose
    signal and open ground (crops, grass, water) gains some. Without land cover: no change.
    """

    classes: dict[int, LandCoverClass] = field(default_factory=lambda: {
        10: LandCoverClass("Tree cover", "trees_forest", 15.0),
        20: LandCoverClass("Shrubland", "open_rural", 10.0),
        30: LandCoverClass("Grassland", "open_rural", 10.0),
        40: LandCoverClass("Cropland", "open_rural", 10.0),
        50: LandCoverClass("Built-up", "urban", 15.0),
        60: LandCoverClass("Bare / sparse vegetation", "open_rural", 10.0),
        70: LandCoverClass("Snow and ice", "open_rural", 10.0),
        80: LandCoverClass("Permanent water bodies", "water_sea", 10.0),
        90: LandCoverClass("Herbaceous wetland", "open_rural", 10.0),
        95: LandCoverClass("Mangroves", "trees_forest", 15.0),
        100: LandCoverClass("Moss and lichen", "open_rural", 10.0),
    })
    # Land-use polygons (OpenStreetMap ``landuse=*`` / ``natural=*`` in GeoJSON or GeoPackage)
    # → the class above they stand for (OSM wiki, Map features); other values are left out.
    osm_tags: dict[str, dict[str, int]] = field(default_factory=lambda: {
        "landuse": {
            "forest": 10, "residential": 50, "commercial": 50, "industrial": 50, "retail": 50,
            "construction": 50, "military": 50, "railway": 50, "farmland": 40, "farmyard": 40,
            "orchard": 40, "vineyard": 40, "paddy": 40, "plant_nursery": 40,
            "greenhouse_horticulture": 40, "meadow": 30, "grass": 30, "village_green": 30,
            "recreation_ground": 30, "cemetery": 30, "quarry": 60, "landfill": 60,
            "brownfield": 60, "reservoir": 80, "basin": 80,
        },
        "natural": {
            "wood": 10, "scrub": 20, "heath": 20, "grassland": 30, "bare_rock": 60, "scree": 60,
            "sand": 60, "shingle": 60, "glacier": 70, "water": 80, "wetland": 90,
        },
    })
    nodata_class: int = 0  # WorldCover's "no data" value; such cells get no clutter loss
    reference_clutter: str = "suburban"  # the clutter the median model already contains
    reference_height_m: float = 10.0  # P.2108 Table 3 default R for suburban
    street_width_m: float = 27.0  # P.2108 §3.1 default w_s
    frequency_range_mhz: tuple[float, float] = (30.0, 3_000.0)  # P.2108 §3.1 validity


@dataclass(frozen=True)
class GapSettings:
    """Gap analysis."""

    fibre_reach_m: float = 1_000.0
    shared_site_distance_m: float = 50.0
    min_gap_area_km2: float = 0.05


@dataclass(frozen=True)
class PlanningSettings:
    """What-if planning: proposed sites and the search for new ones."""

    # Weights of a place newly covered: support points weigh most, then villages, then
    # people (per 1,000 residents of a village).
    weight_support_point: float = 100.0
    weight_village: float = 10.0
    weight_per_1000_people: float = 1.0
    # Multiplier of the weight of a place in a unit that Quyết định 2167/QĐ-UBND (2026) lists
    # as an extremely difficult or difficult investment area; 1.0 = not weighted (default).
    investment_area_weight: float = 1.0
    candidate_spacing_m: float = 1_000.0  # one candidate per block of this side in the gaps
    max_candidates: int = 50_000
    near_distance_m: float = 2_000.0  # "near fibre / existing sites" limit for candidates
    height_m: float = 40.0
    eirp_dbm: float = 60.0
    operator: str = "Viettel"


@dataclass(frozen=True)
class SampleSettings:
    """The illustrative dataset written by ``python -m geo.sample`` (rules in its docstring)."""

    seed: int = 2541
    # BTS records per part of today's province (keys: ``old_province`` of the 2025 units),
    # see data/published/facts.csv: old Lào Cai keeps the published 2023 count of 2,962; old
    # Yên Bái gets the rest of the province's 4,017 (provincial report, 30 July 2025):
    # 4,017 − 2,962 = 1,055.
    bts_records_by_area: dict[str, int] = field(
        default_factory=lambda: {"laocai": 2_962, "yenbai": 1_055}
    )
    support_points: int = 117
    commune_points: int = 69
    village_points: int = 48
    people_per_village: float = 1_500.0
    min_villages_per_commune: int = 3
    operator_weights: dict[str, float] = field(
        default_factory=lambda: {
            "Viettel": 0.40, "VinaPhone": 0.28, "MobiFone": 0.22, "Vietnamobile": 0.10,
        }
    )
    # Probability that an operator reuses another operator's tower instead of building one;
    # chosen so that about 6–10 % of towers are shared, as the dataset brief asks.
    share_probability: float = 0.15
    town_tower_height_m: tuple[float, float] = (15.0, 30.0)
    rural_tower_height_m: tuple[float, float] = (30.0, 45.0)
    eirp_dbm: tuple[float, float] = (58.0, 62.0)
    village_fibre_probability: float = 0.6

    @property
    def bts_records(self) -> int:
        """All BTS records of the sample (4,017: the merged province at 30 July 2025)."""
        return sum(self.bts_records_by_area.values())


@dataclass(frozen=True)
class AppSettings:
    """Streamlit app."""

    default_language: str = "vi"
    languages: tuple[str, ...] = ("vi", "en")
    map_center: tuple[float, float] = (22.35, 104.05)  # lat, lon
    map_zoom: int = 9
    upload_limit_mb: int = 200
    # Grid of the app's coverage and what-if (a resolution of TerrainSettings.resolutions_m).
    resolution_m: int = field(default_factory=_app_resolution_m)
    # Map layers larger than this (characters of JSON) are fetched by the map from a file
    # instead of travelling inside the page's websocket message (ui.map.files).
    map_file_min_chars: int = 4_000
    map_file_keep_days: float = 7.0  # layer files unused this long are deleted
    # Field measurements drawn as points at most (evenly taken through the file's order);
    # about 250 characters each, so 3,000 keep the layer near 0.75 MB of the page's 5 MB
    # budget. The hexagons summarise all of them.
    measurement_points_max: int = 3_000
    # After a page is drawn, compute the other technologies in the background (ui.prefetch);
    # LAOCAI_PREFETCH=0 turns it off (the tests do, to keep their CPU to themselves).
    prefetch_technologies: bool = field(
        default_factory=lambda: os.environ.get("LAOCAI_PREFETCH", "1") != "0")
    # ... starting this long after the run that asked for it, while the browser draws that
    # page (on a machine that runs both, they share the cores).
    prefetch_delay_s: float = 1.0
    prefetch_nice: int = 10  # added to the warming thread's nice value (lower CPU priority)
    # Colour of each place status (analysis.status.STATUSES) on the map, in the charts and
    # on the briefing's map: green 4G/5G, blue 3G, orange 2G only, red none (ColorBrewer).
    status_colours: dict[str, str] = field(default_factory=lambda: {
        "4g": "#1a9641", "3g": "#2c7bb6", "2g": "#fdae61", "none": "#d7191c"})


@dataclass(frozen=True)
class ImportSettings:
    """Importing the province's own files into the workspace (:mod:`geo.importers`).

    Archive limits guard against zip bombs: an archive is refused when its members unpack to
    more than ``max_unpacked_mb`` in total, or to more than ``max_compression_ratio`` times the
    archive's size once they exceed ``ratio_check_min_mb``.
    """

    max_unpacked_mb: int = 1_000
    max_compression_ratio: float = 100.0
    ratio_check_min_mb: int = 10
    max_archive_members: int = 2_000
    header_search_rows: int = 20  # a table's header may sit below a title block
    busy_timeout_s: float = 10.0  # wait this long for another import before "busy"
    # OpenCelliD extracts: only Vietnam's MCC, MNC → operator, radio → technology.
    opencellid_mcc: str = "452"
    opencellid_mnc: dict[str, str] = field(
        default_factory=lambda: {
            "1": "MobiFone", "2": "VinaPhone", "4": "Viettel", "5": "Vietnamobile",
            "7": "Gmobile",
        }
    )
    opencellid_radio: dict[str, str] = field(
        default_factory=lambda: {"GSM": "2G", "UMTS": "3G", "LTE": "4G", "NR": "5G"}
    )
    # Field measurements (geo.import_measurements): a level outside this range (dBm) is not a
    # measurement; times written without a time zone are the province's local time, UTC+7.
    measurement_signal_range_dbm: tuple[float, float] = (-150.0, -20.0)
    measurement_utc_offset_h: float = 7.0
    cell_group_distance_m: float = 50.0  # cells of one operator × technology closer → one site
    commune_mismatch_m: float = 1_000.0  # warn when a point lies this far outside its commune
    max_listed_exclusions: int = 1_000  # excluded rows listed one by one (the rest counted)
    # A file is taken for Vietnamese typed in TCVN3 (ABC) fonts (geo.legacy_text) when at
    # least this many words, and this share of its words that are not plain ASCII, hold a
    # TCVN3-only letter; this share of them reads as Vietnamese syllables once converted; and
    # cells already in Unicode Vietnamese number at most this share of those words.
    tcvn3_min_words: int = 3
    tcvn3_min_share: float = 0.3
    tcvn3_min_syllables: float = 0.8
    tcvn3_max_unicode_share: float = 0.1


@dataclass(frozen=True)
class CalibrationSettings:
    """Comparing predictions with drive-test measurements and calibrating them
    (:mod:`analysis.calibration`).

    Residuals are measured − predicted signal, dB. The fit per operator × technology is a
    Huber M-estimate (iteratively reweighted least squares): residuals within ``delta`` of
    the fit weigh fully, larger ones as ``delta / |r|``. ``huber_delta_db`` None takes
    ``delta = huber_k × σ̂`` with σ̂ the residuals' robust scale (1.4826 × median absolute
    deviation, re-estimated each iteration); k = 1.345 gives 95 % of least squares'
    efficiency under Gaussian errors (Huber 1981, *Robust Statistics*; the usual default of
    statistics packages). A number fixes delta in dB.

    The accepted and very good residual standard deviations (7 dB, 5 dB) are common planning
    practice for a calibrated macro-cell model (log-normal shadowing of 6–8 dB is typical of
    rural and suburban drive tests); they are labels for the report, not limits the fit
    enforces.
    """

    # Edges of the distance bands of the residual table, km (the last band is open-ended).
    distance_bands_km: tuple[float, ...] = (0.0, 1.0, 2.0, 5.0, 10.0)
    huber_k: float = 1.345  # tuning constant × robust σ (dB) when huber_delta_db is None
    huber_delta_db: float | None = None  # fixed Huber delta, dB (None: huber_k × σ̂)
    huber_iterations: int = 50  # IRLS iterations at most
    huber_tolerance_db: float = 1e-4  # stop when the parameters move less than this, dB
    k_folds: int = 5  # cross-validation folds (deterministic: seeded permutation)
    seed: int = 16  # seed of the fold assignment
    min_measurements: int = 30  # groups with fewer are left uncalibrated
    accepted_std_db: float = 7.0  # source: common planning practice
    very_good_std_db: float = 5.0  # source: common planning practice
    std_source: str = "common planning practice"
    store_format: int = 1  # version of the saved calibration document


@dataclass(frozen=True)
class DisagreementSettings:
    """Where drive-test measurements contradict the model (:mod:`analysis.disagreement`).

    Measurements are binned in H3 hexagons (Uber's hierarchical hexagonal grid, h3 4.x) per
    operator × technology. Resolution 8: average cell area 0.737 km², edge ≈ 0.53 km (H3
    documentation, table of cell statistics by resolution) — about one village's built-up
    area, and ≈ 90 cells of the 90 m grid. A hexagon is drawn (coloured by its mean
    residual) from ``min_measurements`` on. It is **flagged** when the model and the
    measurements disagree about "covered": at least ``flag_min_measurements`` (K) on the
    measured side, taken at ``flag_min_times`` or more different times. Two measurement
    times are *different* when at least ``distinct_time_gap_h`` apart (sorted times within
    a hexagon split into visits wherever two consecutive ones are that far apart: a drive
    passing through takes minutes, so one pass is one time); a measurement without a time
    is of unknown time and never counts toward the different times. A place inside a
    flagged hexagon, or within ``verdict_distance_m`` of one, takes its measured verdict.
    K = 5 and 2 times are our choice (enough that one bad pass or one outage does not
    overrule the model), not a standard.
    """

    h3_resolution: int = 8  # H3 resolution; 8: 0.737 km² average cell area
    min_measurements: int = 3  # measurements in a hexagon before it is drawn
    flag_min_measurements: int = 5  # K: measurements on the measured side to flag, count
    flag_min_times: int = 2  # different times among those K or more, count
    distinct_time_gap_h: float = 1.0  # times this far apart are different times, hours
    verdict_distance_m: float = 500.0  # a place this near a flagged hexagon takes it, m


@dataclass(frozen=True)
class AuthSettings:
    """Accounts, sign-in and roles (:mod:`geo.accounts`, :mod:`geo.roles`, ``ui.auth``).

    Passwords are hashed with Argon2id (argon2-cffi). The defaults below are argon2-cffi
    23.1's own defaults, which are RFC 9106's "second recommended option" for memory-
    constrained hosts (section 4: t = 3 passes, m = 2^16 KiB = 64 MiB, p = 4 lanes, 128-bit
    salt, 256-bit tag). A stored hash keeps its own parameters, so changing these only
    affects new hashes (an old one is re-hashed at its next successful sign-in).

    A failed sign-in waits ``failed_delay_base_s × 2^(n−1)`` seconds, capped at
    ``failed_delay_max_s``, before it is answered, n being the failures of that name in the
    last ``failed_window_min`` minutes (this one included); a successful sign-in clears them.
    These numbers are our choice (slow enough for guessing, bearable for a typo), not a
    standard.
    """

    session_timeout_min: float = 60.0  # signed-in session idle this long → signed out, minutes
    failed_delay_base_s: float = 1.0  # delay of the first failed sign-in of a name, s
    failed_delay_max_s: float = 30.0  # the delay never exceeds this, s
    failed_window_min: float = 15.0  # failures older than this no longer count, minutes
    # Largest upload the import page accepts, MB: its file uploader takes the smaller of this
    # and app.upload_limit_mb (the readers refuse a larger file again, geo.safe_files). Our
    # choice: the app's 200 MB; lower it for a server reachable by many people.
    upload_limit_mb: int = 200
    min_password_chars: int = 8  # NIST SP 800-63B (rev. 3, 5.1.1.1): at least 8 characters
    max_password_chars: int = 1_024  # longer inputs are refused (cost of hashing), characters
    argon2_time_cost: int = 3  # passes over memory, count (argon2-cffi 23.1 / RFC 9106)
    argon2_memory_cost_kib: int = 65_536  # memory per hash, KiB (64 MiB; argon2-cffi / RFC 9106)
    argon2_parallelism: int = 4  # lanes, count (argon2-cffi 23.1 / RFC 9106)
    argon2_hash_len: int = 32  # tag length, bytes (argon2-cffi 23.1 / RFC 9106: 256 bits)
    argon2_salt_len: int = 16  # salt length, bytes (argon2-cffi 23.1 / RFC 9106: 128 bits)


@dataclass(frozen=True)
class CostSettings:
    """Unit costs and link rules of "what would close each gap, and what it costs"
    (:mod:`analysis.costs`). Money in VND unless a name says ``usd``; lengths metres unless
    a name says ``km``. Where /work/shared/data/facts.md ("Costs and programmes") gives a
    range, the default is its middle; every figure marked *assumption* has no published
    source in the project and should be replaced with the province's own figure (a TOML
    file of overrides: :func:`analysis.costs.overrides.load_costs`).

    Net present cost: NPC = capex + Σ_{t=1..years} opex / (1 + discount_rate)^t.
    """

    # VND per USD. Assumption, rounded: the State Bank of Vietnam's central rate was about
    # 24,300 (Jan 2025) to 25,200 (mid-2025) VND/USD; set the rate of the costing date.
    usd_vnd: float = 25_000.0
    usd_vnd_date: str = "2025 (rounded)"  # date / vintage of usd_vnd
    years: int = 10  # appraisal period, years (assumption)
    discount_rate: float = 0.08  # per year, real (assumption)

    # New BTS (off-grid mountain site, tower, power, backhaul): facts.md, two Viettel
    # off-grid sites in Yên Bái cost about 3.5 and over 3 tỷ VND: middle 3.25 tỷ.
    bts_capex_vnd: float = 3_250_000_000.0
    # Assumption: site rent-free, solar/diesel upkeep, maintenance visits: VND per year.
    bts_opex_vnd_per_year: float = 120_000_000.0
    # New sites proposed by the planner's optimiser (analysis.planning.plan) to cost: K.
    bts_candidates: int = 30

    # Fibre: Giga's open cost model defaults (facts.md): USD 5,000–9,100 per km capex and
    # 100–160 per km per year: middles. Giga's straight-line × 1.2 detour is not used: the
    # route is a least-cost path over the terrain (analysis.costs.fibre_path).
    fibre_capex_usd_per_km: float = 7_050.0
    fibre_opex_usd_per_km_year: float = 130.0
    # Least-cost routing grid: the DEM averaged onto cells of this side, metres.
    fibre_cell_m: float = 250.0
    # Per-km cost multiplier by terrain slope (%, upper bound of the class → multiplier);
    # assumption (trenching and pole work get dearer on steep ground).
    fibre_slope_classes: tuple[tuple[float, float], ...] = (
        (10.0, 1.0), (25.0, 1.3), (45.0, 1.8), (float("inf"), 2.5))
    # Per-km multiplier by land-cover class (SETTINGS.landcover.classes), others 1.0, when
    # land cover is loaded; assumption (clearing forest, crossing water, works in built-up).
    fibre_landcover_factor: dict[int, float] = field(default_factory=lambda: {
        10: 1.3, 50: 1.2, 80: 4.0, 90: 1.5, 95: 1.5})
    # Per-km multiplier along a road (an optional road layer); assumption (poles or ducts
    # along the road reserve, easy access).
    fibre_road_factor: float = 0.6

    # Microwave point-to-point: Giga's defaults (facts.md), about USD 2,000 at the point plus
    # 1,000–2,500 at the tower: 2,000 + 1,750 per hop.
    microwave_point_usd: float = 2_000.0
    microwave_tower_usd: float = 1_750.0
    # Assumption: maintenance and frequency licence, USD per hop per year.
    microwave_opex_usd_per_year: float = 300.0
    # Assumption: a relay (repeater) site: small mast, solar power, two radios, VND.
    relay_capex_vnd: float = 600_000_000.0
    relay_opex_vnd_per_year: float = 30_000_000.0
    microwave_band_ghz: float = 8.0  # a key of microwave_max_hop_km
    # Longest hop per band, km: rain-fade-limited hop lengths usual for ITU-R P.530 rain
    # region N/P (engineering rule of thumb, assumption).
    microwave_max_hop_km: dict[float, float] = field(default_factory=lambda: {
        6.0: 60.0, 7.0: 50.0, 8.0: 45.0, 11.0: 30.0, 13.0: 25.0, 15.0: 20.0, 18.0: 15.0,
        23.0: 10.0, 38.0: 4.0})
    # ITU-R P.530-18 §2.2.2.1: full first-Fresnel-zone clearance at the median k (4/3),
    # and this share of it at the worst-case k.
    microwave_k_median: float = 4.0 / 3.0
    microwave_k_worst: float = 2.0 / 3.0
    microwave_worst_clearance: float = 0.6  # share of F1 at microwave_k_worst
    # Antennas above ground, metres (assumption): a mast at the place, at a fibre node, at a
    # relay; at an existing BTS its own height_m.
    microwave_place_mast_m: float = 15.0
    microwave_node_mast_m: float = 30.0
    microwave_relay_mast_m: float = 20.0
    # Obstacles on the terrain (trees, houses) added to every profile sample, metres
    # (P.530 §2.2.2 counts them; assumption).
    microwave_obstacle_m: float = 10.0
    microwave_ends: int = 4  # nearest fibre nodes / BTS tried as the far end
    relay_block_m: float = 1_000.0  # relay candidates: the highest DEM cell of each block
    relay_candidates: int = 40  # highest candidates near the path tried at most

    # Satellite (always feasible). Terminal: facts.md, VSAT terminal USD 400–600, consumer
    # LEO kits USD 349–599: middles. Service fees: assumption.
    geo_terminal_usd: float = 500.0
    geo_opex_usd_per_year: float = 1_200.0
    geo_latency_ms: float = 600.0  # facts.md: VNPT VSAT over Vinasat, 500–700 ms
    geo_capacity_mbps: float = 10.0  # assumption
    leo_terminal_usd: float = 474.0
    leo_opex_usd_per_year: float = 1_000.0
    leo_latency_ms: float = 40.0  # assumption (LEO constellations: 25–60 ms)
    leo_capacity_mbps: float = 100.0  # assumption
    # Satellite only where a LEO service is licensed (facts.md: pilot licence QĐ 659/QĐ-TTg,
    # 2025); False leaves only GEO VSAT.
    leo_available: bool = True

    def usd(self, amount: float) -> float:
        """``amount`` USD in VND at :attr:`usd_vnd`."""
        return float(amount) * self.usd_vnd


@dataclass(frozen=True)
class Settings:
    paths: Paths = field(default_factory=Paths)
    crs: CrsSettings = field(default_factory=CrsSettings)
    study_area: StudyArea = field(default_factory=StudyArea)
    radio: RadioSettings = field(default_factory=RadioSettings)
    terrain: TerrainSettings = field(default_factory=TerrainSettings)
    coverage: CoverageSettings = field(default_factory=CoverageSettings)
    service: ServiceSettings = field(default_factory=ServiceSettings)
    landcover: LandCoverSettings = field(default_factory=LandCoverSettings)
    gaps: GapSettings = field(default_factory=GapSettings)
    planning: PlanningSettings = field(default_factory=PlanningSettings)
    sample: SampleSettings = field(default_factory=SampleSettings)
    app: AppSettings = field(default_factory=AppSettings)
    imports: ImportSettings = field(default_factory=ImportSettings)
    calibration: CalibrationSettings = field(default_factory=CalibrationSettings)
    disagreement: DisagreementSettings = field(default_factory=DisagreementSettings)
    auth: AuthSettings = field(default_factory=AuthSettings)
    costs: CostSettings = field(default_factory=CostSettings)


SETTINGS = Settings()


def get_settings() -> Settings:
    """Return the settings in force (a fresh read of the environment-dependent paths)."""
    return Settings()
