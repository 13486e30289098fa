"""The one definition of a place's status and of "in a gap" (analysis.status)."""

from __future__ import annotations

import doctest

import pandas as pd

from analysis import status as S


def test_doctests() -> None:
    assert doctest.testmod(S).failed == 0


def test_status_of_and_signal_class() -> None:
    assert [S.status_of(v) for v in ("5G", "4G", "3G", "2G", "none", None)] == \
        ["4g", "4g", "3g", "2g", "none", "none"]
    assert S.signal_class(-95, -110, -100) == "good"
    assert S.signal_class(-105, -110, -100) == "usable"
    assert S.signal_class(-111, -110, -100) == "weak"
    assert S.signal_class(float("nan"), -110, -100) == "none"


def test_gaps_are_index_aligned_and_consistent() -> None:
    table = pd.DataFrame({"reason": ["", "terrain_shadow", "", "weak_signal", None],
                          "fibre": [True, False, False, True, True],
                          "best_technology": ["4G", "2G", "5G", "3G", "none"]},
                         index=[10, 11, 12, 13, 14])
    gap = S.gaps(table)
    assert list(gap.index) == [10, 11, 12, 13, 14]
    assert gap.tolist() == ["", "mobile_and_fibre", "fibre", "mobile", ""]
    assert S.in_gap(table).tolist() == [False, True, True, True, False]
    assert S.mobile_gap(table).tolist() == [False, True, False, True, False]
    assert S.statuses(table).tolist() == ["4g", "2g", "4g", "3g", "none"]
