"""Texts and tables of the site-planning page in the planner's language: how typed
coordinates were read, why a site was refused, the optimiser's messages, and the translated
frames of gains, chosen sites and compared scenarios. Pure: tested without Streamlit."""

from __future__ import annotations

import pandas as pd

from geo.crs import Reading
from geo.errors import DataError, Notice
from i18n import TRANSLATIONS, format_dbm, format_int, t
from ui.widgets import (
    md_escape,
)


def reading_text(reading: Reading | None, lang: str) -> str:
    """"Coordinates read as VN-2000 ... → 103.70063, 22.40850" (or "not recognised")."""
    if reading is None:
        return t("plan.coords.unknown", lang)
    text = f"{t(f'import.crs.{reading.kind}', lang).rstrip('.')} → {reading.lon:.5f}, " \
           f"{reading.lat:.5f}."
    if reading.ambiguous:
        text += " " + t("import.crs.ambiguous", lang)
    return text


def refusal_text(exc: DataError, lang: str) -> str:
    """Why a proposed site was refused, in ``lang`` (by the error's code; the English
    problem when it has none)."""
    params = dict(exc.params)
    key = f"plan.refused.{exc.code}"
    if not exc.code or key not in TRANSLATIONS:
        return t("plan.refused.other", lang, detail=md_escape(exc.problem))
    if exc.code == "out_of_range":
        params.update(field=t(f"plan.field.{params['column']}", lang),
                      found=md_escape(params["found"]))
    return t(key, lang, **params)


def plan_message(message: Notice, lang: str) -> str:
    """A message of :class:`analysis.planning.PlanResult` in ``lang`` (by its code; the
    English text when it has no translation)."""
    key = f"plan.msg.{message.code}"
    if key not in TRANSLATIONS:
        return message.message
    return t(key, lang, **{k: format_int(int(v), lang) for k, v in message.params})


def gains_frame(gains: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The per-commune gains with translated headers, most people first."""
    gains = gains.sort_values(["points", "villages", "people"], ascending=False)
    return pd.DataFrame({
        t("col.code", lang): gains["commune_code_2025"].to_numpy(),
        t("col.commune_2025", lang): gains["commune_2025"].to_numpy(),
        t("plan.col.points_added", lang): gains["points"].to_numpy(),
        t("plan.col.villages_added", lang): gains["villages"].to_numpy(),
        t("plan.col.people_added", lang): gains["people"].to_numpy(),
    })


def chosen_frame(sites: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The optimiser's chosen sites (:meth:`Plan.sites_frame`) with translated headers."""
    return pd.DataFrame({
        t("plan.col.rank", lang): sites["rank"].to_numpy(),
        t("plan.col.site", lang): sites["site_id"].to_numpy(),
        t("plan.col.operator", lang): sites["operator"].to_numpy(),
        t("plan.col.lon", lang): sites["lon"].to_numpy(),
        t("plan.col.lat", lang): sites["lat"].to_numpy(),
        t("plan.col.gain", lang): sites["gain"].to_numpy(),
        t("plan.col.total", lang): sites["total"].to_numpy(),
        t("plan.col.points_added", lang): sites["points_added"].to_numpy(),
        t("plan.col.villages_added", lang): sites["villages_added"].to_numpy(),
        t("plan.col.people_added", lang): sites["people_added"].to_numpy(),
    })


def compare_frame(rows: dict[str, dict[str, int]], lang: str) -> pd.DataFrame:
    """One row per scenario: sites and the places newly covered."""
    return pd.DataFrame({
        t("plan.scn.col.name", lang): list(rows),
        t("plan.scn.col.sites", lang): [r["sites"] for r in rows.values()],
        t("plan.col.points_added", lang): [r["points"] for r in rows.values()],
        t("plan.col.villages_added", lang): [r["villages"] for r in rows.values()],
        t("plan.col.people_added", lang): [r["people"] for r in rows.values()],
        t("plan.scn.col.refused", lang): [r["refused"] for r in rows.values()],
    })


def settings_text(settings: dict, lang: str) -> str:
    """"4G · Viettel, MobiFone · −110 dBm" from a scenario's settings."""
    parts = [str(settings.get("technology", ""))]
    operators = settings.get("operators")
    parts.append(", ".join(map(str, operators)) if operators else t("value.all_operators", lang))
    if settings.get("threshold_dbm") is not None:
        parts.append(format_dbm(settings["threshold_dbm"], lang))
    return " · ".join(p for p in parts if p)
