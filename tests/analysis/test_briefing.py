"""The briefing's content (analysis.briefing): its tables and map data follow the one status
definition (analysis.status) and the one indicator formatter (i18n.indicators)."""

from datetime import date

import pytest

from analysis.briefing import MAX_ROWS, build_briefing
from analysis.inputs import load_inputs
from analysis.pipeline import analyse, with_sites
from analysis.status import MOBILE_AND_FIBRE, STATUSES
from i18n import format_int
from i18n.indicators import indicator_texts
from i18n.report_labels import BRIEF_REASONS
from i18n.translator import t


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    mp = pytest.MonkeyPatch()
    mp.setenv("LAOCAI_CACHE", str(tmp_path_factory.getbasetemp() / "cache"))
    yield analyse(load_inputs())
    mp.undo()


@pytest.fixture(scope="module")
def briefing(result):
    return build_briefing(result, lang="vi", today=date(2026, 1, 15))


def test_headline_rows_are_the_dashboard_texts(result, briefing):
    assert len(briefing.headline.rows) == len(result.indicators)
    for row, ind in zip(briefing.headline.rows, result.indicators, strict=True):
        texts = indicator_texts(ind, "vi", result.selection.technology)
        assert row == [texts.name, f"{texts.value} ({texts.counts})", texts.published or "—"]
    published = {row[0]: row[2] for row in briefing.headline.rows}
    # the published figure of the default area (the whole province, 2025), in vi
    assert published["Thôn, bản có sóng 3G/4G"] == "99,3 %"


def test_points_in_gap_are_the_mobile_gap(result, briefing):
    gap_table = next(tab for tab in briefing.tables if tab.title == t("vi",
                                                                      "Support points in a gap"))
    in_gap = result.points.mobile_gap
    assert 0 < in_gap.sum() and len(gap_table.rows) == min(MAX_ROWS, int(in_gap.sum()))
    names = set(result.inputs.points.loc[in_gap[in_gap].index, "name"])
    assert {row[0] for row in gap_table.rows} <= names
    reasons = {t("vi", BRIEF_REASONS[r]) for r in result.points.table["reason"] if r}
    assert {row[3] for row in gap_table.rows} <= reasons


def test_districts_count_every_point_once(result, briefing):
    districts = next(tab for tab in briefing.tables if tab.title == t("vi",
            "Per old district: planned points and how many are connected"))
    planned = sum(int(row[1].replace(".", "")) for row in districts.rows)
    connected = sum(int(row[2].replace(".", "")) for row in districts.rows)
    assert planned == len(result.inputs.points)
    assert connected == int((result.points.gap != MOBILE_AND_FIBRE).sum())


def test_recommendation_counts_the_gaps(result, briefing):
    gap = result.points.gap
    assert briefing.recommendation.startswith(
        f"{int(result.points.mobile_gap.sum())} điểm hỗ trợ chưa có sóng 4G; "
        f"{int((gap == MOBILE_AND_FIBRE).sum())} điểm không có cả sóng lẫn cáp quang.")


def test_map_points_carry_their_status(result, briefing):
    content = briefing.map
    assert content.point_status == result.points.status.tolist()
    assert set(content.point_status) <= set(STATUSES)
    assert content.points_xy.shape == (len(result.inputs.points), 2)
    assert content.covered.shape == result.coverage.shape and content.covered.any()
    minx, maxx, miny, maxy = content.extent
    assert (content.points_xy[:, 0] >= minx).all() and (content.points_xy[:, 0] <= maxx).all()
    assert (content.points_xy[:, 1] >= miny).all() and (content.points_xy[:, 1] <= maxy).all()


def test_illustrative_data_is_said(briefing):
    assert briefing.warning and "minh họa" in briefing.warning
    statuses = [row[1] for row in briefing.data_box.rows]
    assert statuses[0] == t("vi", "Real (official)")
    assert t("vi", "ILLUSTRATIVE – not real data") in statuses


def test_scenario_compares_the_same_indicator_texts(result):
    sites = result.inputs.sites.drop(columns="geometry").iloc[:2].copy()
    sites["site_id"] = ["NEW-1", "NEW-2"]
    sites["lon"] += 0.05
    after = analyse(with_sites(result.inputs, sites), result.selection)
    briefing = build_briefing(result, lang="en", scenario=("Plan A", sites, after))
    compare, proposed = briefing.tables[-2:]
    assert compare.title == "Scenario: Plan A"
    by_name = {row[0]: row[1:] for row in compare.rows}
    bts = next(i for i in result.indicators if i.key == "bts_records")
    name = indicator_texts(bts, "en", "4G").name
    assert by_name[name] == [format_int(bts.value, "en"),
                             format_int(bts.value + 2, "en")]  # counts without decimals
    assert [row[0] for row in proposed.rows] == ["NEW-1", "NEW-2"]


def test_model_in_use_is_said_in_vi_and_en(result, briefing):
    assert any(a.startswith("Nhiễu xạ: ") and "k = 1,33" in a for a in briefing.assumptions)
    assert t("vi", "Land cover: none, no clutter loss (forest, built-up).") in briefing.assumptions
    en = build_briefing(result, lang="en", today=date(2026, 1, 15))
    assert any(a.startswith("Diffraction: ") for a in en.assumptions)
    assert "Land cover: none, no clutter loss (forest, built-up)." in en.assumptions


def test_validation_only_with_measurements_and_escaped(result, briefing):
    """The validation section appears only with measurements; a hostile operator name is
    escaped in the HTML page."""
    from dataclasses import replace

    import numpy as np
    import pandas as pd

    from analysis.briefing import validation
    from analysis.disagreement import join_verdicts
    from report.html import render_html

    assert briefing.validation is None
    assert "class='validation'" not in render_html(briefing, b"")
    points = result.inputs.points.to_crs("EPSG:9208")
    hostile = "<script>alert('x')</script>"
    n = 40
    compared = pd.DataFrame({
        "operator": hostile, "technology": "4G", "signal_dbm": -120.0,
        "predicted_dbm": -100.0, "residual_db": -20.0,
        "x": np.r_[points.geometry.x.to_numpy()[:n - 1], 0.0],  # the last one far outside
        "y": np.r_[points.geometry.y.to_numpy()[:n - 1], 0.0]})
    covered = result.points.table.index[result.points.table["reason"] == ""][0]
    verdicts = pd.DataFrame({"measured": "", "measured_count": 0, "measured_h3": "",
                             "measured_operator": ""}, index=result.points.table.index)
    verdicts.loc[covered, ["measured", "measured_count"]] = ["no_service", 7]
    with_measured = replace(result, measurements=compared,
                            points=join_verdicts(result.points, verdicts))
    assert with_measured.points.mobile_gap[covered]  # the one definition follows
    section = validation(with_measured, "en")
    assert section is not None and section.measurements == n
    assert section.by_commune["count"].sum() + section.outside == n and section.outside == 1
    assert section.lost == 1 and section.gained == 0
    assert abs(section.rms_before_db - 20.0) < 1e-9 and section.rms_after_db is None
    changed = section.tables[2]
    assert len(changed.rows) == 1
    assert changed.rows[0][1] == str(result.inputs.points.loc[covered, "name"])
    brief = build_briefing(with_measured, lang="en", today=date(2026, 1, 15))
    assert brief.validation is not None
    page = render_html(brief, b"")
    assert "class='validation'" in page and hostile not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    from report.map import render_map
    from report.pdf import render_pdf

    assert render_pdf(brief, render_map(brief.map, "en")).startswith(b"%PDF")
