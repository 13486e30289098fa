"""Cost settings from a TOML file: any field of :class:`geo.settings.CostSettings` at the top
level (or under a ``[costs]`` table), e.g.::

    usd_vnd = 26000
    bts_capex_vnd = 3.5e9
    fibre_slope_classes = [[10, 1.0], [30, 1.5], [1e9, 2.5]]
    [fibre_landcover_factor]
    10 = 1.4

Unknown keys and values of the wrong type are refused with a :class:`geo.errors.DataError`
naming the file and the key.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
import tomllib
import typing
from pathlib import Path
from typing import Any

from geo.errors import DataError
from geo.settings import SETTINGS, CostSettings

_FIELDS = {f.name: f for f in dataclasses.fields(CostSettings)}
_HINTS = typing.get_type_hints(CostSettings)


def _number(value: Any, key: str, path: Path) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
        raise DataError(f"key '{key}' must be a number, got {value!r}.", source=path,
                        fix="write a number.", code="costs_bad_value", params={"key": key})
    return float(value)


def _convert(key: str, value: Any, path: Path) -> Any:
    hint = _HINTS[key]
    default = getattr(SETTINGS.costs, key)
    if hint is bool:
        if not isinstance(value, bool):
            raise DataError(f"key '{key}' must be true or false, got {value!r}.", source=path,
                            code="costs_bad_value", params={"key": key})
        return value
    if hint is str:
        if not isinstance(value, str):
            raise DataError(f"key '{key}' must be text, got {value!r}.", source=path,
                            code="costs_bad_value", params={"key": key})
        return value
    if hint is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise DataError(f"key '{key}' must be a whole number, got {value!r}.",
                            source=path, code="costs_bad_value", params={"key": key})
        if value < 0:
            raise DataError(f"key '{key}' must not be negative, got {value}.", source=path,
                            code="costs_bad_value", params={"key": key})
        return value
    if hint is float:
        number = _number(value, key, path)
        if number < 0 and key != "discount_rate":
            raise DataError(f"key '{key}' must not be negative, got {value}.", source=path,
                            code="costs_bad_value", params={"key": key})
        return number
    if isinstance(default, dict):
        if not isinstance(value, dict):
            raise DataError(f"key '{key}' must be a table, got {value!r}.", source=path,
                            code="costs_bad_value", params={"key": key})
        key_type = type(next(iter(default)))
        out = dict(default)
        for k, v in value.items():
            try:
                kk = key_type(float(k)) if key_type is not str else k
            except ValueError:
                raise DataError(f"key '{key}.{k}' is not a {key_type.__name__}.",
                                source=path, code="costs_bad_value",
                                params={"key": f"{key}.{k}"}) from None
            out[kk] = _number(v, f"{key}.{k}", path)
        return out
    if isinstance(default, tuple):  # the slope classes: pairs (upper %, multiplier)
        if (not isinstance(value, list) or not value
                or not all(isinstance(p, list) and len(p) == 2 for p in value)):
            raise DataError(f"key '{key}' must be a list of [upper %, multiplier] pairs, got "
                            f"{value!r}.", source=path, code="costs_bad_value",
                            params={"key": key})
        pairs = tuple((_number(a, f"{key}[{i}]", path), _number(b, f"{key}[{i}]", path))
                      for i, (a, b) in enumerate(value))
        if any(b[0] <= a[0] for a, b in itertools.pairwise(pairs)):
            raise DataError(f"key '{key}': the upper bounds must increase.", source=path,
                            code="costs_bad_value", params={"key": key})
        return pairs
    raise DataError(f"key '{key}' cannot be set from a file.", source=path,
                    code="costs_bad_key", params={"key": key})


def load_costs(path: str | Path, base: CostSettings | None = None) -> CostSettings:
    """``base`` (default ``SETTINGS.costs``) with the values of the TOML file ``path``."""
    path = Path(path)
    base = base or SETTINGS.costs
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError("file not found.", source=path, code="file_not_found") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise DataError(f"not valid TOML: {exc}.", source=path,
                        code="costs_bad_toml") from None
    if set(data) == {"costs"} and isinstance(data["costs"], dict):
        data = data["costs"]
    changes = {}
    for key, value in data.items():
        if key not in _FIELDS:
            raise DataError(f"unknown key '{key}'.", source=path,
                            fix="the keys are the fields of CostSettings (geo/settings.py).",
                            code="costs_bad_key", params={"key": key})
        changes[key] = _convert(key, value, path)
    costs = dataclasses.replace(base, **changes)
    if costs.microwave_band_ghz not in costs.microwave_max_hop_km:
        raise DataError(f"key 'microwave_band_ghz' = {costs.microwave_band_ghz:g} has no "
                        "maximum hop in microwave_max_hop_km.", source=path,
                        code="costs_bad_value", params={"key": "microwave_band_ghz"})
    return costs
