"""Shared fixtures: small real-data slices the tests build on."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _private_cache_and_workspace(tmp_path_factory, monkeypatch):
    """Tests never read or write the developer's own cache or workspace."""
    base = tmp_path_factory.getbasetemp()
    monkeypatch.setenv("LAOCAI_CACHE", str(base / "cache"))
    monkeypatch.setenv("LAOCAI_WORKSPACE", str(base / "no-workspace" / "workspace.gpkg"))
    # No background warming in the app under test (tests/ui/test_prefetch.py runs it itself).
    monkeypatch.setenv("LAOCAI_PREFETCH", "0")


@pytest.fixture(scope="session")
def communes_2025():
    from geo.layers import load_communes_2025

    return load_communes_2025()
