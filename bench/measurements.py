"""Measurement-import benchmark (issue 16 item 1, budget: 200,000 rows in ≤ 20 s).

    python bench/measurements.py [--rows 200000] [--budget 20]

Builds a G-NetTrack Pro-style log (tab-separated, every column the app writes, the phone's
local time, four operators × four technologies, positions spread over the province) in a
temporary folder and times ``import_file("measurements", ...)`` on it: reading and decoding,
header and format detection, coordinates, operator, technology, level and time, the
outside-the-province check and the schema validation. Saving is not timed. Exits 1 when the
import takes longer than the budget or does not accept every row.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)  # as in bench/coverage.py: the repository root, not bench/

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from geo.importers import import_file  # noqa: E402
from tests.corpus import GNETTRACK_HEADER, MEASURED_AT  # noqa: E402

_OPERATORS = (("Viettel", "45204"), ("VN VINAPHONE", "45202"), ("Mobifone", "45201"),
              ("Vietnamobile", "45205"))
_TECH = (("2G", "EDGE", -75.0), ("3G", "HSPA+", -88.0), ("4G", "LTE", -97.0),
         ("5G", "NR-NSA", -101.0))


def build_log(path: Path, n: int, seed: int = 16) -> None:
    """Write an ``n``-row G-NetTrack-style log to ``path`` (vectorised)."""
    rng = np.random.default_rng(seed)
    centre = np.asarray(MEASURED_AT)[rng.integers(0, len(MEASURED_AT), n)]
    lon = centre[:, 0] + rng.normal(0.0, 0.01, n)
    lat = centre[:, 1] + rng.normal(0.0, 0.01, n)
    op = rng.integers(0, len(_OPERATORS), n)
    tech = rng.integers(0, len(_TECH), n)
    level = np.array([t[2] for t in _TECH])[tech] + rng.normal(0.0, 8.0, n)
    times = (pd.Timestamp("2025-06-30 06:00:00") + pd.to_timedelta(np.arange(n), unit="s"))
    cid = rng.integers(1000, 9_999_999, n).astype(str)
    mnc = np.array([o[1] for o in _OPERATORS])[op]
    cgi = pd.Series(mnc).str[:3] + "-" + pd.Series(mnc).str[3:] + "-20531-" + cid
    frame = pd.DataFrame({
        "Timestamp": times.strftime("%Y.%m.%d_%H.%M.%S"),
        "Longitude": np.round(lon, 6), "Latitude": np.round(lat, 6),
        "Speed": rng.integers(0, 60, n),
        "Operatorname": np.array([o[0] for o in _OPERATORS])[op], "Operator": mnc,
        "CGI": cgi, "Cellname": "LC" + pd.Series(cid).str[-3:], "Node": cid, "CellID": cid,
        "LAC": "20531", "NetworkTech": np.array([t[0] for t in _TECH])[tech],
        "NetworkMode": np.array([t[1] for t in _TECH])[tech], "Level": np.round(level, 0),
        "Qual": -11, "SNR": 12, "CQI": 9, "LTERSSI": -61, "ARFCN": 1650, "DL_bitrate": 2300,
        "UL_bitrate": 410, "PSC": "", "Altitude": 98, "Height": 2, "Accuracy": 5,
        "Location": "gps", "State": "D",
    })
    assert "\t".join(frame.columns) == GNETTRACK_HEADER
    frame.to_csv(path, sep="\t", index=False)


def seed_workspace(workspace: Path, n: int, folder: Path) -> int:
    """Build an ``n``-row log in ``folder`` and save it as the measurements of the workspace
    file ``workspace`` (illustrative drive tests for the page benchmarks and screenshots);
    returns the rows accepted."""
    from geo.workspace import Workspace

    path = folder / "gnettrack_bench.txt"
    build_log(path, n)
    report = import_file("measurements", path)
    if not report.ok:
        raise SystemExit(f"{path}: the generated log was refused: {report.problems[:3]}")
    Workspace(workspace).save(report)
    return report.rows_accepted


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--budget", type=float, default=20.0, help="seconds")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="laocai-bench-meas-") as tmp:
        path = Path(tmp) / "gnettrack_bench.txt"
        start = time.perf_counter()
        build_log(path, args.rows)
        built = time.perf_counter() - start
        size_mb = path.stat().st_size / 1e6
        # Cold: the first import of the process also loads the province outline.
        start = time.perf_counter()
        report = import_file("measurements", path)
        took = time.perf_counter() - start
    print(f"file: {args.rows:,} rows, {size_mb:.0f} MB, built in {built:.1f} s")
    print(f"import_file('measurements'): {took:.2f} s for {report.rows_read:,} rows "
          f"({report.rows_accepted:,} accepted, {len(report.problems)} problems); "
          f"budget {args.budget:g} s")
    ok = report.ok and report.rows_accepted == args.rows and took <= args.budget
    print("OK" if ok else "OVER BUDGET OR NOT ACCEPTED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
