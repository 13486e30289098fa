"""Study areas: today's province, or the units formed from one old province."""

from __future__ import annotations

import pytest

from analysis.__main__ import build_parser
from analysis.inputs import load_inputs
from geo.crs import to_metric
from geo.layers import area_units, load_study_area
from geo.settings import SETTINGS


def test_the_two_old_provinces_partition_todays_99_units():
    whole = area_units("province")
    parts = {key: area_units(key) for key in ("laocai", "yenbai")}
    assert len(whole) == 99
    assert len(parts["laocai"]) + len(parts["yenbai"]) == 99
    assert len(parts["laocai"]) == 48  # the units formed from old Lào Cai
    assert set(parts["laocai"]["code"]).isdisjoint(parts["yenbai"]["code"])


def test_outlines_tile_the_province():
    area = {key: to_metric(load_study_area(key)).geometry.union_all()
            for key in SETTINGS.study_area.areas}
    assert area["laocai"].area + area["yenbai"].area == pytest.approx(area["province"].area,
                                                                       rel=0.01)
    assert area["laocai"].intersection(area["yenbai"]).area < 0.005 * area["yenbai"].area
    assert area["province"].contains(area["yenbai"].representative_point())


def test_the_default_area_and_unknown_keys():
    assert load_study_area().geometry.union_all().equals(
        load_study_area(SETTINGS.study_area.default).geometry.union_all())
    with pytest.raises(ValueError, match="unknown study area 'hanoi'"):
        load_study_area("hanoi")


def test_inputs_of_an_area_carry_its_units_outline_and_terrain_grid():
    inputs = load_inputs(SETTINGS.paths.sample, area="yenbai")
    assert inputs.area == "yenbai"
    assert set(inputs.communes["old_province"]) == {"yenbai"}
    outline = to_metric(inputs.study_area).total_bounds
    left, bottom, right, top = inputs.dem.bounds
    assert left <= outline[0] and bottom <= outline[1]
    assert right >= outline[2] and top >= outline[3]


def test_the_command_line_takes_an_area():
    args = build_parser().parse_args(["gaps", "--area", "province", "--out", "g.geojson"])
    assert args.area == "province"
    assert build_parser().parse_args(["coverage", "--sites", "s.csv", "--out", "o"]).area == \
        SETTINGS.study_area.default


def test_an_area_keeps_its_own_places_and_the_sites_on_its_grid(capsys):
    from analysis.__main__ import main

    inputs = load_inputs(SETTINGS.paths.sample, area="yenbai")
    assert inputs.points.empty  # the 117 points are old Lào Cai's
    codes = set(area_units("yenbai")["code"])  # the sample's villages cover both parts
    assert set(inputs.villages["commune_code_2025"]) == codes
    everything = load_inputs(SETTINGS.paths.sample, area="province")
    assert (everything.villages["commune_code_2025"].isin(codes)).sum() == len(inputs.villages)
    assert 0 < len(inputs.sites) < len(everything.sites)
    left, bottom, right, top = inputs.dem.bounds
    x, y = to_metric(inputs.sites).geometry.x, to_metric(inputs.sites).geometry.y
    assert ((x >= left) & (x < right) & (y > bottom) & (y <= top)).all()
    assert main(["indicators", "--area", "yenbai", "--data", str(SETTINGS.paths.sample)]) == 0
    out = capsys.readouterr().out
    assert "Support points with 4G: —" in out and "NaN" not in out


def test_an_area_counts_the_sites_standing_in_it_and_computes_with_its_grid():
    """One definition of an area's own records: inside its outline. Old Lào Cai's grid holds
    records of old Yên Bái too (they cover its edges), but its figures count its own."""
    from analysis.inputs import load_inputs, sites_within

    old = load_inputs(SETTINGS.paths.sample, area="laocai")
    own = old.own_sites
    assert len(own) == SETTINGS.sample.bts_records_by_area["laocai"] < len(old.sites)
    assert sites_within(own, load_study_area("laocai")).all()
    whole = load_inputs(SETTINGS.paths.sample, area="province")
    assert len(whole.own_sites) == len(whole.sites) == SETTINGS.sample.bts_records
