"""Texts and tables of the site-planning page in the planner's language: how typed
coordinates were read, why a site was refused, the optimiser's messages, and the translated
frames of gains, chosen sites and compared scenarios. Pure: tested without Streamlit."""

from __future__ import annotations

import pandas as pd

from geo.crs import Reading
from geo.errors import DataError, Notice
from geo.settings import SETTINGS
from i18n import format_dbm, format_int
from i18n.import_messages import CRS_READINGS
from i18n.labels import PLAN_MSG_TEXTS, PLAN_REFUSED_TEXTS
from i18n.planning_labels import SITE_FIELDS
from i18n.translator import t
from ui.widgets import (
    md_escape,
)


def reading_text(reading: Reading | None, lang: str) -> str:
    """"Coordinates read as VN-2000 ... → 103.70063, 22.40850" (or "not recognised")."""
    if reading is None:
        return t(lang, "Coordinates not recognised as WGS84 or VN-2000 (TM-3 {meridian} or UTM "
                       "48N) in the province.")
    text = f"{t(lang, CRS_READINGS[reading.kind]).rstrip('.')} → {reading.lon:.5f}, " \
           f"{reading.lat:.5f}."
    if reading.ambiguous:
        text += " " + t(lang, "Another coordinate system fits almost as well: check with the "
                              "supplier.")
    return text


def refusal_text(exc: DataError, lang: str) -> str:
    """Why a proposed site was refused, in ``lang`` (by the error's code; the English
    problem when it has none)."""
    params = dict(exc.params)
    if not exc.code or exc.code not in PLAN_REFUSED_TEXTS:
        return t(lang, "{detail}", detail=md_escape(exc.problem))
    if exc.code == "outside_province":
        params["area"] = SETTINGS.study_area.label(str(params["area"]), lang)
    if exc.code == "out_of_range":
        params.update(field=t(lang, SITE_FIELDS[params['column']]),
                      found=md_escape(params["found"]))
    return t(lang, PLAN_REFUSED_TEXTS[exc.code], **params)


def plan_message(message: Notice, lang: str) -> str:
    """A message of :class:`analysis.planning.PlanResult` in ``lang`` (by its code; the
    English text when it has no translation)."""
    if message.code not in PLAN_MSG_TEXTS:
        return message.message
    return t(lang, PLAN_MSG_TEXTS[message.code], **{k: format_int(int(v), lang) for k,
                                                    v in message.params})


def gains_frame(gains: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The per-commune gains with translated headers, most people first."""
    gains = gains.sort_values(["points", "villages", "people"], ascending=False)
    return pd.DataFrame({
        t(lang, "Code"): gains["commune_code_2025"].to_numpy(),
        t(lang, "Commune (2025)"): gains["commune_2025"].to_numpy(),
        t(lang, "Support points newly covered"): gains["points"].to_numpy(),
        t(lang, "Villages newly covered"): gains["villages"].to_numpy(),
        t(lang, "People newly covered"): gains["people"].to_numpy(),
    })


def chosen_frame(sites: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The optimiser's chosen sites (:meth:`Plan.sites_frame`) with translated headers."""
    return pd.DataFrame({
        t(lang, "Rank"): sites["rank"].to_numpy(),
        t(lang, "Site"): sites["site_id"].to_numpy(),
        t(lang, "Operator"): sites["operator"].to_numpy(),
        t(lang, "Longitude"): sites["lon"].to_numpy(),
        t(lang, "Latitude"): sites["lat"].to_numpy(),
        t(lang, "Score added"): sites["gain"].to_numpy(),
        t(lang, "Running total"): sites["total"].to_numpy(),
        t(lang, "Support points newly covered"): sites["points_added"].to_numpy(),
        t(lang, "Villages newly covered"): sites["villages_added"].to_numpy(),
        t(lang, "People newly covered"): sites["people_added"].to_numpy(),
    })


def compare_frame(rows: dict[str, dict[str, int]], lang: str) -> pd.DataFrame:
    """One row per scenario: sites and the places newly covered."""
    return pd.DataFrame({
        t(lang, "Scenario"): list(rows),
        t(lang, "Sites"): [r["sites"] for r in rows.values()],
        t(lang, "Support points newly covered"): [r["points"] for r in rows.values()],
        t(lang, "Villages newly covered"): [r["villages"] for r in rows.values()],
        t(lang, "People newly covered"): [r["people"] for r in rows.values()],
        t(lang, "Sites left out"): [r["refused"] for r in rows.values()],
    })


def settings_text(settings: dict, lang: str) -> str:
    """"4G · Viettel, MobiFone · −110 dBm" from a scenario's settings."""
    parts = [str(settings.get("technology", ""))]
    operators = settings.get("operators")
    parts.append(", ".join(map(str, operators)) if operators else t(lang, "all operators"))
    if settings.get("threshold_dbm") is not None:
        parts.append(format_dbm(settings["threshold_dbm"], lang))
    return " · ".join(p for p in parts if p)
