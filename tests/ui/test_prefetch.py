"""Background warming of the other technologies (:mod:`ui.prefetch`) on the bundled data."""

from __future__ import annotations

import pytest

from analysis.selection import Selection
from geo.settings import ROOT
from ui import cache, prefetch
from ui.map import cached, registry

needs_sample = pytest.mark.skipif(
    not (ROOT / "data" / "sample" / "points.geojson").exists(),
    reason="data/sample/points.geojson is missing: run `python -m geo.sample` first",
)


def test_other_selections_are_what_the_sidebar_gives() -> None:
    sel = Selection("4G", ("Viettel",), -105.0, 500.0)
    others = prefetch.other_selections(sel, ["2G", "3G", "4G"])
    # same operators and fibre reach; the threshold slider is per technology: its default
    assert others == [Selection("2G", ("Viettel",), None, 500.0),
                      Selection("3G", ("Viettel",), None, 500.0)]


@needs_sample
def test_warming_leaves_the_other_technologies_in_the_cache(
        monkeypatch: pytest.MonkeyPatch) -> None:
    analysed: list[str] = []
    real = cache.analyse

    def counting(data, selection, **kwargs):  # the real analysis, counted
        analysed.append(selection.technology)
        return real(data, selection, **kwargs)

    monkeypatch.setattr(cache, "analyse", counting)
    cache.clear()
    key, sel = cache.data_key(), Selection("4G")
    technologies = sorted(set(cache.inputs(key)[0].sites["technology"]))
    others = [t for t in technologies if t != "4G"]
    assert others
    thread = prefetch.warm_other_technologies(key, sel, "vi", technologies, delay_s=0)
    assert thread is not None
    thread.join(timeout=600)
    assert not thread.is_alive()
    assert sorted(analysed) == others
    assert prefetch.warm_other_technologies(key, sel, "vi", technologies) is None  # once
    # What the page asks for after the switch is there, computed once.
    for tech in others:
        other = Selection(tech)
        marked = registry.illustrative_layers(cache.inputs(key)[0].sources)
        assert cached.place_specs(key, other, "vi", marked)["points"].data
        assert cache.analysis(key, other).selection.technology == tech
    assert sorted(analysed) == others
    cache.clear()
