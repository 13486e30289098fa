"""The land-cover layer: the imported classes (a PNG of :func:`ui.map.raster.landcover_image`)
and a legend of the classes present with the clutter loss each costs a receiver."""

from __future__ import annotations

from collections.abc import Mapping

from analysis.clutter import clutter_correction_db
from i18n import format_float
from i18n.labels import LANDCOVER_CLASSES
from i18n.translator import N_
from ui.map.legend import legend_heading, legend_note, legend_row, swatch_box
from ui.map.raster import LANDCOVER_COLOURS
from ui.map.spec import LayerSpec, escape_text, layer_name, t_html


def landcover_spec(url: str, bounds: tuple[tuple[float, float], tuple[float, float]],
                   lang: str, *, source: str, counts: Mapping[int, int],
                   band_mhz: float) -> LayerSpec:
    """The land-cover overlay with a legend of the classes it holds (largest first) and the
    clutter loss at ``band_mhz`` of each (ITU-R P.2108, :mod:`analysis.clutter`)."""
    name = layer_name("landcover", lang, source=source)
    present = sorted((c for c in counts if c in LANDCOVER_COLOURS and counts[c]),
                     key=lambda c: -counts[c])
    parts = [legend_heading(t_html(N_("Land cover: clutter loss at {band} MHz"), lang,
                                   band=format_float(band_mhz, lang, 0)))]
    for code in present:
        loss = format_float(clutter_correction_db(band_mhz, code), lang, 1)
        parts.append(legend_row(swatch_box(LANDCOVER_COLOURS[code], opacity=0.8),
                                f"{t_html(LANDCOVER_CLASSES[code], lang)}: "
                                f"{escape_text(loss)} dB"))
    parts.append(legend_note(t_html(N_("ITU-R P.2108 terminal clutter, relative to the "
                                       "model's suburban surroundings."), lang)))
    return LayerSpec("landcover", name, image_url=url, image_bounds=bounds,
                     legend="".join(parts), size=len(url))
