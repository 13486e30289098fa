"""Shared fixtures: small real-data slices the tests build on."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


@pytest.fixture(autouse=True)
def _private_cache_and_workspace(tmp_path_factory, monkeypatch):
    """Tests never read or write the developer's own cache or workspace."""
    base = tmp_path_factory.getbasetemp()
    monkeypatch.setenv("LAOCAI_CACHE", str(base / "cache"))
    monkeypatch.setenv("LAOCAI_WORKSPACE", str(base / "no-workspace" / "workspace.gpkg"))
    # No background warming in the app under test (tests/test_prefetch.py runs it itself).
    monkeypatch.setenv("LAOCAI_PREFETCH", "0")


@pytest.fixture(scope="session")
def communes_2025():
    from geo.layers import load_communes_2025

    return load_communes_2025()
