"""The briefing map drawn offline with matplotlib (no tile server): coverage, gap areas,
communes, sites, support points coloured by status (``SETTINGS.app.status_colours``, one
legend row per status), hillshade when terrain is loaded, scale bar and north arrow."""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import LightSource, ListedColormap
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from analysis.briefing import BriefingMap
from analysis.status import STATUSES
from geo.settings import SETTINGS
from i18n.labels import STATUS_NAMES
from i18n.translator import t

SCALE_KM = 20.0
"""Length of the scale bar, km."""
COVERED_COLOUR, GAP_COLOUR = "#7fc97f", "#e41a1c"
COMMUNE_COLOUR, SITE_COLOUR = "#666", "#555"


def render_map(content: BriefingMap, lang: str, *, dpi: int = 150) -> bytes:
    """The map as PNG (7.5 × 7 inches at ``dpi``), legend in ``lang``."""
    fig, ax = plt.subplots(figsize=(7.5, 7.0), dpi=dpi)
    minx, maxx, miny, maxy = extent = content.extent
    if content.elevation is not None:
        shade = LightSource(azdeg=315, altdeg=45).hillshade(
            np.nan_to_num(content.elevation, nan=0.0), vert_exag=1.0, dx=content.resolution_m,
            dy=content.resolution_m)
        ax.imshow(shade, cmap="gray", extent=extent, alpha=0.5, zorder=0)
    ax.imshow(np.where(content.covered, 1.0, np.nan), cmap=ListedColormap([COVERED_COLOUR]),
              extent=extent, alpha=0.45, zorder=1, interpolation="nearest")
    content.communes.boundary.plot(ax=ax, color=COMMUNE_COLOUR, linewidth=0.4, zorder=2)
    content.study_area.boundary.plot(ax=ax, color="black", linewidth=1.0, zorder=3)
    if len(content.gap_areas):
        content.gap_areas.plot(ax=ax, color=GAP_COLOUR, alpha=0.35, linewidth=0, zorder=2)
    ax.scatter(content.sites_xy[:, 0], content.sites_xy[:, 1], s=1.5, c=SITE_COLOUR, zorder=4)
    colours = SETTINGS.app.status_colours
    ax.scatter(content.points_xy[:, 0], content.points_xy[:, 1], s=22,
               c=[colours[s] for s in content.point_status], edgecolors="black",
               linewidths=0.5, zorder=5)
    ax.legend(handles=_legend(content.technology, lang), loc="lower left", fontsize=6.5,
              framealpha=0.9)
    x0 = minx + 0.62 * (maxx - minx)
    y0 = miny + 0.04 * (maxy - miny)
    ax.plot([x0, x0 + SCALE_KM * 1000], [y0, y0], color="black", lw=2.5, zorder=6)
    ax.text(x0 + SCALE_KM * 500, y0 + 0.012 * (maxy - miny),
            t(lang, "{km:g} km", km=SCALE_KM), ha="center", fontsize=7, zorder=6)
    nx, ny = maxx - 0.06 * (maxx - minx), maxy - 0.12 * (maxy - miny)
    ax.annotate(t(lang, "N"), xy=(nx, ny + 0.07 * (maxy - miny)), xytext=(nx, ny),
                ha="center", fontsize=9, fontweight="bold",
                arrowprops={"arrowstyle": "-|>", "color": "black"}, zorder=6)
    ax.set_xlim(minx, maxx)
    ax.set_ylim(miny, maxy)
    ax.set_aspect("equal")
    ax.set_axis_off()
    fig.tight_layout(pad=0.2)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    plt.close(fig)
    return buffer.getvalue()


def _legend(tech: str, lang: str) -> list[Patch | Line2D]:
    """Areas, lines and sites, then the support points: a heading and one row per status."""
    colours = SETTINGS.app.status_colours
    return [
        Patch(color=COVERED_COLOUR, alpha=0.45, label=t(lang, "{tech} coverage", tech=tech)),
        Patch(color=GAP_COLOUR, alpha=0.35, label=t(lang, "{tech} gap", tech=tech)),
        Line2D([], [], color=COMMUNE_COLOUR, lw=0.6, label=t(lang, "Commune boundaries (2025)")),
        Line2D([], [], ls="", marker="o", ms=2, color=SITE_COLOUR,
               label=t(lang, "BTS sites")),
        Line2D([], [], ls="", label=t(lang, "Support points")),
        *[Line2D([], [], ls="", marker="o", ms=6, mfc=colours[s], mec="black",
                 label=t(lang, STATUS_NAMES[s])) for s in STATUSES]]
