"""The model card (analysis.model_card): one description of the coverage model for the GeoTIFF
tags, "About the data" and the briefing."""

from analysis.clutter import LANDCOVER_NOT_LOADED_WARNING
from analysis.coverage import DIFFRACTION_MODEL
from analysis.entry_loss import building_entry_loss_db
from analysis.model_card import DIFFRACTION_METHOD, coverage_model, model_lines
from geo.settings import SETTINGS
from i18n.labels import DIFFRACTION_METHOD_NAMES
from i18n.translator import t


def test_card_without_land_cover_says_no_clutter():
    card = coverage_model(terrain_loaded=False, landcover_source="", resolution_m=90)
    assert card.diffraction_method == DIFFRACTION_METHOD in DIFFRACTION_METHOD_NAMES
    assert card.diffraction_model == DIFFRACTION_MODEL  # read from the one place, not copied
    assert card.landcover_source == "" and card.clutter_model == "none"
    assert card.earth_k == SETTINGS.radio.k_factor == 4 / 3
    assert card.tags() == {"landcover": "none", "clutter_model": "none",
                           "diffraction_model": DIFFRACTION_MODEL,
                           "landcover_warning": LANDCOVER_NOT_LOADED_WARNING}


def test_card_with_land_cover_names_p2108_and_service_losses():
    card = coverage_model(terrain_loaded=True, landcover_source="wc.tif", technology="4G",
                          service_levels=("outdoor", "incar", "indoor"))
    assert card.tags()["landcover"] == "wc.tif" and card.tags()["landcover_warning"] == ""
    assert card.clutter_model == "ITU-R P.2108-1 3.1"
    losses = dict(card.service_levels)
    assert losses["outdoor"] == 0.0
    assert losses["incar"] == SETTINGS.service.incar_loss_db
    band = SETTINGS.radio.default_band_mhz["4G"]
    assert losses["indoor"] == round(float(building_entry_loss_db(band)), 1) > 0


def test_lines_in_vietnamese_and_english_escape_the_file_name():
    card = coverage_model(terrain_loaded=True, landcover_source="<b>lc</b>.tif")
    vi = model_lines(card, "vi", escape=lambda s: s.replace("<", "&lt;").replace(">", "&gt;"))
    method = t("vi", DIFFRACTION_METHOD_NAMES[DIFFRACTION_METHOD])
    assert method != DIFFRACTION_METHOD_NAMES[DIFFRACTION_METHOD]  # translated
    assert vi[0].startswith("Nhiễu xạ: " + method) and "k = 1,33" in vi[0]
    assert "&lt;b&gt;lc&lt;/b&gt;.tif" in vi[1] and "<b>" not in vi[1]
    assert "ITU-R P.2108-1" in vi[1]
    en = model_lines(coverage_model(terrain_loaded=False), "en")
    assert en[0].startswith("Diffraction: ") and "k = 1.33" in en[0]
    assert en[1] == "Land cover: none, no clutter loss (forest, built-up)."


def test_every_method_id_has_a_vietnamese_label():
    for label in DIFFRACTION_METHOD_NAMES.values():
        assert t("vi", label) != label
