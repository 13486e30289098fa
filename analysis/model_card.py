"""One structured description of the coverage model in use (issue 14): the diffraction method
with its ITU reference, the median path-loss models, the land cover and clutter model (or their
absence), the service levels with their entry losses and the earth factor k. The coverage
GeoTIFF tags (``analysis.__main__``), the app's "About the data" and the briefing all read it,
so the three say the same thing. Pure: no streamlit."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from analysis.clutter import LANDCOVER_NOT_LOADED_WARNING
from analysis.coverage import DIFFRACTION_MODEL
from analysis.entry_loss import service_loss_db
from geo.settings import SETTINGS
from i18n import format_float
from i18n.labels import DIFFRACTION_METHOD_NAMES
from i18n.translator import t

#: Id of the diffraction method the sweep uses (labels: ``i18n.labels.DIFFRACTION_METHOD_NAMES``);
#: its full text is ``analysis.coverage.DIFFRACTION_MODEL``.
DIFFRACTION_METHOD = "delta_bullington"
MEDIAN_MODELS = ("Okumura–Hata", "COST-231 Hata", "3GPP TR 38.901 RMa (above 2 GHz)")
CLUTTER_MODEL = "ITU-R P.2108-1 3.1"
NO_CLUTTER = "none"


@dataclass(frozen=True)
class ModelCard:
    """The coverage model in use; ``landcover_source`` is "" when no land cover is loaded."""

    diffraction_method: str
    diffraction_model: str
    median_models: tuple[str, ...]
    landcover_source: str
    clutter_model: str
    service_levels: tuple[tuple[str, float], ...]  # (level, entry loss dB)
    earth_k: float
    terrain_loaded: bool
    resolution_m: float
    technology: str

    def tags(self) -> dict[str, str]:
        """The model tags of a coverage GeoTIFF (names and values as written since issue 12)."""
        return {"landcover": self.landcover_source or NO_CLUTTER,
                "clutter_model": self.clutter_model,
                "diffraction_model": self.diffraction_model,
                "landcover_warning": "" if self.landcover_source else LANDCOVER_NOT_LOADED_WARNING}


def coverage_model(*, terrain_loaded: bool, landcover_source: str = "",
                   service_levels: Sequence[str] = SETTINGS.service.levels,
                   resolution_m: float = SETTINGS.terrain.default_resolution_m,
                   technology: str = "4G") -> ModelCard:
    """The model card of a coverage run: ``landcover_source`` "" for none (no clutter loss),
    the entry loss of each of ``service_levels`` for ``technology``."""
    return ModelCard(
        diffraction_method=DIFFRACTION_METHOD, diffraction_model=DIFFRACTION_MODEL,
        median_models=MEDIAN_MODELS, landcover_source=landcover_source or "",
        clutter_model=CLUTTER_MODEL if landcover_source else NO_CLUTTER,
        service_levels=tuple((s, service_loss_db(s, technology)) for s in service_levels),
        earth_k=float(SETTINGS.radio.k_factor), terrain_loaded=terrain_loaded,
        resolution_m=resolution_m, technology=technology)


def model_lines(card: ModelCard, lang: str, escape=lambda s: s) -> list[str]:
    """The card in ``lang``: diffraction, land cover / clutter. ``escape`` is applied to the
    land-cover source (a file name: user text)."""
    method = DIFFRACTION_METHOD_NAMES.get(card.diffraction_method, card.diffraction_method)
    lines = [t(lang, "Diffraction: {method}; median models: {models}; earth factor k = {k}.",
               method=t(lang, method), models=", ".join(card.median_models),
               k=format_float(card.earth_k, lang, 2))]
    if card.landcover_source:
        lines.append(t(lang, "Land cover: {source}; clutter loss {model}.",
                       source=escape(card.landcover_source), model=card.clutter_model))
    else:
        lines.append(t(lang, "Land cover: none, no clutter loss (forest, built-up)."))
    return lines
