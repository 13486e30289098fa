"""The selection type passed from the sidebar to the caches and the analysis."""

from __future__ import annotations

import doctest

from analysis import selection as S


def test_doctests() -> None:
    assert doctest.testmod(S).failed == 0


def test_selection_is_a_cache_key() -> None:
    a = S.Selection("3G", ("Viettel",), -95.0, 500.0)
    assert hash(a) == hash(S.Selection("3G", ("Viettel",), -95.0, 500.0))
    assert a.replace(fibre_reach_m=0.0) != a and a.replace(fibre_reach_m=0.0).technology == "3G"
    assert a.takes("Viettel") and not a.takes("MobiFone") and S.Selection().takes("MobiFone")
