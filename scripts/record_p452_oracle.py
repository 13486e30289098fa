"""Record pycraf's ITU-R P.452 median diffraction loss on the oracle profiles (test fixture).

Run in a throw-away venv with pycraf (never a runtime requirement of the project)::

    python -m venv /tmp/pycraf-venv && /tmp/pycraf-venv/bin/pip install pycraf
    /tmp/pycraf-venv/bin/python scripts/record_p452_oracle.py

It imports only numpy, pycraf and ``tests/analysis/oracle_profiles.py`` (numpy only), builds
the deterministic profiles there and writes ``tests/analysis/data/p452_oracle.json``: per
profile and frequency pycraf's L_d_50 of P.452-16 (delta-Bullington, sec. 4.2.3) and of
P.452-14 (Deygout with its empirical correction), and the P.452-16 intermediate values
(effective heights h'ts, h'rs, path type, Bullington nu of the real and zero-height profiles).

Parameters: time 50 %, omega 0 (land), horizontal polarisation, no clutter zones,
delta_N = 39.25 N/km so that pycraf's a_e = 6371 * 157 / (157 - dN) km = 4/3 * 6371 km, the
project's effective earth radius (SETTINGS.radio: k = 4/3, a = 6371 km).
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "analysis"))

import oracle_profiles as op  # noqa: E402
import pycraf  # noqa: E402
from astropy import units as u  # noqa: E402
from pycraf import conversions as cnv  # noqa: E402
from pycraf import pathprof  # noqa: E402

OUT = ROOT / "tests" / "analysis" / "data" / "p452_oracle.json"


def _pathprop(p: dict, freq_mhz: float, version: int):
    return pathprof.PathProp(
        freq_mhz * u.MHz, 293.15 * u.K, 1013.0 * u.hPa,
        0.0 * u.deg, 0.0 * u.deg, 0.1 * u.deg, 0.0 * u.deg,
        p["tx_h"] * u.m, p["rx_h"] * u.m, op.STEP_M * u.m, 50.0 * u.percent,
        omega=0.0 * u.percent, polarization=0, version=version,
        delta_N=op.DELTA_N * cnv.dimless / u.km, N0=op.N0 * cnv.dimless,
        hprof_dists=(p["d_m"] / 1000.0) * u.km, hprof_heights=p["z_m"] * u.m,
        hprof_bearing=90.0 * u.deg, hprof_backbearing=270.0 * u.deg,
    )


def main() -> None:
    records = []
    for p in op.all_profiles():
        for f in op.FREQS_MHZ:
            pp16 = _pathprop(p, f, 16)
            pp14 = _pathprop(p, f, 14)
            l16 = float(pathprof.loss_diffraction(pp16)[0].to_value(cnv.dB))
            l14 = float(pathprof.loss_diffraction(pp14)[0].to_value(cnv.dB))
            records.append({
                "name": p["name"], "family": p["family"], "freq_mhz": f,
                "class": op.obstacle_class(p), "fingerprint": op.fingerprint(p),
                "L_d_50_p452_16": round(l16, 6), "L_d_50_p452_14": round(l14, 6),
                "h_te_diff_m": round(float(pp16.h_ts.value - pp16.h_std.value), 6),
                "h_re_diff_m": round(float(pp16.h_rs.value - pp16.h_srd.value), 6),
                "path_type_50": int(pp16._pp["path_type_50"]),
                "nu_bull_50": round(float(pp16._pp["nu_bull_50"]), 6),
                "nu_bull_zh_50": round(float(pp16._pp["nu_bull_zh_50"]), 6),
                "a_e_50_km": round(float(pp16._pp["a_e_50"]), 6),
            })
    fixture = {
        "provenance": {
            "tool": f"pycraf {pycraf.__version__} (numpy {np.__version__})",
            "call": "pathprof.PathProp(freq, 293.15 K, 1013 hPa, lon/lat dummies, h_tg=tx_h, "
                    "h_rg=rx_h, hprof_step=30 m, 50 %, omega=0 %, polarization=0, "
                    "version=16|14, delta_N=39.25/km, N0=325, hprof_dists=d_m/1000 km, "
                    "hprof_heights=z_m, bearing 90, backbearing 270); "
                    "pathprof.loss_diffraction(pp)[0] = L_d_50",
            "parameters": {"delta_N": op.DELTA_N, "a_e_km": 6371.0 * op.K_FACTOR,
                           "time_percent": 50.0, "omega_percent": 0.0,
                           "polarization": "horizontal", "freqs_mhz": list(op.FREQS_MHZ)},
            "profiles": "tests/analysis/oracle_profiles.py all_profiles() (rebuilt by the tests;"
                        " 'fingerprint' = length, points, mean and max elevation)",
            "script": "scripts/record_p452_oracle.py",
            "date": dt.date.today().isoformat(),
        },
        "records": records,
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(fixture, indent=0) + "\n")
    print(f"{len(records)} records -> {OUT} ({OUT.stat().st_size / 1e3:.0f} kB)")


if __name__ == "__main__":
    main()
